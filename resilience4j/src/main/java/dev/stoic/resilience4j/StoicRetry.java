package dev.stoic.resilience4j;

import dev.stoic.RetryPolicy;
import io.github.resilience4j.retry.RetryConfig;
import java.util.Objects;

/**
 * Turns a Stoic {@link RetryPolicy} into a resilience4j {@link RetryConfig}, for teams that
 * standardised on resilience4j's registries, events and metrics and want HTTP-aware retries in
 * them.
 *
 * <pre>{@code
 * RetryConfig config = StoicRetry.config(policy, OkHttpResultReader.create());
 * Retry retry = RetryRegistry.of(config).retry("catalog");
 * Response response = Retry.decorateCheckedSupplier(retry,
 *     () -> client.newCall(request).execute()).get();
 * }</pre>
 *
 * <p>The config carries:
 *
 * <ul>
 *   <li><b>maxAttempts</b>: the policy's.
 *   <li><b>retryOnResult</b>: the policy's status table and rules ({@link
 *       RetryPolicy#retryability(int)}), with the method's safety: 5xx are retried for
 *       idempotent methods or requests that carry an idempotency key, 408/425/429 for any
 *       method, 409 only with a key, 413 only with {@code Retry-After}. A hint longer than
 *       {@code maxRetryAfter} returns the response at once.
 *   <li><b>retryOnException</b>: Stoic's failure classification and the policy's exception rules.
 *       Connect failures are retried for any method; unknown hosts, TLS failures, cancellation and
 *       interruption never; failures after the request was sent (read timeouts, resets) only
 *       through {@link #configForIdempotentCalls}, since an exception does not say which request
 *       failed. An {@code UncheckedIOException} counts as its cause.
 *   <li><b>intervalBiFunction</b>: the policy's backoff and random source; after a response with
 *       {@code Retry-After}, or a 429/503 with a rate-limit reset, never less than that hint.
 *   <li><b>consumeResultBeforeRetryAttempt</b>: closes every response that is retried, so no
 *       connection leaks. The final response reaches the caller unread and open.
 * </ul>
 *
 * <p><b>What Stoic's own adapters do that this bridge cannot</b>, because resilience4j sees only
 * the supplier's result: there is no deadline across attempts (resilience4j has none; add a
 * {@code TimeLimiter} or client timeouts), no {@linkplain RetryPolicy#retryBudget() retry budget},
 * no {@linkplain RetryPolicy#throttle() throttle} (put a {@link StoicRateLimiter} on a Stoic
 * policy, or a resilience4j {@code RateLimiter} around the supplier), no {@link
 * RetryPolicy#listeners() listeners} (use the Retry's event publisher), no idempotency key
 * generation (set the key on the request yourself), no credential refresh after 401, and no
 * knowledge of one-shot request bodies: the supplier sends whatever request it builds, again. A
 * JDK response is retried after the caller's body handler ran, not before. The waits use
 * resilience4j's {@code Thread.sleep}, not the policy's clock.
 *
 * <p>A {@code Retry} built from this config must decorate only suppliers of {@code T}.
 */
public final class StoicRetry {
  private StoicRetry() {}

  /**
   * Returns a config that retries as {@code policy} says, reading results with {@code reader}.
   * Failures after a request was sent are not retried: the exception does not say whether the
   * request was safe to repeat. See {@link #configForIdempotentCalls}.
   *
   * @throws NullPointerException if an argument is null
   */
  public static <T> RetryConfig config(RetryPolicy policy, ResultReader<T> reader) {
    return build(policy, reader, false);
  }

  /**
   * Like {@link #config}, for a Retry whose every call is safe to repeat (GET, PUT, DELETE… or a
   * request with an idempotency key): failures after the request was sent, such as read timeouts
   * and resets, are retried too, as Stoic retries them for such requests.
   *
   * @throws NullPointerException if an argument is null
   */
  public static <T> RetryConfig configForIdempotentCalls(RetryPolicy policy, ResultReader<T> reader) {
    return build(policy, reader, true);
  }

  private static <T> RetryConfig build(
      RetryPolicy policy, ResultReader<T> reader, boolean idempotentCalls) {
    Objects.requireNonNull(policy, "policy == null");
    Objects.requireNonNull(reader, "reader == null");
    PolicyRules<T> rules = new PolicyRules<>(policy, reader, idempotentCalls);
    return RetryConfig.<T>custom()
        .maxAttempts(policy.maxAttempts())
        .retryOnResult(rules::retryResult)
        .retryOnException(rules::retryException)
        .intervalBiFunction(rules::intervalMillis)
        .consumeResultBeforeRetryAttempt(rules::discard)
        .build();
  }
}
