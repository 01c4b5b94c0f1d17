package dev.stoic;

import dev.stoic.internal.BudgetAccounts;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Caps how much extra load retries may add. It is shared by every call of a policy: a token bucket
 * that successes fill, a small floor of retries every second that time fills, and no limit while
 * retries are working.
 *
 * <pre>{@code
 * RetryPolicy.builder().retryBudget(RetryBudget.perHost(20, 1, 0.1).minRetriesPerSecond(10)).build();
 * }</pre>
 *
 * <p>A retry is free while retries to its host are working: while nine in ten of the recent ones
 * succeeded (a running average; retries are presumed to work until some fail). Otherwise the
 * floor pays if it has a retry left ({@code minRetriesPerSecond}, 10 by default, at most a
 * second's worth at once), else the bucket ({@code costPerRetry} tokens). Each successful response
 * puts back {@code refillPerSuccess}, up to {@code capacity}, and a retry that succeeds puts back
 * its whole cost: it added no load. A retry that nothing pays for is not made: the failure is
 * returned at once and the event says the budget is spent. A retry whose wait the server set
 * ({@code Retry-After} and the like) is not refused while the floor can pay for it later: it
 * waits for the floor instead, up to {@code maxRetryAfter} in all.
 *
 * <p>Under a total outage nothing succeeds: retries decided before the first of them fails go
 * out, the bucket drains after {@code capacity / costPerRetry} more, and from then on retries run
 * at the floor's rate, however many calls fail. docs/SEMANTICS.md gives the figures.
 *
 * <p>Buckets are per host by default. Thread-safe and lock-free; an instance holds live state, so
 * share one instance to share a budget (a policy built without one gets its own).
 */
public final class RetryBudget {
  static {
    // Spending and crediting are the engine's alone: users see the budget, never its accounts.
    BudgetAccounts.register(new BudgetAccounts<RetryBudget>() {
      @Override
      public long acquireRetry(RetryBudget budget, String host, long nowNanos, long waitNanos,
          long maxExtraNanos) {
        return budget.acquireRetry(host, nowNanos, waitNanos, maxExtraNanos);
      }

      @Override
      public void recordSuccess(RetryBudget budget, String host) {
        budget.recordSuccess(host);
      }

      @Override
      public void recordRetry(RetryBudget budget, String host, boolean succeeded) {
        budget.recordRetry(host, succeeded);
      }
    });
  }

  /*
   * Defaults: 20 retries of burst, one retry earned per ten successes, and every retry that works
   * refunded. Refunds let transient failures of any rate be retried as long as the retries
   * succeed (the AWS SDKs' rule); what the bucket limits is retries that fail, which is what
   * amplifies load. Ten retries a second is Finagle's floor: below about a hundred calls a second
   * it, not the bucket, bounds the extra load, and in exchange a quiet client is never left
   * without retries because it has had too few successes lately.
   */
  static final double DEFAULT_CAPACITY = 20;
  static final double DEFAULT_COST = 1;
  static final double DEFAULT_REFILL = 0.1;
  static final double DEFAULT_MIN_RETRIES_PER_SECOND = 10;
  /*
   * Retries are "working" while the running average of their outcomes is at least 90% success,
   * over about the last 16 (each outcome weighs 1/16). Two failures after a run of successes end
   * it. It starts at 100%: a retry that has not failed yet is presumed to work, so a burst of
   * retries that all succeed (every first attempt failing against a cold cache) is never refused
   * for want of tokens, at any call rate.
   */
  private static final int HEALTH_ONE = 1 << 16;
  private static final int HEALTH_SHIFT = 4;
  private static final int WORKING = (int) (0.9 * HEALTH_ONE);
  /** Bounds the per-host map; a client talking to more hosts than this shares overflow buckets. */
  static final int MAX_HOSTS = 4096;
  private static final long SCALE = 1000; // tokens are kept in thousandths
  /** The smallest non-zero cost or refill: anything smaller would count as nothing. */
  private static final double RESOLUTION = 1.0 / SCALE;
  private static final long SECOND = 1_000_000_000L;
  /** The floor's clock has not started: its first retry is free at any time. */
  private static final long UNSET = Long.MIN_VALUE;

  private static final RetryBudget UNLIMITED = new RetryBudget(0, 0, 0, 0, false, false);

  private final double capacityValue;
  private final double costValue;
  private final double refillValue;
  private final long capacity;
  private final long cost;
  private final long refill;
  private final double minPerSecond;
  /** Nanoseconds between two retries of the floor; 0 without a floor. */
  private final long floorInterval;
  /** How far ahead of the floor's steady pace a retry may go: a second's worth, less one. */
  private final long floorTolerance;
  private final boolean perHost;
  private final boolean enabled;
  private final Bucket shared;
  private final ConcurrentHashMap<String, Bucket> hosts = new ConcurrentHashMap<>();
  /**
   * How many buckets are below capacity, counted as a bucket leaves and regains it (each under
   * its own compare-and-set). While none is, a success has nothing to refill and skips the
   * bucket's lookup: the success path of a client whose retries have all been paid back reads one
   * counter. Counted just after the compare-and-set, so for a moment it may lag a bucket's state
   * (at worst one success's refill of a bucket just drawn from is skipped) or read below zero.
   */
  private final AtomicInteger belowCapacity = new AtomicInteger();

  private RetryBudget(double capacity, double cost, double refill, double minPerSecond,
      boolean perHost, boolean enabled) {
    this.capacityValue = capacity;
    this.costValue = cost;
    this.refillValue = refill;
    this.capacity = (long) (capacity * SCALE);
    this.cost = (long) (cost * SCALE);
    this.refill = (long) (refill * SCALE);
    this.minPerSecond = minPerSecond;
    this.floorInterval = minPerSecond == 0 ? 0 : Math.max(1, (long) (SECOND / minPerSecond));
    this.floorTolerance = (long) (Math.max(0, Math.ceil(minPerSecond) - 1) * floorInterval);
    this.perHost = perHost;
    this.enabled = enabled;
    this.shared = new Bucket(this.capacity);
  }

  /**
   * A per-host budget with the defaults: capacity 20, cost 1 per retry, refill 0.1 per success,
   * 10 retries a second at least.
   */
  public static RetryBudget perHost() {
    return perHost(DEFAULT_CAPACITY, DEFAULT_COST, DEFAULT_REFILL);
  }

  /**
   * A budget with one bucket per host, and the default floor of 10 retries a second.
   *
   * <p>Tokens are counted in thousandths, so a cost or refill is at least 0.001.
   *
   * @throws IllegalArgumentException if {@code capacity} is not in [1, 1,000,000], {@code
   *     costPerRetry} not in [0.001, capacity], or {@code refillPerSuccess} neither 0 nor in
   *     [0.001, capacity]
   */
  public static RetryBudget perHost(double capacity, double costPerRetry, double refillPerSuccess) {
    check(capacity, costPerRetry, refillPerSuccess);
    return new RetryBudget(capacity, costPerRetry, refillPerSuccess,
        DEFAULT_MIN_RETRIES_PER_SECOND, true, true);
  }

  /** A budget with one bucket for all hosts together; arguments as in {@link #perHost(double, double, double)}. */
  public static RetryBudget shared(double capacity, double costPerRetry, double refillPerSuccess) {
    check(capacity, costPerRetry, refillPerSuccess);
    return new RetryBudget(capacity, costPerRetry, refillPerSuccess,
        DEFAULT_MIN_RETRIES_PER_SECOND, false, true);
  }

  /** No budget: retries are limited only by the policy's attempts and deadline. */
  public static RetryBudget unlimited() {
    return UNLIMITED;
  }

  /**
   * A new budget like this one, with a floor of {@code perSecond} retries a second (per host for
   * a per-host budget) that never depends on successes; 0 turns the floor off, so that only the
   * bucket pays. The new budget starts full and shares no state with this one.
   *
   * <pre>{@code
   * RetryBudget strict = RetryBudget.perHost().minRetriesPerSecond(0); // outages cost 20 retries
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code perSecond} is not in [0, 1,000,000]
   * @throws IllegalStateException on {@link #unlimited()}, which has nothing to pay
   */
  public RetryBudget minRetriesPerSecond(double perSecond) {
    if (!(perSecond >= 0 && perSecond <= 1_000_000)) {
      throw new IllegalArgumentException("minRetriesPerSecond must be in [0, 1000000]: " + perSecond);
    }
    if (!enabled) {
      throw new IllegalStateException("minRetriesPerSecond does not apply to RetryBudget.unlimited()");
    }
    return new RetryBudget(capacityValue, costValue, refillValue, perSecond, perHost, true);
  }

  public boolean isEnabled() {
    return enabled;
  }

  /** The floor: retries a second that are allowed whatever the bucket holds; 0 for none. */
  public double minRetriesPerSecond() {
    return minPerSecond;
  }

  /**
   * Pays for one retry to {@code host}, decided at {@code nowNanos} (on the policy's clock) and
   * due {@code waitNanos} later: nothing while retries to the host are working; else the floor,
   * if it has a retry free by the time the retry is due; else the bucket, now. If none can, and
   * {@code maxExtraNanos} is positive (a retry whose wait the server set), the floor pays for the
   * first retry it will have free within that much more wait.
   *
   * @return the nanoseconds to wait beyond {@code waitNanos}: 0 when paid in time, at most
   *     {@code maxExtraNanos}; or -1, taking nothing, when the retry must not be made
   */
  long acquireRetry(String host, long nowNanos, long waitNanos, long maxExtraNanos) {
    if (!enabled) return 0;
    Bucket bucket = bucket(host);
    if (bucket.health.get() >= WORKING) return 0;
    long dueNanos = nowNanos + Math.max(0, waitNanos);
    if (floorInterval > 0 && takeFloor(bucket, nowNanos, dueNanos, 0) >= 0) return 0;
    AtomicLong tokens = bucket.tokens;
    while (true) {
      long available = tokens.get();
      if (available < cost) break;
      if (tokens.compareAndSet(available, available - cost)) {
        if (available >= capacity) belowCapacity.incrementAndGet();
        return 0;
      }
    }
    if (floorInterval > 0 && maxExtraNanos > 0) return takeFloor(bucket, nowNanos, dueNanos, maxExtraNanos);
    return -1;
  }

  /**
   * Takes the floor's next retry if it is free by {@code dueNanos + maxExtraNanos}; returns how
   * long after {@code dueNanos} it is free (0 if by then), or -1.
   */
  private long takeFloor(Bucket bucket, long nowNanos, long dueNanos, long maxExtraNanos) {
    AtomicLong next = bucket.floorNext;
    while (true) {
      long theoretical = next.get();
      // A virtual schedule (GCRA): the floor's pace is one retry per interval, and a retry may
      // run up to a second's worth ahead of it. It is free from `theoretical - tolerance` on.
      long base = theoretical == UNSET || theoretical - nowNanos < 0 ? nowNanos : theoretical;
      long freeAt = base - floorTolerance;
      long late = freeAt - dueNanos;
      if (late > maxExtraNanos) return -1;
      if (next.compareAndSet(theoretical, base + floorInterval)) return Math.max(0, late);
    }
  }

  /** Credits a successful response from {@code host}. */
  void recordSuccess(String host) {
    if (!enabled || refill == 0 || belowCapacity.get() <= 0) return;
    credit(bucket(host).tokens, refill);
  }

  /**
   * Records how a retry to {@code host} that this budget allowed ended. One that succeeded gives
   * back its cost (the AWS SDKs' rule: it added no load); either way the outcome counts towards
   * whether retries to the host are working. The executor calls it once per such retry.
   */
  void recordRetry(String host, boolean succeeded) {
    if (!enabled) return;
    Bucket bucket = bucket(host);
    if (succeeded) credit(bucket.tokens, cost);
    AtomicInteger health = bucket.health;
    int target = succeeded ? HEALTH_ONE : 0;
    while (true) {
      int h = health.get();
      int next = h + ((target - h) >> HEALTH_SHIFT);
      if (next == h) next = target; // the last step of a long run of the same outcome
      if (health.compareAndSet(h, next)) return;
    }
  }

  /** True while recent retries to {@code host} mostly succeeded, so that retries are not limited. */
  public boolean retriesWorking(String host) {
    return !enabled || bucket(host).health.get() >= WORKING;
  }

  private void credit(AtomicLong tokens, long amount) {
    while (true) {
      long available = tokens.get();
      if (available >= capacity) return;
      long next = Math.min(capacity, available + amount);
      if (tokens.compareAndSet(available, next)) {
        if (next >= capacity) belowCapacity.decrementAndGet();
        return;
      }
    }
  }

  /** The settings, as {@link RetryPolicy#describe()} prints them. */
  boolean isPerHost() {
    return perHost;
  }

  double capacity() {
    return capacityValue;
  }

  double costPerRetry() {
    return costValue;
  }

  double refillPerSuccess() {
    return refillValue;
  }

  /**
   * The bucket's tokens left for {@code host} (for metrics and tests), not counting the floor;
   * infinite when unlimited.
   */
  public double available(String host) {
    if (!enabled) return Double.POSITIVE_INFINITY;
    return bucket(host).tokens.get() / (double) SCALE;
  }

  private Bucket bucket(String host) {
    if (!perHost) return shared;
    String key = host == null ? "" : host;
    Bucket bucket = hosts.get(key);
    if (bucket != null) return bucket;
    if (hosts.size() >= MAX_HOSTS) return shared;
    return hosts.computeIfAbsent(key, k -> new Bucket(capacity));
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

  /** One host's state: the bucket's tokens (thousandths) and the floor's virtual schedule. */
  private static final class Bucket {
    final AtomicLong tokens;
    final AtomicLong floorNext = new AtomicLong(UNSET);
    /** The running share of recent retries that succeeded, in 1/65536; starts at all. */
    final AtomicInteger health = new AtomicInteger(HEALTH_ONE);

    Bucket(long capacity) {
      this.tokens = new AtomicLong(capacity);
    }
  }

  @Override
  public String toString() {
    if (!enabled) return "RetryBudget.unlimited()";
    return "RetryBudget{" + (perHost ? "perHost" : "shared") + ", capacity=" + capacity / (double) SCALE
        + ", costPerRetry=" + cost / (double) SCALE + ", refillPerSuccess=" + refill / (double) SCALE
        + ", minRetriesPerSecond=" + minPerSecond + "}";
  }
}
