package dev.stoic;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket that caps how much extra load retries may add, shared by every call of a policy.
 *
 * <p>Each retry spends {@code costPerRetry} tokens; each successful response (1xx, 2xx, 3xx) puts
 * back {@code refillPerSuccess}, up to {@code capacity}. A retry that finds too few tokens is not
 * made: the call still makes its first attempt, but its failure is returned at once and the event
 * says the budget is spent. This is the scheme of gRPC's retry throttling and the AWS SDKs' retry
 * quota: while a dependency is healthy, retries flow freely; when it is down, the bucket drains
 * after {@code capacity / costPerRetry} retries and stays empty until successes return, so an
 * outage costs a fixed number of extra requests instead of multiplying every call.
 *
 * <pre>{@code
 * RetryPolicy.builder().retryBudget(RetryBudget.perHost(20, 1, 0.1)).build();
 * }</pre>
 *
 * <p>Buckets are per host by default. Thread-safe and lock-free; an instance holds live state, so
 * share one instance to share a budget (a policy built without one gets its own).
 */
public final class RetryBudget {
  /*
   * Defaults: 20 retries of burst, and one retry earned per ten successes. A 10% sustained retry
   * ratio covers transient failure rates up to about 9% (each failed call needs ~1 retry); beyond
   * that the dependency is not having a blip, and more retries would only add to its load.
   */
  static final double DEFAULT_CAPACITY = 20;
  static final double DEFAULT_COST = 1;
  static final double DEFAULT_REFILL = 0.1;
  /** Bounds the per-host map; a client talking to more hosts than this shares overflow buckets. */
  static final int MAX_HOSTS = 4096;
  private static final long SCALE = 1000; // tokens are kept in thousandths
  /** The smallest non-zero cost or refill: anything smaller would count as nothing. */
  private static final double RESOLUTION = 1.0 / SCALE;

  private static final RetryBudget UNLIMITED = new RetryBudget(0, 0, 0, false, false);

  private final long capacity;
  private final long cost;
  private final long refill;
  private final boolean perHost;
  private final boolean enabled;
  private final AtomicLong shared;
  private final ConcurrentHashMap<String, AtomicLong> hosts = new ConcurrentHashMap<>();

  private RetryBudget(
      double capacity, double cost, double refill, boolean perHost, boolean enabled) {
    this.capacity = (long) (capacity * SCALE);
    this.cost = (long) (cost * SCALE);
    this.refill = (long) (refill * SCALE);
    this.perHost = perHost;
    this.enabled = enabled;
    this.shared = new AtomicLong(this.capacity);
  }

  /** A per-host budget with the defaults: capacity 20, cost 1 per retry, refill 0.1 per success. */
  public static RetryBudget perHost() {
    return perHost(DEFAULT_CAPACITY, DEFAULT_COST, DEFAULT_REFILL);
  }

  /**
   * A budget with one bucket per host.
   *
   * <p>Tokens are counted in thousandths, so a cost or refill is at least 0.001.
   *
   * @throws IllegalArgumentException if {@code capacity} is not in [1, 1,000,000], {@code
   *     costPerRetry} not in [0.001, capacity], or {@code refillPerSuccess} neither 0 nor in
   *     [0.001, capacity]
   */
  public static RetryBudget perHost(double capacity, double costPerRetry, double refillPerSuccess) {
    check(capacity, costPerRetry, refillPerSuccess);
    return new RetryBudget(capacity, costPerRetry, refillPerSuccess, true, true);
  }

  /** A budget with one bucket for all hosts together; arguments as in {@link #perHost(double, double, double)}. */
  public static RetryBudget shared(double capacity, double costPerRetry, double refillPerSuccess) {
    check(capacity, costPerRetry, refillPerSuccess);
    return new RetryBudget(capacity, costPerRetry, refillPerSuccess, false, true);
  }

  /** No budget: retries are limited only by the policy's attempts and deadline. */
  public static RetryBudget unlimited() {
    return UNLIMITED;
  }

  public boolean isEnabled() {
    return enabled;
  }

  /** Takes the cost of one retry to {@code host}; returns false, taking nothing, if too few tokens. */
  public boolean tryAcquireRetry(String host) {
    if (!enabled) return true;
    AtomicLong bucket = bucket(host);
    while (true) {
      long tokens = bucket.get();
      if (tokens < cost) return false;
      if (bucket.compareAndSet(tokens, tokens - cost)) return true;
    }
  }

  /** Credits a successful response from {@code host}. */
  public void recordSuccess(String host) {
    if (!enabled || refill == 0) return;
    AtomicLong bucket = bucket(host);
    while (true) {
      long tokens = bucket.get();
      if (tokens >= capacity) return;
      if (bucket.compareAndSet(tokens, Math.min(capacity, tokens + refill))) return;
    }
  }

  /** The tokens left for {@code host} (for metrics and tests); infinite when unlimited. */
  public double available(String host) {
    if (!enabled) return Double.POSITIVE_INFINITY;
    return bucket(host).get() / (double) SCALE;
  }

  /** The settings, as {@link RetryPolicy#describe()} prints them. */
  boolean isPerHost() {
    return perHost;
  }

  double capacity() {
    return capacity / (double) SCALE;
  }

  double costPerRetry() {
    return cost / (double) SCALE;
  }

  double refillPerSuccess() {
    return refill / (double) SCALE;
  }

  private AtomicLong bucket(String host) {
    if (!perHost) return shared;
    String key = host == null ? "" : host;
    AtomicLong bucket = hosts.get(key);
    if (bucket != null) return bucket;
    if (hosts.size() >= MAX_HOSTS) return shared;
    return hosts.computeIfAbsent(key, k -> new AtomicLong(capacity));
  }

  private static void check(double capacity, double cost, double refill) {
    if (!(capacity >= 1 && capacity <= 1_000_000)) {
      throw new IllegalArgumentException("capacity must be in [1, 1000000]: " + capacity);
    }
    if (!(cost >= RESOLUTION && cost <= capacity)) {
      throw new IllegalArgumentException("costPerRetry must be in [0.001, capacity]: " + cost);
    }
    if (!(refill == 0 || (refill >= RESOLUTION && refill <= capacity))) {
      throw new IllegalArgumentException(
          "refillPerSuccess must be 0 or in [0.001, capacity]: " + refill);
    }
  }

  @Override
  public String toString() {
    if (!enabled) return "RetryBudget.unlimited()";
    return "RetryBudget{" + (perHost ? "perHost" : "shared") + ", capacity=" + capacity / (double) SCALE
        + ", costPerRetry=" + cost / (double) SCALE + ", refillPerSuccess=" + refill / (double) SCALE + "}";
  }
}
