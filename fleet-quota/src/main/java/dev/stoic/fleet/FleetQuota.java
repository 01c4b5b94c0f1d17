package dev.stoic.fleet;

import dev.stoic.RetryClock;
import dev.stoic.Throttle;
import dev.stoic.http.RateLimitStatus;
import dev.stoic.http.ServerHints;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A throttle whose quota is shared by every instance that uses the same {@link QuotaStore}: what
 * the server tells one instance, all of them respect.
 *
 * <pre>{@code
 * FleetQuota quota = FleetQuota.builder(QuotaStore.hazelcast(hazelcastInstance)).build();
 * RetryPolicy policy = RetryPolicy.builder().throttle(quota).build();
 * }</pre>
 *
 * <p>Shared per host (or per name from {@link Builder#quotaKey}): a time before which no
 * instance calls, from a 429 or 503's {@code Retry-After} or a {@code RateLimit} reset with
 * nothing remaining; the quota the server announces ({@code RateLimit-Policy} limit and window);
 * and a Bucket4j token bucket filling at {@link Builder#targetUse} of that quota, from which each
 * instance leases {@link Builder#batch} tokens at a time and spends them as evenly spaced send
 * times. So the fleet together paces to the quota, each instance to its share. A server that
 * announces nothing and answers 429 with a short wait (a second at most) gets its rate learned
 * instead: the fleet counts per second what it accepted and refused, and paces a little above
 * what it accepted in a second with 429s (docs/semantics/load.md).
 *
 * <p>While nothing is announced, a permit costs no round trip: the store is read in the
 * background, at most once per {@link Builder#refreshInterval}, on a call that finds it due.
 * Leases are asked for before they run out. Nothing waits for the store: every request to it is
 * asynchronous and bounded by {@link Builder#maxStoreWait}; a store that is slower, or down,
 * makes the throttle behave as an instance alone would (its own holds, its own pacing at the
 * announced quota), which it logs once, and once more when the store answers again. Calls never
 * fail because of the store. See docs/SEMANTICS.md for what is shared and how consistent it is.
 *
 * <p>Thread-safe; give each policy that should share a quota key's state the same store, and each
 * instance (process, pod) its own {@code FleetQuota}.
 */
public final class FleetQuota implements Throttle {
  private static final int MAX_KEY_LENGTH = 200;
  /**
   * Bounds the hosts one throttle keeps state for. A client that calls more (a crawler, say)
   * leaves the others unpaced, as if the throttle were absent, and logs it once.
   */
  static final int MAX_HOSTS = 4096;
  private static final System.Logger LOG = System.getLogger("dev.stoic.fleet");
  private static final List<String> USED_HEADERS = List.of("RateLimit", "RateLimit-Policy",
      "RateLimit-Remaining", "X-RateLimit-Remaining", "X-Rate-Limit-Remaining");
  private static final RateLimitStatus NO_QUOTA =
      RateLimitStatus.parse(name -> List.of(), Instant.EPOCH);

  final RetryClock clock;
  final StoreSession session;
  final StoreHealth health;
  final int batch;
  final double targetUse;
  final long maxWaitNanos;
  final long refreshNanos;
  private final Function<String, String> quotaKey;
  private final String description;
  private final Map<String, HostQuota> hosts = new ConcurrentHashMap<>();
  private volatile boolean tooManyHostsLogged;

  private FleetQuota(Builder b) {
    this.clock = b.clock;
    this.session = b.store.open(b.clock);
    this.batch = b.batch;
    this.targetUse = b.targetUse;
    this.maxWaitNanos = b.maxStoreWait.toNanos();
    this.refreshNanos = b.refreshInterval.toNanos();
    this.quotaKey = b.quotaKey;
    this.health = new StoreHealth(b.store.toString(), maxWaitNanos);
    this.description = "FleetQuota{" + b.store + ", batch=" + batch + ", targetUse=" + targetUse
        + ", maxStoreWait=" + b.maxStoreWait + ", refreshInterval=" + b.refreshInterval + "}";
  }

  /**
   * Starts a configuration on {@code store}.
   *
   * @throws NullPointerException if {@code store} is null
   */
  public static Builder builder(QuotaStore store) {
    return new Builder(Objects.requireNonNull(store, "store == null"));
  }

  /** Reserves a send time for one attempt to {@code host}; never blocks and never refuses. */
  @Override
  public long reserveNanos(String host) {
    HostQuota quota = quota(host);
    return quota == null ? 0 : quota.permit();
  }

  /**
   * Reads the hold and the quota a response announced, and shares them if they are news: a
   * 429 or 503 with a wait ({@code Retry-After}, {@code retry-after-ms}), or a reset when
   * nothing remains, holds every instance until then; a stated limit and window pace them. A
   * 429 that states nothing and asks for a second at most holds no other attempt: unless a
   * quota was announced, the fleet learns the server's rate from it and from the answers after.
   */
  @Override
  public void onResponse(String host, int status, ServerHints hints) {
    long holdMillis = 0;
    long nowMillis = clock.instant().toEpochMilli();
    if (status == 429 || status == 503) {
      long delay = hints.delayNanos();
      if (delay > 0) holdMillis = nowMillis + TimeUnit.NANOSECONDS.toMillis(delay + 999_999);
    }
    // Most responses carry no rate-limit header: five lookups, not a parse's eleven.
    RateLimitStatus rate = holdMillis == 0 && !mentionsWhatWeUse(hints) ? NO_QUOTA
        : hints.rateLimit();
    if (holdMillis == 0 && rate.remaining().orElse(-1) == 0 && rate.reset().isPresent()) {
      // Resets come in whole seconds, rounded up: hold to the second before, as
      // StoicRateLimiter does, so as not to lose most of the next window.
      long reset = rate.reset().get().toMillis() - 1000;
      if (reset > 0) holdMillis = nowMillis + reset;
    }
    long limit = rate.limit().orElse(0);
    long window = rate.window().map(Duration::toMillis).orElse(0L);
    boolean announces = limit > 0 && window > 0;
    if (status == 429 && !announces && holdMillis - nowMillis <= Learning.WINDOW_MILLIS
        && rate.reset().isEmpty()) {
      // A short wait and nothing stated: the server's rate is learned (docs/semantics/load.md).
      HostQuota quota = quota(host);
      if (quota != null) quota.rateLimited(holdMillis);
      return;
    }
    if (holdMillis == 0 && !announces) {
      if (status != 429 && status != 503) {
        HostQuota quota = hosts.get(host);
        if (quota != null) quota.accepted();
      }
      return;
    }
    HostQuota quota = quota(host);
    if (quota != null) quota.announce(holdMillis, limit, window);
  }

  /**
   * True if a header that can state a window (the {@code RateLimit-Policy} and {@code RateLimit}
   * fields) or a remaining count is present: what {@link #onResponse} uses of the rate-limit
   * headers. A limit without a window or remaining ({@code X-RateLimit-Limit} alone) is unused.
   */
  private static boolean mentionsWhatWeUse(ServerHints hints) {
    for (String name : USED_HEADERS) {
      List<String> values = hints.values(name);
      if (values != null && !values.isEmpty()) return true;
    }
    return false;
  }

  /** This instance's state for {@code host}; null past {@link #MAX_HOSTS} hosts. */
  private HostQuota quota(String host) {
    HostQuota quota = hosts.get(host);
    if (quota != null) return quota;
    if (hosts.size() >= MAX_HOSTS) {
      if (!tooManyHostsLogged) {
        tooManyHostsLogged = true;
        LOG.log(System.Logger.Level.WARNING, "FleetQuota keeps state for " + MAX_HOSTS
            + " hosts at most; calls to further hosts are not paced (map hosts to fewer names"
            + " with quotaKey)");
      }
      return null;
    }
    String key = checkKey(quotaKey.apply(host));
    return hosts.computeIfAbsent(host, h -> new HostQuota(QuotaStore.PREFIX + ":" + key, this));
  }

  /** The state this instance holds for {@code host}; for tests. */
  HostQuota hostQuota(String host) {
    return quota(host);
  }

  private static String checkKey(String key) {
    if (key == null) throw new IllegalArgumentException("quotaKey returned null");
    if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      throw new IllegalArgumentException("quotaKey must return 1 to " + MAX_KEY_LENGTH
          + " characters, not " + key.length());
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw new IllegalArgumentException(
            "quotaKey must return printable ASCII without spaces; character " + i + " is not");
      }
    }
    return key;
  }

  @Override
  public String toString() {
    return description;
  }

  /**
   * Configures a {@link FleetQuota}. Each setter refuses a value out of range at once, naming
   * the setting. Not thread-safe.
   */
  public static final class Builder {
    private final QuotaStore store;
    private int batch = 10;
    private double targetUse = 0.97;
    private Duration maxStoreWait = Duration.ofMillis(5);
    private Duration refreshInterval = Duration.ofMillis(100);
    private Function<String, String> quotaKey = host -> host;
    private RetryClock clock = RetryClock.system();

    Builder(QuotaStore store) {
      this.store = store;
    }

    /**
     * How many tokens an instance leases from the shared bucket at once; 10 by default. Larger
     * batches cost fewer store requests, and strand more tokens when an instance goes quiet.
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder batch(int batch) {
      if (batch < 1) throw new IllegalArgumentException("batch must be >= 1: " + batch);
      this.batch = batch;
      return this;
    }

    /**
     * The share of the announced quota the fleet aims to use; 0.97 by default, leaving room for
     * the jitter between when an attempt is paced and when the server counts it.
     *
     * @throws IllegalArgumentException if not in (0, 1]
     */
    public Builder targetUse(double targetUse) {
      if (!(targetUse > 0 && targetUse <= 1)) {
        throw new IllegalArgumentException("targetUse must be in (0, 1]: " + targetUse);
      }
      this.targetUse = targetUse;
      return this;
    }

    /**
     * How long a store request may take before the store counts as slow and the instance paces
     * on its own; 5 ms by default. No call waits for it: requests are made ahead of need.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxStoreWait(Duration maxStoreWait) {
      this.maxStoreWait = positive(maxStoreWait, "maxStoreWait");
      return this;
    }

    /**
     * How often the announced state is read from the store, on a call that finds it due; 100
     * ms by default. It bounds how late an instance learns a hold another one was told of.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder refreshInterval(Duration refreshInterval) {
      this.refreshInterval = positive(refreshInterval, "refreshInterval");
      return this;
    }

    /**
     * Names the quota a host's calls count against; the host by default. Hosts mapped to one
     * name share one quota. The name is part of the store's keys, so it must not hold a secret:
     * name the quota, never the API key. It must be 1 to 200 printable ASCII characters.
     *
     * @throws NullPointerException if {@code quotaKey} is null
     */
    public Builder quotaKey(Function<String, String> quotaKey) {
      this.quotaKey = Objects.requireNonNull(quotaKey, "quotaKey == null");
      return this;
    }

    /** The source of time; the system clock by default. Tests pass a virtual clock. */
    public Builder clock(RetryClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** Returns the throttle, connected to the store (without waiting for it). */
    public FleetQuota build() {
      return new FleetQuota(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name + " == null");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be > 0: " + d);
      }
      return d;
    }
  }
}
