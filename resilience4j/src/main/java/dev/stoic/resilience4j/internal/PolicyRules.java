package dev.stoic.resilience4j.internal;

import dev.stoic.Backoff;
import dev.stoic.FailureKind;
import dev.stoic.RateLimitStatus;
import dev.stoic.RetryAfter;
import dev.stoic.RetryPolicy;
import dev.stoic.Retryability;
import dev.stoic.internal.FailureClassifier;
import dev.stoic.resilience4j.ResultReader;
import io.github.resilience4j.core.functions.Either;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * A {@link RetryPolicy}'s rules as the four functions a resilience4j {@code RetryConfig} takes:
 * which results and which exceptions to retry, how long to wait, and how to release a result that
 * is retried. They follow {@code dev.stoic.internal.DecisionEngine} as closely as functions that
 * see one outcome at a time can.
 *
 * <p>Not API. Immutable and thread-safe.
 */
public final class PolicyRules<T> {
  /* As in DecisionEngine: a hint is honoured plus a spread of up to 10% of it, at most 1 s. */
  private static final long MAX_HINT_SPREAD_NANOS = Duration.ofSeconds(1).toNanos();

  private final RetryPolicy policy;
  private final ResultReader<T> reader;
  private final boolean idempotentCalls;

  /**
   * @param idempotentCalls true if every call the Retry decorates is safe to repeat, so that
   *     failures after the request was sent may be retried
   */
  public PolicyRules(RetryPolicy policy, ResultReader<T> reader, boolean idempotentCalls) {
    this.policy = policy;
    this.reader = reader;
    this.idempotentCalls = idempotentCalls;
  }

  /** True if {@code response} should be released and the call made again. */
  public boolean retryResult(T response) {
    int status = reader.status(response);
    Retryability retryability = policy.retryability(status);
    switch (retryability) {
      case PASS_THROUGH:
      case NEVER:
      case AFTER_AUTH_REFRESH: // no credential refresh through resilience4j: see StoicRetry
        return false;
      case WHEN_SAFE:
        if (!isIdempotent(reader.method(response)) && !hasKey(response)) return false;
        break;
      case WITH_KEY:
        if (!hasKey(response)) return false;
        break;
      case WITH_RETRY_AFTER:
        if (retryAfterNanos(response) < 0) return false;
        break;
      case ALWAYS:
        break;
      default:
        throw new AssertionError(retryability);
    }
    // A hint longer than maxRetryAfter ends retrying: the response goes to the caller at once.
    // resilience4j cannot stop from its interval function, so this is decided here.
    return hintNanos(response, status) <= policy.maxRetryAfter().toNanos();
  }

  /** True if {@code failure} should be followed by another attempt. */
  public boolean retryException(Throwable failure) {
    if (failure instanceof UncheckedIOException && failure.getCause() != null) {
      failure = failure.getCause(); // an IOException rethrown from a plain Supplier
    }
    if (!(failure instanceof IOException)) return false;
    FailureKind kind = FailureClassifier.classify(failure);
    if (kind == FailureKind.CANCELLED || kind == FailureKind.INTERRUPTED) return false;
    Boolean rule = policy.exceptionRule(failure);
    if (Boolean.FALSE.equals(rule)) return false;
    if (rule == null) {
      switch (kind) {
        case UNKNOWN_HOST:
        case TLS:
          return false;
        case CONNECT:
          return true; // nothing reached the server: safe for any method
        default:
          break;
      }
    }
    // Sent, or a rule says retry when safe: only the caller knows whether the call was safe.
    return idempotentCalls;
  }

  /**
   * The wait in milliseconds before attempt {@code attempt + 1}: the policy's backoff, or the
   * server's hint plus a small spread when that is longer. Never shorter than the hint.
   */
  public long intervalMillis(int attempt, Either<Throwable, T> outcome) {
    double draw = policy.random().getAsDouble();
    Backoff backoff = policy.backoff();
    // resilience4j keeps no per-call state for us, so decorrelated jitter, which grows from the
    // previous wait, is given the previous step's nominal value instead.
    long previous = attempt > 1 ? backoff.noJitter().delayNanos(attempt - 1, 0, 0) : 0;
    long wait = backoff.delayNanos(attempt, previous, draw);
    if (outcome.isRight()) {
      T response = outcome.get();
      long hint = hintNanos(response, reader.status(response));
      if (hint >= 0) {
        double r = draw >= 0 && draw < 1 ? draw : 0;
        long spread = (long) (Math.min(hint / 10, MAX_HINT_SPREAD_NANOS) * r);
        wait = Math.max(wait, hint + spread);
      }
    }
    return (wait + 999_999) / 1_000_000; // rounded up: never shorter than the hint
  }

  /** Releases a response that is about to be retried. */
  public void discard(int attempt, T response) {
    reader.close(response);
  }

  /** Retry-After, else (for 429 and 503) the rate-limit reset; -1 when there is none. */
  private long hintNanos(T response, int status) {
    long retryAfter = retryAfterNanos(response);
    if (retryAfter >= 0) return retryAfter;
    if (status == 429 || status == 503) {
      Instant now = policy.clock().instant();
      Optional<Duration> reset =
          RateLimitStatus.parse(name -> reader.headers(response, name), now).reset();
      if (reset.isPresent()) return reset.get().toNanos();
    }
    return -1;
  }

  private long retryAfterNanos(T response) {
    Optional<Duration> hint =
        RetryAfter.parse(reader.headers(response, "Retry-After"), policy.clock().instant());
    return hint.isPresent() ? hint.get().toNanos() : -1;
  }

  private boolean hasKey(T response) {
    String header = policy.idempotencyKey().headerName();
    return header != null && reader.requestHeader(response, header) != null;
  }

  private static boolean isIdempotent(String method) {
    return method != null && RetryPolicy.isIdempotent(method.toUpperCase(Locale.ROOT));
  }
}
