package dev.stoic.internal;

import dev.stoic.FailureKind;
import dev.stoic.RetriesExhaustedException;
import dev.stoic.RetryClock;
import dev.stoic.RetryEvent;
import dev.stoic.RetryEvent.Action;
import dev.stoic.RetryListener;
import dev.stoic.RetryPolicy;
import dev.stoic.Retryability;
import dev.stoic.StatusGuide;
import dev.stoic.ThrottledException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * Runs a logical call: attempts, decisions, waits, events, and the closing of every response the
 * caller will not get. The one loop every adapter shares; adapters only translate requests and
 * responses.
 *
 * <p>Not API. Thread-safe: one executor serves all calls of its policy.
 */
public final class RetryExecutor {
  private static final System.Logger LOG = System.getLogger("dev.stoic");
  /** How often a sync wait checks for cancellation: the bound on how late a cancel is seen. */
  static final long CANCEL_POLL_NANOS = Duration.ofMillis(5).toNanos();

  /** For callers with no way to cancel a call but thread interruption: waits need no polling. */
  public static final BooleanSupplier NEVER_CANCELLED = () -> false;

  /** Sends one attempt and blocks for its response. */
  @FunctionalInterface
  public interface SyncAttempt<R> {
    R run(AttemptContext context) throws IOException, InterruptedException;
  }

  /**
   * Starts one attempt without blocking. Cancelling the returned future must abort the exchange.
   */
  @FunctionalInterface
  public interface AsyncAttempt<R> {
    CompletableFuture<R> start(AttemptContext context);
  }

  final RetryPolicy policy;
  final DecisionEngine engine;
  final RetryClock clock;

  public RetryExecutor(RetryPolicy policy) {
    this.policy = policy;
    this.engine = new DecisionEngine(policy);
    this.clock = policy.clock();
  }

  public RetryPolicy policy() {
    return policy;
  }

  /**
   * Runs the call on the calling thread, waiting between attempts.
   *
   * @param cancelled polled before each attempt and during waits; a wait ends within a few
   *     milliseconds of it turning true
   * @return the final response, handed over unchanged
   * @throws IOException the final failure; {@link RetriesExhaustedException} after retries
   * @throws InterruptedException if the thread was interrupted while waiting (its flag is set)
   */
  public <R> R execute(
      CallInfo call, SyncAttempt<R> attempt, ResponseAccess<R> access, BooleanSupplier cancelled)
      throws IOException, InterruptedException {
    AttemptContext state = new AttemptContext(this, call, clock.nanoTime());
    while (true) {
      if (cancelled.getAsBoolean()) {
        throw cancelled(state, "the call was cancelled before attempt " + (state.attempt + 1));
      }
      if (policy.throttle() != null) {
        long wait = permitWaitNanos(state);
        if (wait > 0) pause(state, wait, cancelled);
      }
      state = state.next(clock.nanoTime());
      R response;
      try {
        response = attempt.run(state);
      } catch (IOException e) {
        FailureKind kind = cancelled.getAsBoolean() ? FailureKind.CANCELLED : FailureClassifier.classify(e);
        Decision decision = decideFailure(state, e, kind);
        if (decision.action != Action.RETRY) throw finalFailure(state, e, kind);
        state.recordFailure(e);
        sleep(state, decision, cancelled);
        continue;
      } catch (InterruptedException e) {
        decideFailure(state, e, FailureKind.INTERRUPTED);
        Thread.currentThread().interrupt();
        throw e;
      } catch (RuntimeException | Error e) {
        // As in the async path: a CancellationException is a cancel; anything else is a bug.
        decideFailure(state, e, e instanceof java.util.concurrent.CancellationException
            ? FailureKind.CANCELLED : FailureKind.NOT_IO);
        throw e;
      }
      Decision decision = decideResponse(state, response, access);
      if (decision.action != Action.RETRY) return finishResponse(state, response, access, decision);
      access.discard(response);
      sleep(state, decision, cancelled);
    }
  }

  /**
   * Runs the call asynchronously. No thread is held while a retry waits: the next attempt is
   * scheduled on the clock. Cancelling the returned future cancels the pending wait or the
   * attempt in flight, and no attempt follows.
   */
  public <R> CompletableFuture<R> executeAsync(
      CallInfo call, AsyncAttempt<R> attempt, ResponseAccess<R> access) {
    AsyncRun<R> run = new AsyncRun<>(this, new AttemptContext(this, call, clock.nanoTime()), attempt, access);
    run.startAttempt();
    return run.result;
  }

  /**
   * Asks the throttle for a permit and returns the wait before the next attempt may go out.
   *
   * @throws ThrottledException if the throttle refuses, or its wait would cross the deadline
   */
  long permitWaitNanos(AttemptContext state) throws ThrottledException {
    long wait = policy.throttle().reserveNanos(state.call.host);
    if (wait < 0) {
      throw new ThrottledException("the client-side rate limit for " + state.call.host
          + " has no permit available");
    }
    if (wait > 0 && wait >= state.remainingNanos(clock.nanoTime())) {
      throw new ThrottledException("the client-side rate limit for " + state.call.host
          + " asks to wait " + wait / 1_000_000 + " ms, beyond the deadline");
    }
    return wait;
  }

  private void sleep(AttemptContext state, Decision decision, BooleanSupplier cancelled)
      throws IOException, InterruptedException {
    pause(state, decision.waitNanos, cancelled);
    state.previousWaitNanos = decision.waitNanos;
  }

  private void pause(AttemptContext state, long waitNanos, BooleanSupplier cancelled)
      throws IOException, InterruptedException {
    long end = clock.nanoTime() + waitNanos;
    try {
      while (true) {
        if (cancelled.getAsBoolean()) {
          throw cancelled(state, "the call was cancelled while waiting to retry");
        }
        long remaining = end - clock.nanoTime();
        if (remaining <= 0) break;
        // Nothing can cancel the call: one sleep, which only an interrupt ends early.
        long slice = cancelled == NEVER_CANCELLED ? remaining : Math.min(remaining, CANCEL_POLL_NANOS);
        clock.sleep(Duration.ofNanos(slice));
      }
    } catch (InterruptedException e) {
      emit(state, Decision.giveUp("the calling thread was interrupted while waiting to retry"),
          -1, e, FailureKind.INTERRUPTED);
      Thread.currentThread().interrupt();
      throw e;
    }
  }

  /** Reports a cancel seen by the sync loop and returns the exception OkHttp itself would throw. */
  private IOException cancelled(AttemptContext state, String reason) {
    IOException e = new IOException("Canceled");
    emit(state, Decision.giveUp(reason), -1, e, FailureKind.CANCELLED);
    return e;
  }

  <R> Decision decideResponse(AttemptContext state, R response, ResponseAccess<R> access) {
    int status = access.status(response);
    Decision decision = state.earlyDecision;
    if (decision == null) {
      // The success path reads no header, so it builds no lookup, and it hands the state to no
      // method too big to inline (see DecisionEngine.passThrough).
      decision = policy.retryability(status) == Retryability.PASS_THROUGH
          ? DecisionEngine.passThrough(status)
          : decideHeaders(state, status, name -> access.headers(response, name));
    }
    if (decision.action == Action.RETURN) policy.retryBudget().recordSuccess(state.call.host);
    if (policy.throttle() != null) {
      policy.throttle().onResponse(state.call.host, status, name -> access.headers(response, name));
    }
    emit(state, decision, status, null, null);
    return decision;
  }

  /**
   * Decides from status and headers alone, before the body is read. Adapters that must choose
   * where a body goes (the JDK client's body handler) call this through {@link
   * AttemptContext#decide}; the decision then stands for the attempt.
   */
  Decision decideHeaders(AttemptContext state, int status, HeaderLookup headers) {
    if (policy.retryability(status) == Retryability.PASS_THROUGH) {
      return DecisionEngine.passThrough(status); // as the engine would, without the state
    }
    Decision decision = engine.decideResponse(state, status, headers);
    if (decision.refreshCredentials) decision = refreshCredentials(state, decision);
    return decision;
  }

  Decision decideFailure(AttemptContext state, Throwable failure, FailureKind kind) {
    Decision decision = engine.decideFailure(state, failure, kind);
    emit(state, decision, -1, failure, kind);
    return decision;
  }

  private Decision refreshCredentials(AttemptContext state, Decision decision) {
    state.credentialsRefreshed = true;
    String fresh;
    try {
      fresh = policy.credentialRefresher().refreshAuthorization();
    } catch (Exception e) {
      LOG.log(System.Logger.Level.WARNING, "credential refresher failed: " + e.getClass().getName());
      fresh = null;
    }
    if (fresh == null || fresh.isEmpty()) {
      return Decision.giveUp("401 Unauthorized: the credential refresher had no fresh credentials");
    }
    state.authorization = fresh;
    return decision;
  }

  /** Returns the final response, or closes it and throws when the policy asks for that. */
  <R> R finishResponse(AttemptContext state, R response, ResponseAccess<R> access, Decision decision)
      throws RetriesExhaustedException {
    int status = access.status(response);
    if (decision.action == Action.GIVE_UP && policy.throwOnFailureStatus() && status >= 400) {
      access.discard(response);
      throw new RetriesExhaustedException(
          message(state, decision) + ". " + StatusGuide.explain(status), null, state.history(), status);
    }
    return response;
  }

  /**
   * The exception the caller sees: after a single attempt (or on cancellation) the original;
   * after retries a {@link RetriesExhaustedException} with the last failure as its cause and the
   * earlier ones suppressed.
   */
  IOException finalFailure(AttemptContext state, IOException last, FailureKind kind) {
    if (state.attempt == 1 || kind == FailureKind.CANCELLED || kind == FailureKind.INTERRUPTED) {
      return last;
    }
    Decision decision = state.lastDecision;
    RetriesExhaustedException e = new RetriesExhaustedException(
        message(state, decision), last, state.history(), -1);
    for (Throwable earlier : state.failures()) e.addSuppressed(earlier);
    return e;
  }

  private String message(AttemptContext state, Decision decision) {
    return state.call.method + " " + policy.redaction().url(state.call.url) + " failed after "
        + state.attempt + (state.attempt == 1 ? " attempt: " : " attempts: ") + decision.reason;
  }

  void emit(AttemptContext state, Decision decision, int status, Throwable failure, FailureKind kind) {
    state.lastDecision = decision;
    boolean log = LOG.isLoggable(System.Logger.Level.DEBUG);
    if (state.attempt == 1 && decision.action == Action.RETURN
        && policy.listeners().isEmpty() && !log) {
      return; // the success path: nobody is listening and nothing went wrong
    }
    long now = clock.nanoTime();
    RetryEvent event = new RetryEvent(
        state.attempt,
        state.call.method,
        policy.redaction().url(state.call.url),
        status,
        failure == null ? null : failure.getClass().getName(),
        kind,
        decision.action,
        decision.reason,
        Duration.ofNanos(decision.waitNanos),
        Duration.ofNanos(now - state.startNanos));
    state.record(event);
    for (RetryListener listener : policy.listeners()) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "retry listener threw " + e.getClass().getName());
      }
    }
    if (log) LOG.log(System.Logger.Level.DEBUG, event.toString());
  }
}
