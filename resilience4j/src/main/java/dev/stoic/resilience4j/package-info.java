/**
 * Stoic and resilience4j: client-side throttling on a resilience4j {@code RateLimiter}, circuit
 * breaking per host on resilience4j {@code CircuitBreaker}s, and a bridge from a Stoic {@link
 * dev.stoic.RetryPolicy} to a resilience4j {@code RetryConfig}.
 *
 * <pre>{@code
 * // Throttle every attempt of a Stoic client, adapting to 429s and rate-limit headers:
 * RetryPolicy policy = RetryPolicy.builder()
 *     .throttle(StoicRateLimiter.adaptive(100, Duration.ofSeconds(1)).build())
 *     .build();
 *
 * // Fail fast while a host is down, counting only server faults:
 * RetryPolicy guarded = RetryPolicy.builder()
 *     .throttle(StoicCircuitBreaker.builder().openInterval(Duration.ofSeconds(5)).build())
 *     .build();
 *
 * // Or retry raw client calls with resilience4j, HTTP-aware:
 * Retry retry = Retry.of("catalog", StoicRetry.config(policy, OkHttpResultReader.create()));
 * }</pre>
 */
package dev.stoic.resilience4j;
