package dev.stoic.engine;

import dev.stoic.Decision;
import dev.stoic.RetriesExhaustedException;
import dev.stoic.RetryBudget;
import dev.stoic.RetryClock;
import dev.stoic.Decision.Action;
import dev.stoic.RetryListener;
import dev.stoic.RetryObserver;
import dev.stoic.RetryPolicy;
import dev.stoic.http.Methods;
import dev.stoic.spi.AsyncAttempt;
import dev.stoic.spi.CallInfo;
import dev.stoic.spi.CallRunner;
import dev.stoic.spi.Cancellation;
import dev.stoic.spi.ResponseAccess;
import dev.stoic.spi.SyncAttempt;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * Runs logical calls for every adapter: the sync loop here and the async state machine in {@link
 * AsyncRun} drive the same attempt step ({@link AttemptStep}); only how they wait differs.
 *
 * <p>The engine's {@link CallRunner}; not API itself. Thread-safe: one executor serves all calls
 * of its policy.
 */
public final class RetryExecutor implements CallRunner {
  /** How often a sync wait checks for a cancel when the client has no way to signal one. */
  static final Duration CANCEL_POLL = Duration.ofMillis(5);

  final RetryPolicy policy;
  /** The policy's budget, or the client's when routes or views share one (see {@link Routing}). */
  final RetryBudget budget;
  final RetryClock clock;
  final AttemptStep step;
  /** The hedge delays and the latencies they follow; null when the policy does not hedge. */
  final HedgeDelays hedgeDelays;
  /** Who hears of every call: the client's listeners, and the policy's own when it differs. */
  final List<RetryListener> listeners;
  /** Who observes every call (metrics, tracing): the client's, and the policy's own. */
  final List<RetryObserver> observers;
  /** A candidate policy deciding beside this one (see {@link LiveRouting}); null when none. */
  final Shadow shadow;

  public RetryExecutor(RetryPolicy policy) {
    this(policy, policy.retryBudget());
  }

  /** Runs {@code policy}'s calls, spending {@code budget} rather than the policy's own. */
  public RetryExecutor(RetryPolicy policy, RetryBudget budget) {
    this(policy, budget, policy);
  }

  /**
   * Runs {@code policy}'s calls for a client whose own policy is {@code client}: the budget is the
   * client's, and the client's listeners and observers hear of every call beside the policy's
   * own. A policy chosen for a request or a view changes the rules, not who watches.
   */
  RetryExecutor(RetryPolicy policy, RetryBudget budget, RetryPolicy client) {
    this(policy, budget, client, null, null);
  }

  /**
   * As {@link #RetryExecutor(RetryPolicy, RetryBudget, RetryPolicy)}, following the latencies of
   * {@code hedgeDelays} (carried over a swap; null: fresh ones) and comparing each decision with
   * {@code shadow}'s (null: none).
   */
  RetryExecutor(RetryPolicy policy, RetryBudget budget, RetryPolicy client,
      HedgeDelays hedgeDelays, Shadow shadow) {
    this.policy = policy;
    this.shadow = shadow;
    this.budget = budget;
    this.listeners = union(client.listeners(), policy.listeners());
    this.observers = union(client.observers(), policy.observers());
    this.clock = policy.clock();
    this.step = new AttemptStep(this);
    this.hedgeDelays = policy.hedging() == null ? null
        : hedgeDelays != null ? hedgeDelays : new HedgeDelays(policy.hedging());
  }

  @Override
  public RetryPolicy policy() {
    return policy;
  }

  @Override
  public <R> R send(CallInfo call, SyncAttempt<R> sync, AsyncAttempt<R> async,
      ResponseAccess<R> access, Cancellation cancellation)
      throws IOException, InterruptedException {
    if (!hedges(call)) return execute(call, sync, access, cancellation);
    // Hedges overlap: the attempts run as an async call's, and this thread waits for the winner.
    CompletableFuture<R> run = executeAsync(call, async, access);
    if (cancellation != Cancellation.NEVER) {
      CompletionStage<?> signal = cancellation.signal();
      if (signal != null) signal.whenComplete((ignored, failure) -> run.cancel(false));
      if (cancellation.isCancelled()) run.cancel(false);
    }
    try {
      return await(run);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the call is cancelled; the flag stays set, as in execute
      throw e;
    }
  }

  @Override
  public <R> R sendSerially(CallInfo call, SyncAttempt<R> sync, ResponseAccess<R> access,
      Cancellation cancellation) throws IOException, InterruptedException {
    return execute(call, sync, access, cancellation);
  }

  @Override
  public <R> CompletableFuture<R> sendAsync(
      CallInfo call, AsyncAttempt<R> async, ResponseAccess<R> access) {
    return executeAsync(call, async, access);
  }

  /**
   * Runs the call on the calling thread, waiting between attempts.
   *
   * @param cancel checked before each attempt; a wait ends as soon as it signals
   * @return the final response, handed over unchanged
   * @throws IOException the last attempt's own failure, with the call's history attached (see
   *     {@link RetriesExhaustedException#historyOf})
   * @throws InterruptedException if the thread was interrupted while waiting (its flag is set)
   */
  public <R> R execute(
      CallInfo call, SyncAttempt<R> attempt, ResponseAccess<R> access, Cancellation cancel)
      throws IOException, InterruptedException {
    AttemptContext state = new AttemptContext(this, call, clock.nanoTime());
    while (true) {
      if (cancel.isCancelled()) {
        throw step.cancelled(state, "the call was cancelled before attempt " + state.attempt);
      }
      if (policy.throttle() != null) pause(state, step.permitWaitNanos(state), cancel, false);
      state.starting();
      R response;
      try {
        response = attempt.run(state);
      } catch (IOException | InterruptedException | RuntimeException | Error e) {
        state.handedOver();
        Decision decision = step.onFailure(state, e, cancel.isCancelled());
        if (decision.action() != Action.RETRY) {
          if (e instanceof IOException) throw step.finalFailure(state, (IOException) e);
          if (e instanceof InterruptedException) Thread.currentThread().interrupt();
          throw e;
        }
        pause(state, decision.waitNanos(), cancel, true);
        state = state.next(decision.waitNanos());
        continue;
      }
      state.handedOver();
      Decision decision = step.onResponse(state, response, access);
      if (decision.action() != Action.RETRY) return step.finish(state, response, access, decision);
      pause(state, decision.waitNanos(), cancel, true);
      state = state.next(decision.waitNanos());
    }
  }

  /**
   * Runs the call asynchronously. No thread is held while a retry waits: the next attempt is
   * scheduled on the clock. A call the policy hedges ({@link #hedges}) may have attempts running
   * side by side; the first answer wins and the others are cancelled. Cancelling the returned future cancels the pending wait or the
   * attempt in flight, and no attempt follows.
   */
  public <R> CompletableFuture<R> executeAsync(
      CallInfo call, AsyncAttempt<R> attempt, ResponseAccess<R> access) {
    AttemptContext first = new AttemptContext(this, call, clock.nanoTime());
    if (hedges(call)) {
      HedgedRun<R> run = new HedgedRun<>(this, first, attempt, access);
      run.start();
      return run.result;
    }
    AsyncRun<R> run = new AsyncRun<>(this, first, attempt, access);
    run.startAttempt();
    return run.result;
  }

  /**
   * True if {@code call} is hedged: the policy hedges, the body can be sent again, and the request
   * is safe to send twice (an idempotent method, the caller's idempotency key, or one the policy
   * generates). Adapters run such a call with {@link #executeAsync}, a sync caller waiting on
   * its future ({@link #await}).
   */
  @Override
  public boolean hedges(CallInfo call) {
    return hedgeDelays != null && call.bodyReplayable()
        && (Methods.isIdempotent(call.method()) || call.callerIdempotencyKey() != null
            || policy.idempotencyKey().autoGenerates());
  }

  /**
   * Waits on the calling thread for a call run with {@link #executeAsync}: how a sync caller
   * runs a hedged call, whose attempts overlap. An interrupt cancels the call.
   *
   * @throws IOException the call's failure as it is; {@code "Canceled"} if it was cancelled
   * @throws InterruptedException if the thread was interrupted while waiting (the call is
   *     cancelled, and the flag is not set, as with any method that throws it)
   */
  public static <R> R await(CompletableFuture<R> call) throws IOException, InterruptedException {
    try {
      return call.get();
    } catch (InterruptedException e) {
      call.cancel(true);
      throw e;
    } catch (CancellationException e) {
      throw new IOException("Canceled", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException) throw (IOException) cause;
      if (cause instanceof CancellationException) {
        // An attempt cancelled elsewhere ends the call; its failure says why, if it has one.
        Throwable why = cause.getCause();
        throw why instanceof IOException ? (IOException) why : new IOException("Canceled", cause);
      }
      if (cause instanceof RuntimeException) throw (RuntimeException) cause;
      if (cause instanceof Error) throw (Error) cause;
      throw new IOException(cause);
    }
  }

  /** {@code first}, then what of {@code more} it lacks; {@code first} itself when that is nothing. */
  private static <T> List<T> union(List<T> first, List<T> more) {
    if (first == more || more.isEmpty()) return first;
    if (first.isEmpty()) return more;
    List<T> all = new ArrayList<>(first);
    for (T t : more) if (!all.contains(t)) all.add(t);
    return List.copyOf(all);
  }

  /** Decides from a status and headers an adapter read early (see AttemptContext.decide). */
  Decision decideResponse(AttemptContext state) {
    return step.decide(state);
  }

  /**
   * Blocks for {@code nanos}, ending early for a cancel (IOException) or an interrupt; a wait to
   * {@code retry} also ends when the throttle will refuse the retry (see {@link RetryWait}), and
   * the permit that follows refuses it.
   */
  private void pause(AttemptContext state, long nanos, Cancellation cancel, boolean retry)
      throws IOException, InterruptedException {
    if (nanos > 0) {
      CompletableFuture<Void> refused =
          retry && policy.throttle() != null ? new CompletableFuture<>() : null;
      RetryClock.Cancellable watch = refused == null ? null : RetryWait.watch(
          this, state, clock.nanoTime() + nanos, () -> refused.complete(null));
      try {
        CompletionStage<?> signal = cancel == Cancellation.NEVER ? null : cancel.signal();
        if (cancel != Cancellation.NEVER && signal == null) {
          pollingSleep(nanos, cancel, refused);
        } else if (signal == null && refused == null) {
          clock.sleep(Duration.ofNanos(nanos)); // nothing can cancel: only an interrupt ends it
        } else {
          clock.sleep(Duration.ofNanos(nanos), signal == null ? refused
              : refused == null ? signal
              : CompletableFuture.anyOf(signal.toCompletableFuture(), refused));
        }
      } catch (InterruptedException e) {
        step.interrupted(state);
        Thread.currentThread().interrupt();
        throw e;
      } finally {
        if (watch != null) watch.cancel();
      }
    }
    if (cancel.isCancelled()) {
      throw step.cancelled(state, "the call was cancelled while waiting to retry");
    }
  }

  /** For clients that cannot signal a cancel (OkHttp 4.12's interceptor chain): checks often. */
  private void pollingSleep(long nanos, Cancellation cancel, CompletableFuture<?> refused)
      throws InterruptedException {
    long end = clock.nanoTime() + nanos;
    for (long left = nanos; left > 0 && !cancel.isCancelled()
        && (refused == null || !refused.isDone()); left = end - clock.nanoTime()) {
      clock.sleep(Duration.ofNanos(Math.min(left, CANCEL_POLL.toNanos())));
    }
  }

  /**
   * Absolute clock time by which a call started at {@code startNanos} must end, or
   * Long.MAX_VALUE: the policy's deadline or the client's call timeout, whichever is shorter.
   * Worked out when asked rather than kept on every attempt's context.
   */
  long deadlineNanos(CallInfo call, long startNanos) {
    Duration deadline = policy.deadline();
    long limit = deadline == null ? Long.MAX_VALUE : deadline.toNanos();
    long client = call.clientTimeoutNanos();
    if (client > 0) limit = Math.min(limit, client);
    return limit == Long.MAX_VALUE ? Long.MAX_VALUE : startNanos + limit;
  }

  /**
   * The time limit of an attempt going out at {@code nowNanos} in a call that must end by {@code
   * deadlineNanos}: the policy's attempt timeout or the time left, whichever is shorter (at least
   * 1 ns); 0 for none.
   */
  long attemptTimeoutNanos(long deadlineNanos, long nowNanos) {
    Duration attemptTimeout = policy.attemptTimeout();
    long timeout = attemptTimeout == null ? 0 : attemptTimeout.toNanos();
    if (deadlineNanos != Long.MAX_VALUE) {
      long left = Math.max(1, deadlineNanos - nowNanos);
      timeout = timeout == 0 ? left : Math.min(timeout, left);
    }
    return timeout;
  }
}
