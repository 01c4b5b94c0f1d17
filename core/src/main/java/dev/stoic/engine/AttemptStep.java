package dev.stoic.engine;

import dev.stoic.CircuitOpenException;
import dev.stoic.Decision.Cause;
import dev.stoic.Decision;
import dev.stoic.RetriesExhaustedException;
import dev.stoic.RetryBudget;
import dev.stoic.Decision.Action;
import dev.stoic.RetryEvent;
import dev.stoic.RetryListener;
import dev.stoic.RetryPolicy;
import dev.stoic.Throttle;
import dev.stoic.ThrottledException;
import dev.stoic.http.FailureKind;
import dev.stoic.http.StatusGuide;
import dev.stoic.internal.BudgetAccounts;
import dev.stoic.spi.ResponseAccess;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.function.UnaryOperator;

/**
 * What happens around one attempt, the same for sync and async calls: asking the throttle,
 * deciding (the policy's pure {@link RetryPolicy#decide}, then the budget and the credential
 * refresher), telling the throttle, reporting the event, closing a response the caller will not
 * get, and building the exception the caller sees. The two drivers only wait differently.
 *
 * <p>User code called here (throttle, credential refresher) may throw: the response at hand is
 * then closed and the call fails with that exception, on both paths. A throwing listener, and a
 * throttle throwing after a failed attempt or on a retry check, is logged and ignored.
 */
final class AttemptStep {
  private static final BudgetAccounts<RetryBudget> ACCOUNTS = BudgetAccounts.get();
  private static final System.Logger LOG = System.getLogger("dev.stoic");

  private final RetryExecutor executor;
  private final RetryPolicy policy;

  AttemptStep(RetryExecutor executor) {
    this.executor = executor;
    this.policy = executor.policy;
  }

  /**
   * Asks the throttle for a permit and returns the wait before the attempt may go out. A refusal
   * is reported to listeners like any other end of a call.
   *
   * @throws IOException a {@link ThrottledException} if the throttle has no permit, or its wait
   *     would cross the deadline; or the throttle's own refusal, such as an open circuit
   */
  long permitWaitNanos(AttemptContext state) throws IOException {
    Throttle throttle = policy.throttle();
    String host = state.call.host();
    long wait;
    try {
      wait = throttle.permitNanos(host, state.safeToRepeat());
      if (wait < 0) {
        throw new ThrottledException("the client-side rate limit for " + host
            + " has no permit available");
      }
      if (wait > 0 && wait >= state.remainingNanos(executor.clock.nanoTime())) {
        throw new ThrottledException("the client-side rate limit for " + host
            + " asks to wait " + wait / 1_000_000 + " ms, beyond the deadline");
      }
    } catch (IOException e) {
      state.failed(e, FailureKind.REFUSED, executor.clock.nanoTime());
      // Stoic's own refusals say only the host and a time; another's message might say more.
      String why = e instanceof ThrottledException || e instanceof CircuitOpenException
          ? e.getMessage() : e.getClass().getSimpleName() + " from the throttle";
      Decision refusal = Decision.giveUp(Cause.THROTTLE, "not sent: " + why);
      report(state, refusal);
      if (state.observation() != null) {
        state.observation().callEnded(state, refusal, executor.clock.nanoTime());
      }
      throw e;
    } catch (RuntimeException | Error e) {
      aborted(state, e, "the throttle threw ");
      throw e;
    }
    if (wait > 0 && state.observation() != null) state.observation().throttled(wait);
    return wait;
  }

  /**
   * Tells the observers that user code Stoic called (the throttle, a status classifier) threw and
   * so ended the call.
   */
  private void aborted(AttemptContext state, Throwable e, String what) {
    Observation observation = state.observation();
    if (observation == null || observation.isEnded()) return;
    observation.callEnded(state, Decision.giveUp(Cause.EXCEPTION, what + e.getClass().getName()),
        executor.clock.nanoTime());
  }

  /**
   * Tells the observers that an async call ended from outside (its future completed by the
   * caller, an {@code orTimeout}, a {@code complete}) if nothing else has told them yet.
   */
  void completedFromOutside(AttemptContext state) {
    Observation observation = state.observation();
    if (observation == null || observation.isEnded()) return;
    observation.callEnded(state, Decision.giveUp(Cause.CANCEL,
        "the call's future was completed from outside"), executor.clock.nanoTime());
  }

  /**
   * Decides after a response and reports it. On RETRY the response is closed here.
   *
   * @throws RuntimeException from the throttle or the credential refresher, after closing the
   *     response
   */
  <R> Decision onResponse(AttemptContext state, R response, ResponseAccess<R> access) {
    return onResponse(state, response, access, UnaryOperator.identity());
  }

  /**
   * As {@link #onResponse(AttemptContext, Object, ResponseAccess)}, with {@code settle} turning
   * the decision into the one reported, before anyone hears of it: how a hedged call says that an
   * attempt's outcome does not end it while another attempt runs.
   */
  <R> Decision onResponse(AttemptContext state, R response, ResponseAccess<R> access,
      UnaryOperator<Decision> settle) {
    try {
      int status = access.status(response);
      state.responded(response, access, status);
      Decision decision = state.earlyDecision;
      if (decision == null) decision = decide(state);
      decision = settle.apply(decision);
      report(state, decision);
      if (state.observation() != null) state.observation().attemptEnded(state, decision);
      if (decision.action() == Action.RETRY) {
        access.discard(response);
        state.letGo(); // not kept while the call waits to retry
      }
      return decision;
    } catch (RuntimeException | Error e) {
      access.discard(response);
      aborted(state, e, "deciding on the response threw ");
      throw e;
    }
  }

  /**
   * The policy's decision on a response, then the throttle (told of the response first), the
   * budget and the credential refresher.
   */
  Decision decide(AttemptContext state) {
    Decision decision = policy.decide(state);
    if (executor.shadow != null) executor.shadow.compare(state, decision);
    Throttle throttle = policy.throttle();
    if (throttle != null) {
      int status = state.status();
      throttle.onResponse(state.call.host(), status, policy.retryability(status), state.hints());
    }
    RetryBudget budget = executor.budget;
    // How a retry the budget allowed ended: a success refunds its cost, and either way it counts
    // towards whether retries to the host are working.
    if (state.paidRetry()) {
      ACCOUNTS.recordRetry(budget, state.call.host(), decision.action() == Action.RETURN);
    }
    switch (decision.action()) {
      case RETURN:
        ACCOUNTS.recordSuccess(budget, state.call.host());
        return decision;
      case RETRY:
        decision = gateRetry(state, decision);
        if (decision.action() != Action.RETRY) return decision;
        if (decision.refreshCredentials()) return refreshCredentials(state, decision);
        return spendBudget(state, decision);
      default:
        return decision;
    }
  }

  /** Decides after a failed attempt and reports it. */
  Decision onFailure(AttemptContext state, Throwable failure, boolean cancelled) {
    return onFailure(state, failure, cancelled, UnaryOperator.identity());
  }

  /** As {@link #onFailure(AttemptContext, Throwable, boolean)}, settled as for a response. */
  Decision onFailure(AttemptContext state, Throwable failure, boolean cancelled,
      UnaryOperator<Decision> settle) {
    FailureKind kind = cancelled ? FailureKind.CANCELLED : FailureKind.of(failure);
    state.failed(failure, kind, executor.clock.nanoTime());
    reportFailure(state, kind);
    Decision decision = policy.decide(state);
    if (executor.shadow != null) executor.shadow.compare(state, decision);
    if (state.paidRetry() && kind != FailureKind.CANCELLED && kind != FailureKind.INTERRUPTED) {
      ACCOUNTS.recordRetry(executor.budget, state.call.host(), false);
    }
    if (decision.action() == Action.RETRY) decision = gateRetry(state, decision);
    if (decision.action() == Action.RETRY) decision = spendBudget(state, decision);
    decision = settle.apply(decision);
    report(state, decision);
    if (state.observation() != null) state.observation().attemptEnded(state, decision);
    return decision;
  }

  /** Tells the throttle an attempt it permitted was abandoned unanswered (an async cancel). */
  void abandoned(AttemptContext state) {
    reportFailure(state, FailureKind.CANCELLED);
  }

  private void reportFailure(AttemptContext state, FailureKind kind) {
    Throttle throttle = policy.throttle();
    if (throttle == null) return;
    try {
      throttle.onFailure(state.call.host(), kind);
    } catch (RuntimeException e) {
      throttleThrew(throttle, e);
    }
  }

  /** Ends the call now if the throttle will refuse the retry anyway (an open circuit). */
  private Decision gateRetry(AttemptContext state, Decision decision) {
    Throttle throttle = policy.throttle();
    if (throttle == null) return decision;
    String refusal;
    try {
      refusal = throttle.refusesRetry(state.call.host(), decision.waitNanos(), state.safeToRepeat());
    } catch (RuntimeException e) {
      throttleThrew(throttle, e);
      return decision; // the permit before the retry asks again
    }
    return refusal == null ? decision : Decision.giveUp(decision.reason() + ": " + refusal);
  }

  private static void throttleThrew(Throttle throttle, RuntimeException e) {
    LOG.log(System.Logger.Level.WARNING, "throttle " + throttle.getClass().getName()
        + " threw " + e.getClass().getName(), Redacted.of(e));
  }

  /**
   * Last, after the policy said RETRY, so that a retry refused for other reasons costs nothing. A
   * retry whose wait the server set is not refused while the budget's floor can pay for it a
   * little later: it waits longer instead, at most as long again (a caller refused at once would
   * come back before the server's time), within maxRetryAfter and the deadline.
   */
  private Decision spendBudget(AttemptContext state, Decision decision) {
    RetryBudget budget = executor.budget;
    if (!budget.isEnabled()) return decision;
    long now = executor.clock.nanoTime();
    long wait = decision.waitNanos();
    long maxExtra = 0;
    if (decision.serverHinted()) {
      maxExtra = Math.min(wait, Math.max(0, policy.maxRetryAfter().toNanos() - wait));
      long remaining = state.remainingNanos(now);
      if (remaining != Long.MAX_VALUE) maxExtra = Math.min(maxExtra, remaining - wait - 1);
    }
    long extra = ACCOUNTS.acquireRetry(budget, state.call.host(), now, wait, maxExtra);
    if (extra < 0) {
      return Decision.giveUp(Cause.BUDGET, decision.reason() + ": the retry budget for "
          + state.call.host()
          + " is spent; retries resume as successes refill it");
    }
    state.details().budgetSpent = true;
    if (extra == 0) return decision;
    return Decision.retryForServerHint(wait + extra, decision.reason()
        + ", then for the retry budget (" + Duration.ofNanos(extra).toMillis() + " ms more)");
  }

  private Decision refreshCredentials(AttemptContext state, Decision decision) {
    state.details().credentialsRefreshed = true;
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
      return Decision.giveUp(Cause.STATUS,
          "401 Unauthorized: the credential refresher had no fresh credentials");
    }
    state.details().authorization = fresh;
    return decision;
  }

  /** Returns the final response, or closes it and throws when the policy asks for that. */
  <R> R finish(AttemptContext state, R response, ResponseAccess<R> access, Decision decision)
      throws RetriesExhaustedException {
    return finish(state, response, access, decision, state);
  }

  /**
   * As {@link #finish(AttemptContext, Object, ResponseAccess, Decision)}, for a hedged call whose
   * last attempt sent, {@code last}, may not be the one that ended it: the history runs to it.
   */
  <R> R finish(AttemptContext state, R response, ResponseAccess<R> access, Decision decision,
      AttemptContext last) throws RetriesExhaustedException {
    int status = access.status(response);
    if (decision.action() == Action.GIVE_UP && policy.throwOnFailureStatus() && status >= 400) {
      access.discard(response);
      throw new RetriesExhaustedException(
          message(last, decision) + ". " + meaning(status), null, CallRecord.history(last),
          status);
    }
    return response;
  }

  /** What the status means, without the "503 Service Unavailable: " the reason already names. */
  private static String meaning(int status) {
    String explained = StatusGuide.explain(status);
    return explained.substring(explained.indexOf(": ") + 2);
  }

  /**
   * The exception the caller sees: the last attempt's own, whatever the number of attempts, with
   * the earlier attempts' failures suppressed on it and then a {@link RetriesExhaustedException}
   * that holds the call's history. An exception that already carries one (the same instance
   * thrown again, or an inner Stoic layer's) is returned as it is, so nothing piles up on it.
   */
  IOException finalFailure(AttemptContext state, IOException last) {
    return finalFailure(state, last, state);
  }

  /** As {@link #finalFailure(AttemptContext, IOException)}, with the history running to {@code sent}. */
  IOException finalFailure(AttemptContext state, IOException last, AttemptContext sent) {
    if (!RetriesExhaustedException.historyOf(last).isEmpty()) return last;
    RetriesExhaustedException report = new RetriesExhaustedException(
        message(sent, state.decision), null, CallRecord.history(sent), -1);
    for (Throwable earlier : CallRecord.earlierFailures(sent, last)) last.addSuppressed(earlier);
    last.addSuppressed(report);
    return last;
  }

  /** Reports a cancel seen between attempts and returns the exception OkHttp itself would throw. */
  IOException cancelled(AttemptContext state, String reason) {
    IOException e = new IOException("Canceled");
    endCall(state, Decision.giveUp(Cause.CANCEL, reason), e, FailureKind.CANCELLED);
    return e;
  }

  /** Reports a cancel of an async call by its caller. */
  void cancelledByCaller(AttemptContext state) {
    endCall(state, Decision.giveUp(Cause.CANCEL, "the call was cancelled"),
        new CancellationException(), FailureKind.CANCELLED);
  }

  /** Reports an interrupt during a wait. */
  void interrupted(AttemptContext state) {
    endCall(state,
        Decision.giveUp(Cause.CANCEL, "the calling thread was interrupted while waiting to retry"),
        new InterruptedException(), FailureKind.INTERRUPTED);
  }

  /** Reports a call that ends between attempts: the event, then the observers. */
  private void endCall(AttemptContext state, Decision decision, Throwable e, FailureKind kind) {
    announce(state, decision, e, kind);
    if (state.observation() != null) {
      state.observation().callEnded(state, decision, executor.clock.nanoTime());
    }
  }

  private String message(AttemptContext state, Decision decision) {
    return state.call.method() + " " + policy.redaction().url(state.call.url()) + " failed after "
        + state.attempt + (state.attempt == 1 ? " attempt: " : " attempts: ") + decision.reason();
  }

  /**
   * Records the decision on the attempt (its history entry) and tells listeners and the debug log.
   * With neither, no event is built: the history becomes events only if the call ends in an
   * exception that carries it.
   */
  void report(AttemptContext state, Decision decision) {
    state.decision = decision;
    // The outcome's time, read now if nothing asked yet: the history needs it once a retry follows.
    if (decision.action() != Action.RETURN) state.endedNanos();
    if (!executor.listeners.isEmpty() || LOG.isLoggable(System.Logger.Level.DEBUG)) {
      publish(CallRecord.event(state, policy.redaction().url(state.call.url())));
    }
  }

  /**
   * Tells listeners of a call that ended between attempts (a cancel, an interrupt), after the
   * last attempt was decided: an event of its own, which is not part of the history.
   */
  private void announce(AttemptContext state, Decision decision, Throwable failure,
      FailureKind kind) {
    if (executor.listeners.isEmpty() && !LOG.isLoggable(System.Logger.Level.DEBUG)) return;
    long elapsed = executor.clock.nanoTime() - state.startNanos;
    publish(new RetryEvent(state.attempt, state.call.method(),
        policy.redaction().url(state.call.url()), -1, failure.getClass().getName(), kind,
        decision.action(), decision.reason(), Duration.ZERO, Duration.ofNanos(elapsed)));
  }

  private void publish(RetryEvent event) {
    for (RetryListener listener : executor.listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "retry listener " + listener.getClass().getName()
            + " threw " + e.getClass().getName(), Redacted.of(e));
      }
    }
    if (LOG.isLoggable(System.Logger.Level.DEBUG)) LOG.log(System.Logger.Level.DEBUG, event.toString());
  }
}
