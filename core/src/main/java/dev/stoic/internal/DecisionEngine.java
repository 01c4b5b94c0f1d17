package dev.stoic.internal;

import dev.stoic.FailureKind;
import dev.stoic.RateLimitStatus;
import dev.stoic.RetryAfter;
import dev.stoic.RetryPolicy;
import dev.stoic.Retryability;
import dev.stoic.StatusEntry;
import dev.stoic.StatusTable;
import java.time.Duration;
import java.util.Optional;

/**
 * Turns one attempt's outcome into a {@link Decision}. Pure: it reads the policy, the call state
 * and the clock's current time, and does no I/O and no waiting.
 */
public final class DecisionEngine {
  /*
   * When a server hint sets the wait, clients that got the same hint (an HTTP-date, say) would
   * all come back in the same instant. A small extra spread, 10% of the hint and never more than
   * a second, breaks that up while honouring the hint as a minimum.
   */
  private static final long MAX_HINT_SPREAD_NANOS = Duration.ofSeconds(1).toNanos();

  private final RetryPolicy policy;

  public DecisionEngine(RetryPolicy policy) {
    this.policy = policy;
  }

  /** Decides after a response with {@code status}; {@code headers} reads its header values. */
  Decision decideResponse(AttemptContext state, int status, HeaderLookup headers) {
    Retryability retryability = policy.retryability(status);
    switch (retryability) {
      case PASS_THROUGH:
        return passThrough(status);
      case NEVER:
        return Decision.giveUp(label(status) + " is not retried: " + reasonFor(status, retryability));
      case WHEN_SAFE:
        if (!state.safeToRepeat()) {
          return Decision.giveUp(label(status) + " is not retried for " + state.call.method
              + " without an idempotency key: the server may have processed it");
        }
        break;
      case WITH_KEY:
        if (!state.hasKey()) {
          return Decision.giveUp(label(status) + " is retried only with an idempotency key");
        }
        break;
      case AFTER_AUTH_REFRESH:
        return decideUnauthorized(state, status);
      case ALWAYS:
      case WITH_RETRY_AFTER:
        break;
      default:
        throw new AssertionError(retryability);
    }
    if (!state.call.bodyReplayable && state.bodyWritten()) {
      return Decision.giveUp(label(status) + ": the one-shot request body was already sent");
    }
    Optional<Duration> hint = RetryAfter.parse(headers.values("Retry-After"), policy.clock().instant());
    if (retryability == Retryability.WITH_RETRY_AFTER && hint.isEmpty()) {
      return Decision.giveUp(label(status) + " is retried only when the server sends Retry-After");
    }
    if (hint.isPresent()) return scheduleRetry(state, label(status), hint.get().toNanos(), "Retry-After");
    if (status == 429 || status == 503) {
      // No Retry-After, but a rate-limit reset says when the quota returns: the same kind of hint.
      Optional<Duration> reset =
          RateLimitStatus.parse(headers::values, policy.clock().instant()).reset();
      if (reset.isPresent()) {
        return scheduleRetry(state, label(status), reset.get().toNanos(), "the rate-limit reset");
      }
    }
    return scheduleRetry(state, label(status), -1, null);
  }

  /**
   * Decides for a status the policy passes through (1xx, 2xx and 3xx by default). It needs neither
   * the call's state nor its headers, so callers on the success path decide without handing the
   * state to this class's larger methods: the JIT can then keep a call's {@link AttemptContext}
   * out of the heap (escape analysis gives up on an object passed to a method too big to inline,
   * and {@link #decideResponse} is).
   */
  static Decision passThrough(int status) {
    if (status < 200) return Decision.INFORMATIONAL;
    if (status < 300) return Decision.SUCCESS;
    if (status < 400) return Decision.REDIRECT;
    return Decision.returning(label(status) + " is passed through by a policy rule");
  }

  private Decision decideUnauthorized(AttemptContext state, int status) {
    if (policy.credentialRefresher() == null) {
      return Decision.giveUp(label(status) + " is not retried: no credential refresher is set");
    }
    if (state.credentialsRefreshed) {
      return Decision.giveUp(label(status) + " again after refreshing credentials");
    }
    if (state.attempt >= policy.maxAttempts()) {
      return Decision.giveUp(label(status) + ": no attempts left to retry with fresh credentials");
    }
    if (!state.call.bodyReplayable && state.bodyWritten()) {
      return Decision.giveUp(label(status) + ": the one-shot request body was already sent");
    }
    return Decision.retryWithFreshCredentials(label(status) + ": retrying with fresh credentials");
  }

  /** Decides after an attempt that failed with {@code failure}, classified as {@code kind}. */
  Decision decideFailure(AttemptContext state, Throwable failure, FailureKind kind) {
    String what = failure.getClass().getSimpleName();
    switch (kind) {
      case CANCELLED:
        return Decision.giveUp("the call was cancelled");
      case INTERRUPTED:
        return Decision.giveUp("the calling thread was interrupted");
      case NOT_IO:
        return Decision.giveUp(what + " is not an I/O failure and is never retried");
      default:
        break;
    }
    Boolean rule = policy.exceptionRule(failure);
    if (Boolean.FALSE.equals(rule)) {
      return Decision.giveUp(what + " is never retried by a policy rule");
    }
    boolean bodyWritten = state.bodyWritten();
    if (rule == null) {
      switch (kind) {
        case UNKNOWN_HOST:
          return Decision.giveUp("unknown host: the name does not resolve, retrying will not help");
        case TLS:
          return Decision.giveUp(what + ": TLS failures need configuration, not retries");
        case CONNECT:
          // Nothing reached the server, so even a POST or a one-shot body is safe to send.
          return bodyWritten && !state.call.bodyReplayable
              ? Decision.giveUp("the one-shot request body was already sent")
              : scheduleRetry(state, "connect failure (" + what + ")", -1, null);
        default:
          break;
      }
    }
    if (!state.safeToRepeat()) {
      return Decision.giveUp(what + " after the request was sent: " + state.call.method
          + " without an idempotency key may have been processed");
    }
    if (bodyWritten && !state.call.bodyReplayable) {
      return Decision.giveUp(what + ": the one-shot request body was already sent");
    }
    return scheduleRetry(state, what + " after the request was sent ("
        + (state.hasKey() ? "it carries an idempotency key" : state.call.method + " is idempotent")
        + ")", -1, null);
  }

  /**
   * Checks the attempt limit and the deadline, and computes the wait: the backoff, or the server's
   * hint plus a small spread when that is longer. A hint is never shortened.
   */
  private Decision scheduleRetry(AttemptContext state, String what, long hintNanos, String hintName) {
    if (state.attempt >= policy.maxAttempts()) {
      return Decision.giveUp(what + ": all " + policy.maxAttempts() + " attempts used");
    }
    long maxHint = policy.maxRetryAfter().toNanos();
    if (hintNanos > maxHint) {
      return Decision.giveUp(what + ": " + hintName + " of " + seconds(hintNanos)
          + " exceeds maxRetryAfter of " + seconds(maxHint));
    }
    double draw = policy.random().getAsDouble();
    long wait = policy.backoff().delayNanos(state.attempt, state.previousWaitNanos, draw);
    if (hintNanos >= 0) {
      long spread = (long) (Math.min(hintNanos / 10, MAX_HINT_SPREAD_NANOS) * clamp(draw));
      wait = Math.max(wait, hintNanos + spread);
    }
    long now = policy.clock().nanoTime();
    long remaining = state.remainingNanos(now);
    if (hintNanos >= 0 && hintNanos >= remaining) {
      return Decision.giveUp(what + ": " + hintName + " of " + seconds(hintNanos)
          + " is beyond the deadline (" + millis(remaining) + " left)");
    }
    if (wait >= remaining) {
      return Decision.giveUp(what + ": waiting " + millis(wait)
          + " would cross the deadline (" + millis(remaining) + " left)");
    }
    // Last, so that a retry refused for other reasons costs no tokens.
    if (!policy.retryBudget().tryAcquireRetry(state.call.host)) {
      return Decision.giveUp(what + ": the retry budget for " + state.call.host
          + " is spent; retries resume as successes refill it");
    }
    return Decision.retry(wait, what + (hintNanos >= 0 ? ": waiting for " + hintName : ""));
  }

  private static double clamp(double draw) {
    return draw >= 0 && draw < 1 ? draw : 0;
  }

  private static String label(int status) {
    StatusEntry entry = StatusTable.defaults().lookup(status);
    return status + " " + entry.name();
  }

  private String reasonFor(int status, Retryability retryability) {
    StatusEntry entry = StatusTable.defaults().lookup(status);
    return entry.retryability() == retryability ? entry.reason() : "a policy rule says so";
  }

  private static String seconds(long nanos) {
    return (nanos / 1_000_000_000L) + " s";
  }

  private static String millis(long nanos) {
    return Math.max(0, nanos / 1_000_000L) + " ms";
  }
}
