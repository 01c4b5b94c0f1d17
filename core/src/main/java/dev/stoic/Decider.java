package dev.stoic;

import dev.stoic.Decision.Cause;
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
    boolean plainLabel = true;
    if (retryability != Retryability.PASS_THROUGH && !names.shouldRetry().isEmpty()) {
      // The server's own word, where it gives one: "false" ends retrying whatever the table says;
      // "true" makes a status the table would not retry one that is retried when safe, so it never
      // makes a repeat safe that is not.
      Optional<Boolean> should = hints.shouldRetry(names);
      if (should.isPresent()) {
        String source = hints.shouldRetrySource(names);
        if (!should.get()) {
          return Decision.giveUp(Cause.HINT,
              label + ": the server's " + source + " says not to retry");
        }
        if (retryability == Retryability.NEVER || retryability == Retryability.WITH_KEY
            || retryability == Retryability.WITH_RETRY_AFTER) {
          retryability = Retryability.WHEN_SAFE;
          label = label + " (the server's " + source + " says to retry)";
          plainLabel = false;
        }
      }
    }
    switch (retryability) {
      case PASS_THROUGH:
        return passThrough(status);
      case NEVER:
        return Decision.giveUp(Cause.STATUS,
            label + " is not retried: " + reasonFor(status, retryability));
      case WHEN_SAFE:
        if (!safeToRepeat(o)) {
          return Decision.giveUp(Cause.UNSAFE, label + " is not retried for " + o.method()
              + " without an idempotency key: the server may have processed it");
        }
        break;
      case WITH_KEY:
        if (!o.hasIdempotencyKey()) {
          return Decision.giveUp(Cause.UNSAFE, label + " is retried only with an idempotency key");
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
      return Decision.giveUp(Cause.UNSAFE, label + ": the one-shot request body was already sent");
    }
    // A wait in milliseconds (retry-after-ms) is finer than Retry-After and wins over it.
    long delay = hints.delayNanos(names);
    if (retryability == Retryability.WITH_RETRY_AFTER && delay < 0) {
      return Decision.giveUp(Cause.STATUS,
          label + " is retried only when the server sends Retry-After");
    }
    if (delay >= 0) {
      String source = hints.delaySource(names);
      String reason = plainLabel && "Retry-After".equals(source)
          ? retryReason(status, RETRY_AFTER) : label + ": waiting for " + source;
      return scheduleRetry(policy, o, Cause.HINT, label, delay, source, reason);
    }
    if (status == 429 || status == 503) {
      // No Retry-After, but a rate-limit reset says when the quota returns: the same kind of hint.
      long reset = hints.rateLimitResetNanos();
      if (reset >= 0) {
        String reason = plainLabel
            ? retryReason(status, RESET) : label + ": waiting for the rate-limit reset";
        return scheduleRetry(policy, o, Cause.HINT, label, reset, "the rate-limit reset", reason);
      }
    }
    return scheduleRetry(policy, o, Cause.STATUS, label, -1, null, label);
  }

  private static Decision decideUnauthorized(RetryPolicy policy, Outcome o) {
    int status = o.status();
    if (policy.credentialRefresher() == null) {
      return Decision.giveUp(Cause.STATUS,
          label(status) + " is not retried: no credential refresher is set");
    }
    if (o.credentialsRefreshed()) {
      return Decision.giveUp(Cause.STATUS, label(status) + " again after refreshing credentials");
    }
    if (o.attempt() >= policy.maxAttempts()) {
      return Decision.giveUp(Cause.ATTEMPTS,
          label(status) + ": no attempts left to retry with fresh credentials");
    }
    if (!o.bodyReplayable() && o.bodySent()) {
      return Decision.giveUp(Cause.UNSAFE,
          label(status) + ": the one-shot request body was already sent");
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
        return Decision.giveUp(Cause.CANCEL, "the call was cancelled");
      case INTERRUPTED:
        return Decision.giveUp(Cause.CANCEL, "the calling thread was interrupted");
      case NOT_IO:
        return Decision.giveUp(Cause.EXCEPTION,
            what + " is not an I/O failure and is never retried");
      case REFUSED:
        return Decision.giveUp(Cause.THROTTLE, what + ": the client refused to send the attempt");
      default:
        break;
    }
    Boolean rule = policy.exceptionRule(failure);
    if (Boolean.FALSE.equals(rule)) {
      return Decision.giveUp(Cause.EXCEPTION, what + " is never retried by a policy rule");
    }
    boolean oneShotSent = o.bodySent() && !o.bodyReplayable();
    if (rule == null) {
      switch (kind) {
        case UNKNOWN_HOST:
          return Decision.giveUp(Cause.EXCEPTION,
              "unknown host: the name does not resolve, retrying will not help");
        case TLS:
          return Decision.giveUp(Cause.EXCEPTION,
              what + ": TLS failures need configuration, not retries");
        case CONNECT:
          // Nothing reached the server, so even a POST or a one-shot body is safe to send.
          if (oneShotSent) {
            return Decision.giveUp(Cause.UNSAFE, "the one-shot request body was already sent");
          }
          String connect = "connect failure (" + what + ")";
          return scheduleRetry(policy, o, Cause.EXCEPTION, connect, -1, null, connect);
        case UNPROCESSED:
          // HTTP/2 proved the server never processed it: any method may go again, and at once,
          // since the client takes another stream (a new connection after a GOAWAY).
          if (oneShotSent) {
            return Decision.giveUp(Cause.UNSAFE, "the one-shot request body was already sent");
          }
          String unprocessed = what + ": HTTP/2 proved the request was not processed";
          return retrySoon(policy, o, unprocessed);
        default:
          break;
      }
    }
    if (!safeToRepeat(o)) {
      return Decision.giveUp(Cause.UNSAFE, what + " after the request was sent: " + o.method()
          + " without an idempotency key may have been processed");
    }
    if (oneShotSent) {
      return Decision.giveUp(Cause.UNSAFE, what + ": the one-shot request body was already sent");
    }
    String sent = what + " after the request was sent ("
        + (o.hasIdempotencyKey() ? "it carries an idempotency key" : o.method() + " is idempotent")
        + ")";
    return scheduleRetry(policy, o, Cause.EXCEPTION, sent, -1, null, sent);
  }

  /**
   * Checks the attempt limit and the deadline, and computes the wait: the backoff, or the server's
   * hint plus a small spread when that is longer. A hint is never shortened. {@code cause} is the
   * retry's cause: {@link Cause#HINT} when a hint is given.
   */
  private static Decision scheduleRetry(RetryPolicy policy, Outcome o, Cause cause, String what,
      long hintNanos, String hintName, String retryReason) {
    if (o.attempt() >= policy.maxAttempts()) {
      return Decision.giveUp(Cause.ATTEMPTS,
          what + ": all " + policy.maxAttempts() + " attempts used");
    }
    long maxHint = policy.maxRetryAfter().toNanos();
    if (hintNanos > maxHint) {
      return Decision.giveUp(Cause.HINT,
          what + ": " + hintName + " of " + Durations.format(hintNanos)
          + " exceeds maxRetryAfter of " + Durations.format(maxHint));
    }
    double draw = clamp(o.draw());
    long backoff = policy.backoff().delayNanos(o.attempt(), o.previousWaitNanos(), draw);
    long wait = backoff;
    if (hintNanos >= 0) {
      long spread = (long) (Math.min(hintNanos / 10, MAX_HINT_SPREAD_NANOS) * draw);
      wait = Math.max(wait, hintNanos + spread);
    }
    long remaining = remainingNanos(policy, o);
    if (hintNanos >= 0 && hintNanos >= remaining) {
      return Decision.giveUp(Cause.DEADLINE,
          what + ": " + hintName + " of " + Durations.format(hintNanos)
          + " is beyond the deadline (" + Durations.format(remaining) + " left)");
    }
    if (wait >= remaining) {
      return Decision.giveUp(Cause.DEADLINE, what + ": waiting " + Durations.format(wait)
          + " would cross the deadline (" + Durations.format(remaining) + " left)");
    }
    if (remaining != Long.MAX_VALUE) {
      long needed = Math.max(o.attemptNanos(), MIN_ATTEMPT_NANOS);
      if (remaining - wait < needed) {
        return Decision.giveUp(Cause.DEADLINE, what + ": after waiting " + Durations.format(wait)
            + " only " + Durations.format(remaining - wait) + " would be left before the"
            + " deadline, less than the " + Durations.format(needed) + " an attempt needs");
      }
    }
    if (hintNanos >= 0) return Decision.retryForHint(wait, wait - backoff, retryReason);
    return Decision.retry(wait, cause, retryReason);
  }

  /**
   * The least time a retry must have left before the deadline once its wait is over: the time
   * the attempt before it took, and never less than this. A retry sent with less than a few
   * milliseconds left ends in a timeout of its own (a timer firing late on a busy machine, a GC
   * pause or a TCP connect takes that much), and the caller would get that timeout instead of the
   * answer in hand.
   */
  static final long MIN_ATTEMPT_NANOS = 10_000_000L;

  /**
   * The longest wait before the first re-send of a request HTTP/2 proved unprocessed, doubling
   * with each attempt after it. The cure is another
   * stream, usually on a new connection, not time; but a stream refused because the connection
   * is full, or the JDK 17 client finding no free stream, frees up within the time other streams
   * take, and refused requests retried in the same instant would be refused together.
   */
  private static final long MAX_UNPROCESSED_WAIT_NANOS = Duration.ofMillis(100).toNanos();

  /**
   * A retry after a short jittered wait (the backoff, at most 100 ms after the first attempt and
   * twice that after each further one, times the draw), within the attempt limit and the deadline.
   */
  private static Decision retrySoon(RetryPolicy policy, Outcome o, String what) {
    if (o.attempt() >= policy.maxAttempts()) {
      return Decision.giveUp(Cause.ATTEMPTS,
          what + ": all " + policy.maxAttempts() + " attempts used");
    }
    long backoff = policy.backoff().delayNanos(o.attempt(), o.previousWaitNanos(), 1 - 1e-9);
    // 100 ms for the first retry, doubling after each: a reload or deploy that refuses streams
    // for a moment is not all of a call's attempts in a few hundred milliseconds.
    long cap = MAX_UNPROCESSED_WAIT_NANOS << Math.min(Math.max(o.attempt() - 1, 0), 10);
    long wait = (long) (Math.min(backoff, cap) * clamp(o.draw()));
    long remaining = remainingNanos(policy, o);
    long needed = Math.max(o.attemptNanos(), MIN_ATTEMPT_NANOS);
    if (remaining != Long.MAX_VALUE && remaining - wait < needed) {
      return Decision.giveUp(Cause.DEADLINE, what + ": only " + Durations.format(remaining)
          + " is left before the deadline, less than the " + Durations.format(needed)
          + " an attempt needs");
    }
    return Decision.retry(wait, Cause.EXCEPTION, what);
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

  /*
   * Reasons for the common verdicts are built once per status code and kept, so that deciding to
   * retry a 503 allocates only its Decision. Filled on first use; a race builds an equal string.
   */
  private static final int RETRY_AFTER = 0;
  private static final int RESET = 1;
  private static final String[] LABELS = new String[500];
  private static final String[][] RETRY_REASONS = new String[2][500];

  static String label(int status) {
    if (status < 100 || status >= 600) return newLabel(status);
    String label = LABELS[status - 100];
    if (label == null) LABELS[status - 100] = label = newLabel(status);
    return label;
  }

  private static String newLabel(int status) {
    return status + " " + StatusTable.defaults().lookup(status).name();
  }

  private static String retryReason(int status, int hint) {
    String suffix = hint == RETRY_AFTER ? ": waiting for Retry-After" : ": waiting for the rate-limit reset";
    if (status < 100 || status >= 600) return label(status) + suffix;
    String reason = RETRY_REASONS[hint][status - 100];
    if (reason == null) RETRY_REASONS[hint][status - 100] = reason = label(status) + suffix;
    return reason;
  }

  private static String reasonFor(int status, Retryability retryability) {
    StatusEntry entry = StatusTable.defaults().lookup(status);
    return entry.retryability() == retryability ? entry.reason() : "a policy rule says so";
  }
}
