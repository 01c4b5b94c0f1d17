package dev.stoic.testing;

import dev.stoic.spi.Attempt;
import dev.stoic.RetryPolicy;
import dev.stoic.engine.AttemptContext;
import dev.stoic.engine.RetryExecutor;
import dev.stoic.spi.CallInfo;
import dev.stoic.spi.Cancellation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;

/**
 * Plays a script of outcomes (a {@link FakeResponse} or a throwable per attempt) through the
 * real executor, synchronously or asynchronously, recording what each attempt was sent. A
 * scripted throwable is thrown by a sync attempt and fails the future of an async one.
 */
public final class ScriptedTransport {
  /** How a scenario is run: the same script must give the same result both ways. */
  public enum Mode {
    SYNC,
    ASYNC
  }

  private final List<Object> script;
  public final List<AttemptContext> attempts = new ArrayList<>();
  public final List<FakeResponse> responses = new ArrayList<>();
  /** Marks the body written on each attempt, as an adapter does once it starts sending. */
  public boolean writesBody;
  /** Runs as each attempt starts, on the attempt's thread (to let virtual time pass, say). */
  public Runnable eachAttempt = () -> {};
  /**
   * Decides each response from its status and headers before handing it over, as the JDK adapter
   * does before it reads a body ({@link AttemptContext#decide}).
   */
  public boolean decidesEarly;

  public ScriptedTransport(Object... outcomes) {
    this.script = new ArrayList<>(Arrays.asList(outcomes));
  }

  FakeResponse next(Attempt attempt) throws IOException, InterruptedException {
    AttemptContext context = (AttemptContext) attempt; // the engine's: tests read its record
    attempts.add(context);
    eachAttempt.run();
    if (writesBody) context.markBodyWritten();
    if (script.isEmpty()) throw new AssertionError("script exhausted at attempt " + context.number());
    Object outcome = script.remove(0);
    if (outcome instanceof IOException) throw (IOException) outcome;
    if (outcome instanceof InterruptedException) throw (InterruptedException) outcome;
    if (outcome instanceof RuntimeException) throw (RuntimeException) outcome;
    if (outcome instanceof Error) throw (Error) outcome;
    FakeResponse response = (FakeResponse) outcome;
    responses.add(response);
    if (decidesEarly) {
      context.decide(response.status, name -> FakeResponse.ACCESS.headers(response, name));
    }
    return response;
  }

  /** Runs the call to completion and returns its response, or throws its failure. */
  public FakeResponse run(Mode mode, RetryPolicy policy, CallInfo call) throws Exception {
    RetryExecutor executor = new RetryExecutor(policy);
    if (mode == Mode.SYNC) {
      return executor.execute(call, this::next, FakeResponse.ACCESS, Cancellation.NEVER);
    }
    CompletableFuture<FakeResponse> future = start(executor, call);
    ((VirtualClock) policy.clock()).runAll();
    try {
      if (!future.isDone()) throw new AssertionError("async call did not complete: " + future);
      return future.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception) throw (Exception) e.getCause();
      if (e.getCause() instanceof Error) throw (Error) e.getCause();
      throw e;
    } catch (CancellationException e) {
      // Java 25's Future.get() throws a new CancellationException("get") caused by the one the
      // future holds; earlier JDKs throw the held one. Report the held one.
      throw e.getCause() instanceof CancellationException ? (CancellationException) e.getCause() : e;
    }
  }

  /**
   * Runs the call synchronously; {@code cancelled} is polled as the cancel flag of a client that
   * cannot signal a cancel (the executor's fallback).
   */
  public FakeResponse runSync(RetryPolicy policy, CallInfo call, BooleanSupplier cancelled)
      throws IOException, InterruptedException {
    return new RetryExecutor(policy).execute(call, this::next, FakeResponse.ACCESS, cancelled::getAsBoolean);
  }

  /** Runs the call synchronously with a cancel that signals (as OkHttp 5 and the call factory do). */
  public FakeResponse runSyncSignalled(RetryPolicy policy, CallInfo call, Cancellation cancel)
      throws IOException, InterruptedException {
    return new RetryExecutor(policy).execute(call, this::next, FakeResponse.ACCESS, cancel);
  }

  /** Runs the call synchronously on {@code executor}, which nothing can cancel. */
  public FakeResponse execute(RetryExecutor executor, CallInfo call)
      throws IOException, InterruptedException {
    return executor.execute(call, this::next, FakeResponse.ACCESS, Cancellation.NEVER);
  }

  public CompletableFuture<FakeResponse> start(RetryExecutor executor, CallInfo call) {
    return executor.executeAsync(
        call,
        context -> {
          try {
            return CompletableFuture.completedFuture(next(context));
          } catch (IOException | InterruptedException | RuntimeException | Error e) {
            return CompletableFuture.failedFuture(e);
          }
        },
        FakeResponse.ACCESS);
  }
}
