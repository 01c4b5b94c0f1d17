package dev.stoic.engine;

import dev.stoic.Decision;
import dev.stoic.RetriesExhaustedException;
import dev.stoic.RetryEvent;
import dev.stoic.RetryEvent.Action;
import dev.stoic.RetryBudget;
import dev.stoic.RetryListener;
import dev.stoic.RetryPolicy;
import dev.stoic.Throttle;
import dev.stoic.ThrottledException;
import dev.stoic.http.FailureKind;
import dev.stoic.http.StatusGuide;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;

/**
 * What happens around one attempt, the same for sync and async calls: asking the throttle,
 * deciding (the policy's pure {@link RetryPolicy#decide}, then the budget and the credential
 * refresher), telling the throttle, reporting the event, closing a response the caller will not
 * get, and building the exception the caller sees. The two drivers only wait differently.
 *
 * <p>User code called here (throttle, credential refresher) may throw: the response at hand is
 * then closed and the call fails with that exception, on both paths. A throwing listener is
 * logged and ignored.
 */
final class AttemptStep {
  private static final System.Logger LOG = System.getLogger("dev.stoic");

  private final RetryExecutor executor;
  private final RetryPolicy policy;

  AttemptStep(RetryExecutor executor) {
    this.executor = executor;
    this.policy = executor.policy;
  }

  /**
   * Asks the throttle for a permit and returns the wait before the attempt may go out.
   *
   * @throws ThrottledException if the throttle refuses, or its wait would cross the deadline
   */
  long permitWaitNanos(AttemptContext state) throws ThrottledException {
    Throttle throttle = policy.throttle();
    long wait = throttle.reserveNanos(state.call.host);
    if (wait < 0) {
      throw new ThrottledException("the client-side rate limit for " + state.call.host
          + " has no permit available");
    }
    if (wait > 0 && wait >= state.remainingNanos(executor.clock.nanoTime())) {
      throw new ThrottledException("the client-side rate limit for " + state.call.host
          + " asks to wait " + wait / 1_000_000 + " ms, beyond the deadline");
    }
    return wait;
  }

  /**
   * Decides after a response and reports it. On RETRY the response is closed here.
   *
   * @throws RuntimeException from the throttle or the credential refresher, after closing the
   *     response
   */
  <R> Decision onResponse(AttemptContext state, R response, ResponseAccess<R> access) {
    try {
      int status = access.status(response);
      state.responded(response, access, status, executor.clock.nanoTime());
      Decision decision = state.earlyDecision;
      if (decision == null) decision = decide(state);
      Throttle throttle = policy.throttle();
      if (throttle != null) throttle.onResponse(state.call.host, status, state.hints());
      emit(state, decision, status, null, null);
      if (decision.action() == Action.RETRY) access.discard(response);
      return decision;
    } catch (RuntimeException | Error e) {
      access.discard(response);
      throw e;
    }
  }

  /** The policy's decision on a response, then the budget and the credential refresher. */
  Decision decide(AttemptContext state) {
    Decision decision = policy.decide(state);
    RetryBudget budget = policy.retryBudget();
    // How a retry the budget allowed ended: a success refunds its cost, and either way it counts
    // towards whether retries to the host are working.
    if (state.paidRetry) budget.recordRetry(state.call.host, decision.action() == Action.RETURN);
    switch (decision.action()) {
      case RETURN:
        budget.recordSuccess(state.call.host);
        return decision;
      case RETRY:
        if (decision.refreshCredentials()) return refreshCredentials(state, decision);
        return spendBudget(state, decision);
      default:
        return decision;
    }
  }

  /** Decides after a failed attempt and reports it. */
  Decision onFailure(AttemptContext state, Throwable failure, boolean cancelled) {
    FailureKind kind = cancelled ? FailureKind.CANCELLED : FailureKind.of(failure);
    state.failed(failure, kind, executor.clock.nanoTime());
    Decision decision = policy.decide(state);
    if (state.paidRetry && kind != FailureKind.CANCELLED && kind != FailureKind.INTERRUPTED) {
      policy.retryBudget().recordRetry(state.call.host, false);
    }
    if (decision.action() == Action.RETRY) decision = spendBudget(state, decision);
    emit(state, decision, -1, failure, kind);
    return decision;
  }

  /**
   * Last, after the policy said RETRY, so that a retry refused for other reasons costs nothing. A
   * retry whose wait the server set is not refused while the budget's floor can pay for it a
   * little later: it waits longer instead, at most as long again (a caller refused at once would
   * come back before the server's time), within maxRetryAfter and the deadline.
   */
  private Decision spendBudget(AttemptContext state, Decision decision) {
    RetryBudget budget = policy.retryBudget();
    if (!budget.isEnabled()) return decision;
    long now = executor.clock.nanoTime();
    long wait = decision.waitNanos();
    long maxExtra = 0;
    if (decision.serverHinted()) {
      maxExtra = Math.min(wait, Math.max(0, policy.maxRetryAfter().toNanos() - wait));
      long remaining = state.remainingNanos(now);
      if (remaining != Long.MAX_VALUE) maxExtra = Math.min(maxExtra, remaining - wait - 1);
    }
    long extra = budget.acquireRetry(state.call.host, now, wait, maxExtra);
    if (extra < 0) {
      return Decision.giveUp(decision.reason() + ": the retry budget for " + state.call.host
          + " is spent; retries resume as successes refill it");
    }
    state.budgetSpent = true;
    if (extra == 0) return decision;
    return Decision.retryForServerHint(wait + extra, decision.reason()
        + ", then for the retry budget (" + Duration.ofNanos(extra).toMillis() + " ms more)");
  }

  private Decision refreshCredentials(AttemptContext state, Decision decision) {
    state.credentialsRefreshed = true;
    String fresh;
    try {
      fresh = policy.credentialRefresher().refreshAuthorization();
    } catch (Exception e) {
      // The exception's message may hold a secret; its type and stack say what failed.
      LOG.log(System.Logger.Level.WARNING, "credential refresher failed with "
          + e.getClass().getName(), Redacted.of(e));
      fresh = null;
    }
    if (fresh == null || fresh.isEmpty()) {
      return Decision.giveUp(
          "401 Unauthorized: the credential refresher had no fresh credentials");
    }
    state.authorization = fresh;
    return decision;
  }

  /** Returns the final response, or closes it and throws when the policy asks for that. */
  <R> R finish(AttemptContext state, R response, ResponseAccess<R> access, Decision decision)
      throws RetriesExhaustedException {
    int status = access.status(response);
    if (decision.action() == Action.GIVE_UP && policy.throwOnFailureStatus() && status >= 400) {
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
  IOException finalFailure(AttemptContext state, IOException last) {
    FailureKind kind = state.failureKind();
    if (state.attempt == 1 || kind == FailureKind.CANCELLED || kind == FailureKind.INTERRUPTED) {
      return last;
    }
    RetriesExhaustedException e = new RetriesExhaustedException(
        message(state, state.lastDecision), last, state.history(), -1);
    for (Throwable earlier : state.failures()) e.addSuppressed(earlier);
    return e;
  }

  /** Reports a cancel seen between attempts and returns the exception OkHttp itself would throw. */
  IOException cancelled(AttemptContext state, String reason) {
    IOException e = new IOException("Canceled");
    state.ended(executor.clock.nanoTime());
    emit(state, Decision.giveUp(reason), -1, e, FailureKind.CANCELLED);
    return e;
  }

  /** Reports a cancel of an async call by its caller. */
  void cancelledByCaller(AttemptContext state) {
    state.ended(executor.clock.nanoTime());
    emit(state, Decision.giveUp("the call was cancelled"), -1,
        new CancellationException(), FailureKind.CANCELLED);
  }

  /** Reports an interrupt during a wait. */
  void interrupted(AttemptContext state) {
    state.ended(executor.clock.nanoTime());
    emit(state, Decision.giveUp("the calling thread was interrupted while waiting to retry"),
        -1, new InterruptedException(), FailureKind.INTERRUPTED);
  }

  private String message(AttemptContext state, Decision decision) {
    return state.call.method + " " + policy.redaction().url(state.call.url) + " failed after "
        + state.attempt + (state.attempt == 1 ? " attempt: " : " attempts: ") + decision.reason();
  }

  void emit(AttemptContext state, Decision decision, int status, Throwable failure, FailureKind kind) {
    state.lastDecision = decision;
    boolean log = LOG.isLoggable(System.Logger.Level.DEBUG);
    if (state.attempt == 1 && decision.action() == Action.RETURN
        && policy.listeners().isEmpty() && !log) {
      return; // the success path: nobody is listening and nothing went wrong
    }
    RetryEvent event = new RetryEvent(
        state.attempt,
        state.call.method,
        policy.redaction().url(state.call.url),
        status,
        failure == null ? null : failure.getClass().getName(),
        kind,
        decision.action(),
        decision.reason(),
        Duration.ofNanos(decision.waitNanos()),
        Duration.ofNanos(executor.clock.nanoTime() - state.startNanos));
    state.record(event);
    for (RetryListener listener : policy.listeners()) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "retry listener " + listener.getClass().getName()
            + " threw " + e.getClass().getName(), Redacted.of(e));
      }
    }
    if (log) LOG.log(System.Logger.Level.DEBUG, event.toString());
  }
}
