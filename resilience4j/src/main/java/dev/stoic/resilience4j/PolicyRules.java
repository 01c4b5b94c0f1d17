package dev.stoic.resilience4j;

import dev.stoic.Decision;
import dev.stoic.Outcome;
import dev.stoic.OutcomeBuilder;
import dev.stoic.Decision.Action;
import dev.stoic.RetryPolicy;
import io.github.resilience4j.core.functions.Either;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/**
 * A {@link RetryPolicy} as the four functions a resilience4j {@code RetryConfig} takes. Each one
 * describes what resilience4j shows it as an {@link Outcome} and asks {@link RetryPolicy#decide}:
 * the bridge has no rules of its own.
 *
 * <p>What resilience4j does not show is filled in plainly: its result predicates see no attempt
 * number (so they describe a first attempt; resilience4j counts attempts itself), nothing about
 * time (no deadline applies), and for an exception no request (its method is described by the
 * {@code idempotentCalls} flag). The policy's clock gives the time header dates are read against,
 * and its random source the jitter draw, as the executor would.
 *
 * <p>Not API. Immutable and thread-safe.
 */
final class PolicyRules<T> {
  private final RetryPolicy policy;
  private final ResultReader<T> reader;
  private final boolean idempotentCalls;

  /**
   * @param idempotentCalls true if every call the Retry decorates is safe to repeat, so that
   *     failures after the request was sent may be retried
   */
  PolicyRules(RetryPolicy policy, ResultReader<T> reader, boolean idempotentCalls) {
    this.policy = policy;
    this.reader = reader;
    this.idempotentCalls = idempotentCalls;
  }

  /** True if {@code response} should be released and the call made again. */
  public boolean retryResult(T response) {
    return policy.decide(describe(response, 1, 0, 0)).action() == Action.RETRY;
  }

  /** True if {@code failure} should be followed by another attempt. */
  public boolean retryException(Throwable failure) {
    return policy.decide(describe(failure, 1, 0, 0)).action() == Action.RETRY;
  }

  /**
   * The wait in milliseconds before attempt {@code attempt + 1}: the policy's decision for that
   * outcome, never shorter than a server's hint.
   */
  public long intervalMillis(int attempt, Either<Throwable, T> outcome) {
    double draw = policy.random().getAsDouble();
    // resilience4j keeps no per-call state for us, so decorrelated jitter, which grows from the
    // previous wait, is given the previous step's nominal value instead.
    long previous = attempt > 1 ? policy.backoff().noJitter().delayNanos(attempt - 1, 0, 0) : 0;
    Outcome described = outcome.isRight()
        ? describe(outcome.get(), attempt, previous, draw)
        : describe(outcome.getLeft(), attempt, previous, draw);
    Decision decision = policy.decide(described);
    long wait = decision.action() == Action.RETRY
        ? decision.waitNanos()
        : policy.backoff().delayNanos(attempt, previous, draw); // resilience4j retries anyway
    return (wait + 999_999) / 1_000_000; // rounded up: never shorter than the hint
  }

  /** Releases a response that is about to be retried. */
  public void discard(int attempt, T response) {
    reader.discard(response);
  }

  private Outcome describe(T response, int attempt, long previousNanos, double draw) {
    OutcomeBuilder outcome = Outcome.status(statusOf(response))
        .method(methodOf(response))
        .idempotencyKey(hasKey(response))
        .attempt(attempt)
        .previousWait(Duration.ofNanos(previousNanos))
        .draw(draw)
        .now(policy.clock().instant());
    for (String name : HINT_HEADERS) {
      for (String value : reader.headers(response, name)) {
        if (value != null) outcome.header(name, value);
      }
    }
    return outcome.build();
  }

  private Outcome describe(Throwable failure, int attempt, long previousNanos, double draw) {
    if (failure instanceof UncheckedIOException && failure.getCause() != null) {
      failure = failure.getCause(); // an IOException rethrown from a plain Supplier
    }
    return Outcome.failure(failure)
        // Sent, or a rule says retry when safe: only the caller knows whether the call was safe.
        .method(idempotentCalls ? "PUT" : "POST")
        .attempt(attempt)
        .previousWait(Duration.ofNanos(previousNanos))
        .draw(draw)
        .build();
  }

  /** The headers a decision reads: Retry-After and the rate-limit families. */
  private static final List<String> HINT_HEADERS = List.of(
      "Retry-After", "RateLimit", "RateLimit-Policy", "RateLimit-Limit", "RateLimit-Remaining",
      "RateLimit-Reset", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset",
      "X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset");

  private int statusOf(T response) {
    int status = reader.status(response);
    return status < 100 || status > 999 ? 999 : status;
  }

  private String methodOf(T response) {
    String method = reader.method(response);
    return method == null ? "" : method.toUpperCase(java.util.Locale.ROOT);
  }

  private boolean hasKey(T response) {
    String header = policy.idempotencyKey().headerName();
    return header != null && reader.requestHeader(response, header) != null;
  }
}
