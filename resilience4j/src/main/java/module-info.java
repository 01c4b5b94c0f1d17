/**
 * Stoic with resilience4j: an adaptive client-side rate limiter, HTTP-aware circuit breaking per
 * host, and a policy bridge.
 */
module dev.stoic.resilience4j {
  requires transitive dev.stoic;
  requires transitive io.github.resilience4j.circuitbreaker;
  requires transitive io.github.resilience4j.ratelimiter;
  requires transitive io.github.resilience4j.retry;
  requires io.github.resilience4j.core;
  requires static okhttp3;
  requires static java.net.http;

  exports dev.stoic.resilience4j;
}
