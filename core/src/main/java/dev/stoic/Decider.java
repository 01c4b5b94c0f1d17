package dev.stoic;

import dev.stoic.http.FailureKind;
import dev.stoic.http.HintHeaders;
import dev.stoic.http.Methods;
import dev.stoic.http.Retryability;
import dev.stoic.http.ServerHints;
import dev.stoic.http.StatusEntry;
import dev.stoic.http.StatusTable;
import java.time.Duration;
import java.util.Optional;

/**
 * The decision rules behind {@link RetryPolicy#decide(Outcome)}. A pure function of the policy's
 * configuration and the outcome: no clock, no random source, no state read or written. The
 * executor supplies time and the draw in the outcome, and spends retry budget afterwards.
 */
final class Decider {
  /*
   * When a server hint sets the wait, clients that got the same hint (an HTTP-date, say) would
   * all come back in the same instant. A small extra spread, 10% of the hint and never more than
   * a second, breaks that up while honouring the hint as a minimum.
   */
  private static final long MAX_HINT_SPREAD_NANOS = Duration.ofSeconds(1).toNanos();

  private Decider() {}

  /**
   * Decides for a status the policy passes through (1xx, 2xx and 3xx by default). Kept apart and
   * small so that the success path inlines it: it needs neither the outcome's record nor its
   * headers.
   */
  static Decision passThrough(int status) {
    if (status < 200) return Decision.INFORMATIONAL;
    if (status < 300) return Decision.SUCCESS;
    if (status < 400) return Decision.REDIRECT;
    return Decision.returning(label(status) + " is passed through by a policy rule");
  }

  /** Decides after a response whose status the policy does not pass through. */
  static Decision decideResponse(RetryPolicy policy, Outcome o, Retryability retryability) {
    int status = o.status();
    ServerHints hints = o.hints();
    HintHeaders names = policy.hintHeaders();
    String label = label(status);
    if (retryability != Retryability.PASS_THROUGH && !names.shouldRetry().isEmpty()) {
      // The server's own word, where it gives one: "false" ends retrying whatever the table says;
      // "true" makes a status the table would not retry one that is retried when safe, so it never
      // makes a repeat safe that is not.
      Optional<Boolean> should = hints.shouldRetry(names);
      if (should.isPresent()) {
        String source = hints.shouldRetrySource(names);
        if (!should.get()) {
          return Decision.giveUp(label + ": the server's " + source + " says not to retry");
        }
        if (retryability == Retryability.NEVER || retryability == Retryability.WITH_KEY
            || retryability == Retryability.WITH_RETRY_AFTER) {
          retryability = Retryability.WHEN_SAFE;
          label = label + " (the server's " + source + " says to retry)";
        }
      }
    }
    switch (retryability) {
      case PASS_THROUGH:
        return passThrough(status);
      case NEVER:
        return Decision.giveUp(label + " is not retried: " + reasonFor(status, retryability));
      case WHEN_SAFE:
        if (!safeToRepeat(o)) {
          return Decision.giveUp(label + " is not retried for " + o.method()
              + " without an idempotency key: the server may have processed it");
        }
        break;
      case WITH_KEY:
        if (!o.hasIdempotencyKey()) {
          return Decision.giveUp(label + " is retried only with an idempotency key");
        }
        break;
      case AFTER_AUTH_REFRESH:
        return decideUnauthorized(policy, o);
      case ALWAYS:
      case WITH_RETRY_AFTER:
        break;
      default:
        throw new AssertionError(retryability);
    }
    if (!o.bodyReplayable() && o.bodySent()) {
      return Decision.giveUp(label + ": the one-shot request body was already sent");
    }
    // A wait in milliseconds (retry-after-ms) is finer than Retry-After and wins over it.
    long delay = hints.delayNanos(names);
    if (retryability == Retryability.WITH_RETRY_AFTER && delay < 0) {
      return Decision.giveUp(label + " is retried only when the server sends Retry-After");
    }
    if (delay >= 0) return scheduleRetry(policy, o, label, delay, hints.delaySource(names));
    if (status == 429 || status == 503) {
      // No Retry-After, but a rate-limit reset says when the quota returns: the same kind of hint.
      long reset = hints.rateLimitResetNanos();
      if (reset >= 0) return scheduleRetry(policy, o, label, reset, "the rate-limit reset");
    }
    return scheduleRetry(policy, o, label, -1, null);
  }

  private static Decision decideUnauthorized(RetryPolicy policy, Outcome o) {
    int status = o.status();
    if (policy.credentialRefresher() == null) {
      return Decision.giveUp(label(status) + " is not retried: no credential refresher is set");
    }
    if (o.credentialsRefreshed()) {
      return Decision.giveUp(label(status) + " again after refreshing credentials");
    }
    if (o.attempt() >= policy.maxAttempts()) {
      return Decision.giveUp(label(status) + ": no attempts left to retry with fresh credentials");
    }
    if (!o.bodyReplayable() && o.bodySent()) {
      return Decision.giveUp(label(status) + ": the one-shot request body was already sent");
    }
    return Decision.retryWithFreshCredentials(label(status) + ": retrying with fresh credentials");
  }

  /** Decides after an attempt that failed without a response. */
  static Decision decideFailure(RetryPolicy policy, Outcome o) {
    Throwable failure = o.failure();
    FailureKind kind = o.failureKind();
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
    boolean oneShotSent = o.bodySent() && !o.bodyReplayable();
    if (rule == null) {
      switch (kind) {
        case UNKNOWN_HOST:
          return Decision.giveUp("unknown host: the name does not resolve, retrying will not help");
        case TLS:
          return Decision.giveUp(what + ": TLS failures need configuration, not retries");
        case CONNECT:
          // Nothing reached the server, so even a POST or a one-shot body is safe to send.
          return oneShotSent
              ? Decision.giveUp("the one-shot request body was already sent")
              : scheduleRetry(policy, o, "connect failure (" + what + ")", -1, null);
        default:
          break;
      }
    }
    if (!safeToRepeat(o)) {
      return Decision.giveUp(what + " after the request was sent: " + o.method()
          + " without an idempotency key may have been processed");
    }
    if (oneShotSent) {
      return Decision.giveUp(what + ": the one-shot request body was already sent");
    }
    return scheduleRetry(policy, o, what + " after the request was sent ("
        + (o.hasIdempotencyKey() ? "it carries an idempotency key" : o.method() + " is idempotent")
        + ")", -1, null);
  }

  /**
   * Checks the attempt limit and the deadline, and computes the wait: the backoff, or the server's
   * hint plus a small spread when that is longer. A hint is never shortened.
   */
  private static Decision scheduleRetry(
      RetryPolicy policy, Outcome o, String what, long hintNanos, String hintName) {
    if (o.attempt() >= policy.maxAttempts()) {
      return Decision.giveUp(what + ": all " + policy.maxAttempts() + " attempts used");
    }
    long maxHint = policy.maxRetryAfter().toNanos();
    if (hintNanos > maxHint) {
      return Decision.giveUp(what + ": " + hintName + " of " + Durations.format(hintNanos)
          + " exceeds maxRetryAfter of " + Durations.format(maxHint));
    }
    double draw = clamp(o.draw());
    long wait = policy.backoff().delayNanos(o.attempt(), o.previousWaitNanos(), draw);
    if (hintNanos >= 0) {
      long spread = (long) (Math.min(hintNanos / 10, MAX_HINT_SPREAD_NANOS) * draw);
      wait = Math.max(wait, hintNanos + spread);
    }
    long remaining = remainingNanos(policy, o);
    if (hintNanos >= 0 && hintNanos >= remaining) {
      return Decision.giveUp(what + ": " + hintName + " of " + Durations.format(hintNanos)
          + " is beyond the deadline (" + Durations.format(remaining) + " left)");
    }
    if (wait >= remaining) {
      return Decision.giveUp(what + ": waiting " + Durations.format(wait)
          + " would cross the deadline (" + Durations.format(remaining) + " left)");
    }
    return hintNanos >= 0
        ? Decision.retryForServerHint(wait, what + ": waiting for " + hintName)
        : Decision.retry(wait, what);
  }

  /** Nanoseconds left before the policy's deadline or the client's call timeout; MAX_VALUE for none. */
  static long remainingNanos(RetryPolicy policy, Outcome o) {
    long limit = Long.MAX_VALUE;
    if (policy.deadline() != null) limit = policy.deadline().toNanos();
    if (o.callTimeoutNanos() > 0) limit = Math.min(limit, o.callTimeoutNanos());
    return limit == Long.MAX_VALUE ? Long.MAX_VALUE : limit - o.elapsedNanos();
  }

  /** An idempotent method, or an idempotency key on the request. */
  static boolean safeToRepeat(Outcome o) {
    return o.hasIdempotencyKey() || Methods.isIdempotent(o.method());
  }

  private static double clamp(double draw) {
    return draw >= 0 && draw < 1 ? draw : 0;
  }

  static String label(int status) {
    StatusEntry entry = StatusTable.defaults().lookup(status);
    return status + " " + entry.name();
  }

  private static String reasonFor(int status, Retryability retryability) {
    StatusEntry entry = StatusTable.defaults().lookup(status);
    return entry.retryability() == retryability ? entry.reason() : "a policy rule says so";
  }
}
