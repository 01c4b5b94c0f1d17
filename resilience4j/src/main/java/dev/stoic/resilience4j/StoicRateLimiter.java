package dev.stoic.resilience4j;

import dev.stoic.http.RateLimitStatus;
import dev.stoic.http.ServerHints;
import dev.stoic.RetryClock;
import dev.stoic.RetryPolicy;
import dev.stoic.Throttle;
import dev.stoic.resilience4j.internal.AimdLaw;
import dev.stoic.resilience4j.internal.RateLimitHeaders;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.github.resilience4j.ratelimiter.internal.SemaphoreBasedRateLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Client-side rate limiting for Stoic on a resilience4j {@link RateLimiter}: every attempt waits
 * for a permit before it is sent, so callers slow down before the server has to answer 429.
 *
 * <pre>{@code
 * // Adaptive: starts at 100 requests per second, slows on 429, recovers on success.
 * StoicRateLimiter limiter = StoicRateLimiter.adaptive(100, Duration.ofSeconds(1)).floor(5).build();
 * RetryPolicy policy = RetryPolicy.builder().throttle(limiter).build();
 *
 * // Or pace through a limiter from your own registry, at its configured rate:
 * RetryPolicy paced = RetryPolicy.builder()
 *     .throttle(StoicRateLimiter.wrap(registry.rateLimiter("payments")))
 *     .build();
 * }</pre>
 *
 * <p>It is a {@link dev.stoic.Throttle}, the one core extension point for pacing, so it works
 * the same from every adapter, retries included: Stoic's executor reserves a permit before each
 * attempt ({@link RateLimiter#reservePermission()}, which never blocks) and then waits the time
 * the limiter asks, on the calling thread for a blocking call or as a scheduled task for an
 * async one. The wait counts against the policy's deadline. When the limiter cannot grant a
 * permit within its {@link RateLimiterConfig#getTimeoutDuration() timeoutDuration}, the attempt
 * fails with {@link dev.stoic.ThrottledException} and nothing is sent.
 *
 * <h2>The control law of an adaptive limiter</h2>
 *
 * <p>An adaptive limiter keeps a rate {@code r}: permits per period {@code P}, not necessarily
 * whole, between a floor and a ceiling from the builder. It spreads attempts evenly, one every
 * {@code P / r}, never several at once: a resilience4j limiter releases a period's permits
 * together, and real limiters (nginx's {@code limit_req}, API gateways) are leaky buckets with a
 * small burst that refuse such a burst. The resilience4j limiter's {@code limitForPeriod} follows
 * {@code r} rounded up. Every response is read for what it says about the quota:
 *
 * <ol>
 *   <li><b>Quota cap.</b> If the rate-limit headers state the quota and its window ({@code
 *       RateLimit-Policy: "default";q=3000;w=60}, or an older draft's form), the ceiling becomes
 *       {@code floor(q × P / w)}, never above the configured ceiling nor below the floor, and a
 *       larger {@code r} drops to it at once.
 *   <li><b>Hold.</b> A 429 with {@code Retry-After} (or {@code retry-after-ms}, or lacking both,
 *       a quota reset) stops every attempt until then, not only the retry of the refused call;
 *       attempts resume at the hold's end one {@code P / r} apart, not in one burst. A response
 *       saying that nothing remains ({@code remaining} 0) holds until its reset, less one second:
 *       resets come in whole seconds, rounded up.
 *   <li><b>Multiplicative decrease.</b> On a 429, {@code r} falls by a tenth, not below the
 *       floor; by four tenths when the 429 comes within two probe intervals of the end of the
 *       last cut's hold, as the rate is then still far too high. It falls by a tenth, too, when
 *       the headers state no window but say the quota is {@linkplain
 *       RateLimitStatus#nearlySpent(double) nearly spent} (10% or less left) and, at {@code r},
 *       the rest would run out before the reset. At most once per round: a round lasts a probe
 *       interval and until every attempt that held a permit at the cut has been answered (or, for
 *       answers that never come, until the limiter's timeout and one period have passed).
 *   <li><b>Increase.</b> A probe interval's worth of answers without push-back raises {@code r}
 *       by 0.5%; the step doubles every 20 increases, up to 16%, and starts again at 0.5% after a
 *       push-back. The probe interval is a second, or {@code P} if longer, or the longest hold
 *       the server asked for (up to a minute): quota windows are a second or longer, and probing
 *       faster than the window overshoots within it. 5xx answers count neither way.
 * </ol>
 *
 * <p>A cut of a tenth keeps the rate between 90% and a little over 100% of what the server
 * admits, and the slow probe makes refusals rare (each one also costs the server's pause);
 * clients sharing a quota still converge to fair shares, as under any multiplicative decrease.
 * Permits already reserved stand, so attempts already waiting when a quota runs out are still
 * sent. In this module's simulations, against nginx's {@code limit_req} and against fixed quota
 * windows, fewer than 1 in 100 attempts get a 429 once the rate has converged, and 90% or more
 * of the quota is used.
 *
 * <h2>Hosts</h2>
 *
 * <p>A resilience4j {@code RateLimiter} is one bucket, so one instance paces every host the
 * policy talks to, and a 429 from one host slows calls to all of them. Give each rate-limited
 * API its own policy and limiter ({@link RetryPolicy#toBuilder()} derives one).
 *
 * <p>Thread-safe. {@link #reserveNanos} takes no lock; adaptation serialises on a small lock
 * once per response.
 */
public final class StoicRateLimiter implements Throttle {
  private static final long NO_HOLD = Long.MIN_VALUE;
  private static final RateLimitStatus NO_QUOTA =
      RateLimitStatus.parse(name -> List.of(), Instant.EPOCH);

  private final RateLimiter limiter;
  private final AimdLaw law;
  private final RetryClock clock;
  private final long periodNanos;
  /** No attempt goes out before this time on {@link #clock}; NO_HOLD for none. */
  private volatile long holdUntilNanos = NO_HOLD;
  /** The next permit's time on {@link #clock}, when the limiter is adaptive; NO_HOLD at first. */
  private final AtomicLong nextSlotNanos = new AtomicLong(NO_HOLD);
  /** Nanoseconds between two permits: the period divided by the rate. */
  private volatile long intervalNanos;
  /** Permits granted, so the law knows how many answers are still to come. */
  private final LongAdder granted = new LongAdder();

  private StoicRateLimiter(RateLimiter limiter, AimdLaw law, RetryClock clock) {
    this.limiter = limiter;
    this.law = law;
    this.clock = clock;
    this.periodNanos = limiter.getRateLimiterConfig().getLimitRefreshPeriod().toNanos();
    this.intervalNanos = law == null ? 0 : intervalFor(law.rate());
  }

  /**
   * Paces attempts through {@code limiter} at its configured rate, which is never changed.
   *
   * @throws NullPointerException if {@code limiter} is null
   * @throws IllegalArgumentException if {@code limiter} cannot reserve permits without blocking
   *     (resilience4j's {@code SemaphoreBasedRateLimiter})
   */
  public static StoicRateLimiter wrap(RateLimiter limiter) {
    return new StoicRateLimiter(checkReserves(limiter), null, RetryClock.system());
  }

  /**
   * Starts an adaptive limiter that Stoic creates: {@code limitForPeriod} permits every {@code
   * period} to begin with, and at most that many ever.
   *
   * @throws NullPointerException if {@code period} is null
   * @throws IllegalArgumentException if {@code limitForPeriod} is below 1 or {@code period} is
   *     not positive
   */
  public static Builder adaptive(int limitForPeriod, Duration period) {
    if (limitForPeriod < 1) {
      throw new IllegalArgumentException("limitForPeriod must be >= 1: " + limitForPeriod);
    }
    Objects.requireNonNull(period, "period == null");
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period must be > 0: " + period);
    }
    return new Builder(null, limitForPeriod, period);
  }

  /**
   * Starts an adaptive limiter on your own {@code limiter}: its {@code limitForPeriod} is changed
   * as the control law says, between a floor and a ceiling that defaults to its limit now. Its
   * refresh period and timeout stay as configured.
   *
   * @throws NullPointerException if {@code limiter} is null
   * @throws IllegalArgumentException if {@code limiter} cannot reserve permits without blocking
   */
  public static Builder adaptive(RateLimiter limiter) {
    RateLimiterConfig config = checkReserves(limiter).getRateLimiterConfig();
    return new Builder(limiter, config.getLimitForPeriod(), config.getLimitRefreshPeriod());
  }

  private static RateLimiter checkReserves(RateLimiter limiter) {
    Objects.requireNonNull(limiter, "limiter == null");
    if (limiter instanceof SemaphoreBasedRateLimiter) {
      throw new IllegalArgumentException("a SemaphoreBasedRateLimiter cannot reserve permits "
          + "without blocking; use RateLimiter.of(...), an AtomicRateLimiter");
    }
    return limiter;
  }

  /** The resilience4j limiter, for its metrics, events and registry. */
  public RateLimiter rateLimiter() {
    return limiter;
  }

  /** True if the limit adapts to the server's answers; false for {@link #wrap}. */
  public boolean isAdaptive() {
    return law != null;
  }

  /** The permits per period now. */
  public int limitForPeriod() {
    return limiter.getRateLimiterConfig().getLimitForPeriod();
  }

  /**
   * Reserves a permit without blocking and returns the nanoseconds to wait for it; negative if
   * the limiter cannot grant one within its timeout, or the server asked to hold off for longer
   * than that. {@code host} is not used: one limiter paces every host.
   *
   * <p>An adaptive limiter also spreads its permits evenly: one every {@code period / rate},
   * never several at once, so that a period's permits do not reach the server as one burst.
   */
  @Override
  public long reserveNanos(String host) {
    long now = clock.nanoTime();
    long hold = holdUntilNanos;
    long held = hold == NO_HOLD ? 0 : hold - now;
    long timeout = limiter.getRateLimiterConfig().getTimeoutDuration().toNanos();
    if (held > 0 && held > timeout) return -1;
    long wait = limiter.reservePermission();
    if (wait < 0) return wait;
    if (law == null) return Math.max(wait, held);
    long earliest = now + Math.max(wait, held);
    while (true) {
      long next = nextSlotNanos.get();
      long slot = next == NO_HOLD || next - earliest < 0 ? earliest : next;
      if (slot - now > timeout) return -1;
      if (nextSlotNanos.compareAndSet(next, slot + intervalNanos)) {
        granted.increment();
        return slot - now;
      }
    }
  }

  /** Adapts the rate to one response, as the control law above says; does nothing if fixed. */
  @Override
  public void onResponse(String host, int status, ServerHints hints) {
    if (law == null) return;
    // Most responses carry no rate-limit header at all: they parse nothing.
    RateLimitStatus quota = RateLimitHeaders.mentioned(hints) ? hints.rateLimit() : NO_QUOTA;
    long hintNanos = status == 429 ? hints.delayNanos() : -1;
    synchronized (law) {
      boolean changed = law.onResponse(clock.nanoTime(), status, quota, hintNanos, granted.sum());
      // Inside the lock, so that two changes cannot reach the limiter out of order.
      if (changed) {
        intervalNanos = intervalFor(law.rate());
        int limit = law.limit();
        if (limit != limiter.getRateLimiterConfig().getLimitForPeriod()) {
          limiter.changeLimitForPeriod(limit);
        }
      }
      if (law.heldNanos() > 0) holdUntilNanos = law.holdUntilNanos();
    }
  }

  /** The permits per period the law allows now, not necessarily whole; for tests. */
  double rate() {
    if (law == null) return limitForPeriod();
    synchronized (law) {
      return law.rate();
    }
  }

  private long intervalFor(double rate) {
    return (long) (periodNanos / rate);
  }

  @Override
  public String toString() {
    String prefix = "StoicRateLimiter{" + limiter.getName() + ", limitForPeriod="
        + limitForPeriod() + ", period=" + limiter.getRateLimiterConfig().getLimitRefreshPeriod();
    if (law == null) return prefix + ", fixed}";
    synchronized (law) {
      return prefix + ", adaptive in [" + law.floor() + ", " + law.ceiling() + "]}";
    }
  }

  /**
   * Configures an adaptive {@link StoicRateLimiter}. Each setter validates its argument at once;
   * {@link #build()} checks the settings against each other. Not thread-safe.
   */
  public static final class Builder {
    /* resilience4j's own default for timeoutDuration. */
    private static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(5);

    private final RateLimiter limiter;
    private final int start;
    private final Duration period;
    private int floor = 1;
    private int ceiling;
    private Duration maxWait;
    private String name = "stoic";
    private RetryClock clock = RetryClock.system();

    Builder(RateLimiter limiter, int start, Duration period) {
      this.limiter = limiter;
      this.start = start;
      this.ceiling = start;
      this.period = period;
    }

    /**
     * The fewest permits per period the limit may fall to; 1 by default.
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder floor(int floor) {
      if (floor < 1) throw new IllegalArgumentException("floor must be >= 1: " + floor);
      this.floor = floor;
      return this;
    }

    /**
     * The most permits per period the limit may grow to; the starting limit by default. A quota
     * the server states lowers it further.
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder ceiling(int ceiling) {
      if (ceiling < 1) throw new IllegalArgumentException("ceiling must be >= 1: " + ceiling);
      this.ceiling = ceiling;
      return this;
    }

    /**
     * How long an attempt may wait for a permit before it fails with {@link
     * dev.stoic.ThrottledException}; 5 s by default (resilience4j's {@code timeoutDuration}). Only
     * for a limiter Stoic creates: your own limiter keeps its timeout.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder maxWait(Duration maxWait) {
      Objects.requireNonNull(maxWait, "maxWait == null");
      if (maxWait.isNegative()) throw new IllegalArgumentException("maxWait must be >= 0: " + maxWait);
      this.maxWait = maxWait;
      return this;
    }

    /** The name of the limiter Stoic creates, as its metrics and events show it; "stoic". */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name == null");
      return this;
    }

    /**
     * The source of time: for the limiter Stoic creates, for the once-per-period rule, and for
     * epoch-second resets. Tests pass a virtual clock; the system clock by default.
     */
    public Builder clock(RetryClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /**
     * Returns the limiter.
     *
     * @throws IllegalStateException if the floor exceeds the ceiling or the starting limit is not
     *     between them, or if {@link #maxWait} or {@link #name} is set for a limiter of your own
     */
    public StoicRateLimiter build() {
      if (floor > ceiling) {
        throw new IllegalStateException("floor (" + floor + ") exceeds ceiling (" + ceiling + ")");
      }
      if (start < floor || start > ceiling) {
        throw new IllegalStateException("the starting limit (" + start + ") is outside [floor "
            + floor + ", ceiling " + ceiling + "]");
      }
      if (limiter != null) {
        if (maxWait != null || !name.equals("stoic")) {
          throw new IllegalStateException("maxWait and name apply only to a limiter Stoic "
              + "creates; configure your own RateLimiter through its RateLimiterConfig");
        }
        Duration timeout = limiter.getRateLimiterConfig().getTimeoutDuration();
        return new StoicRateLimiter(limiter, law(timeout), clock);
      }
      Duration timeout = maxWait != null ? maxWait : DEFAULT_MAX_WAIT;
      RateLimiterConfig config = RateLimiterConfig.custom()
          .limitForPeriod(start)
          .limitRefreshPeriod(period)
          .timeoutDuration(timeout)
          .build();
      RetryClock time = clock;
      RateLimiter created = new AtomicRateLimiter(name, config, time::nanoTime);
      return new StoicRateLimiter(created, law(timeout), clock);
    }

    private AimdLaw law(Duration timeout) {
      return new AimdLaw(start, floor, ceiling, period.toNanos(), timeout.toNanos());
    }
  }
}
