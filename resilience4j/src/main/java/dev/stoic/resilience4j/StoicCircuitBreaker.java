package dev.stoic.resilience4j;

import dev.stoic.CircuitOpenException;
import dev.stoic.RetryClock;
import dev.stoic.Throttle;
import dev.stoic.http.FailureKind;
import dev.stoic.http.Retryability;
import dev.stoic.http.ServerHints;
import dev.stoic.http.StatusTable;
import dev.stoic.resilience4j.internal.HostCircuit;
import dev.stoic.resilience4j.internal.HostCircuits;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Circuit breaking per host that knows HTTP, on resilience4j {@link CircuitBreaker}s. When a host
 * answers with a few server faults in a row, or its share of server faults passes a threshold,
 * calls to it fail at once with a {@link CircuitOpenException} instead of each waiting for its own
 * timeout; calls already waiting to retry on it end at once, with the same exception, instead of
 * when their wait runs out.
 *
 * <pre>{@code
 * StoicCircuitBreaker breaker = StoicCircuitBreaker.builder()
 *     .failureRateThreshold(50)
 *     .openInterval(Duration.ofSeconds(5))
 *     .build();
 * RetryPolicy policy = RetryPolicy.builder().throttle(breaker).build();
 * }</pre>
 *
 * <p>It is a {@link Throttle}, so it works the same from every adapter, sync and async, retries
 * included. What it counts: a status the policy's own status table retries as a server error
 * (502, 503, 504 and the like; not 501), a timeout, a reset, a connect failure. A 4xx never
 * counts, a cancelled attempt never counts, and every other answer counts as the host working. A
 * 429, or an answer saying the quota is spent, holds the host until the time its hint names;
 * calls fail fast until then and go on afterwards, without a half-open phase. When a fault comes
 * with {@code Retry-After}, the circuit stays open for that long if it is longer than the
 * configured interval. Only requests safe to repeat (an idempotent method, or an idempotency key)
 * probe a half-open circuit; others fail fast until a probe has closed it. When a call's retry
 * would meet an open circuit, the call ends at once with the outcome it has.
 *
 * <p>Every host gets its own breaker, named after the host, from one shared configuration; the
 * {@link #registry()} holds them, for resilience4j's metrics and events. At most {@link
 * Builder#maxHosts} are kept: past that, the host used least recently is evicted.
 *
 * <p>Thread-safe; one instance may serve many policies.
 */
public final class StoicCircuitBreaker implements Throttle {
  private final HostCircuits hosts;
  private final CircuitBreakerRegistry registry;
  private final Duration openInterval;

  private StoicCircuitBreaker(
      HostCircuits hosts, CircuitBreakerRegistry registry, Duration openInterval) {
    this.hosts = hosts;
    this.registry = registry;
    this.openInterval = openInterval;
  }

  /** Starts a configuration with the defaults each setter names. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Lets an attempt to {@code host} through, as a request that is safe to repeat; -1 if the
   * circuit refuses it. Stoic's executor calls {@link #permitNanos} instead.
   */
  @Override
  public long reserveNanos(String host) {
    try {
      return permitNanos(host, true);
    } catch (CircuitOpenException e) {
      return -1;
    }
  }

  /**
   * Lets an attempt to {@code host} through now (returns 0), or refuses it.
   *
   * @throws CircuitOpenException if the host is held by a rate-limit hint, its circuit is open,
   *     or its circuit is half-open and this request is not safe to repeat or finds no probe left
   */
  @Override
  public long permitNanos(String host, boolean safeToRepeat) throws CircuitOpenException {
    return hosts.get(host).permit(safeToRepeat);
  }

  /** Counts a response, its status treated as the default status table says. */
  @Override
  public void onResponse(String host, int status, ServerHints hints) {
    onResponse(host, status, StatusTable.defaults().lookup(status).retryability(), hints);
  }

  /** Counts a response, its status treated as the policy says: what Stoic's executor calls. */
  @Override
  public void onResponse(String host, int status, Retryability treatment, ServerHints hints) {
    hosts.get(host).onResponse(status, treatment, hints);
  }

  /** Counts timeouts, resets and connect failures; lets anything else go uncounted. */
  @Override
  public void onFailure(String host, FailureKind kind) {
    hosts.get(host).onFailure(kind);
  }

  @Override
  public String refusesRetry(String host, long waitNanos, boolean safeToRepeat) {
    HostCircuit circuit = hosts.peek(host);
    return circuit == null ? null : circuit.refusesRetry(waitNanos, safeToRepeat);
  }

  /** Wakes calls waiting to retry on {@code host} when its circuit opens or a hint holds it. */
  @Override
  public RetryClock.Cancellable watchRefusals(String host, Runnable wake) {
    return hosts.get(host).watch(wake);
  }

  /** The breaker of {@code host}, if it has one now. */
  public Optional<CircuitBreaker> circuitBreaker(String host) {
    HostCircuit circuit = hosts.peek(host);
    return circuit == null ? Optional.empty() : Optional.of(circuit.breaker());
  }

  /** The registry holding each host's breaker, for resilience4j's metrics and events. */
  public CircuitBreakerRegistry registry() {
    return registry;
  }

  /** The number of hosts with a breaker now; never more than the configured bound. */
  public int hosts() {
    return hosts.size();
  }

  @Override
  public String toString() {
    return "StoicCircuitBreaker{hosts=" + hosts.size() + ", failureRateThreshold="
        + hosts.config().getFailureRateThreshold() + "%, consecutiveFaults="
        + hosts.consecutiveFaults() + ", openInterval=" + openInterval + "}";
  }

  /**
   * Configures a {@link StoicCircuitBreaker}. Each setter refuses a value that is out of range
   * at once, naming the setting. Not thread-safe.
   */
  public static final class Builder {
    private float failureRateThreshold = 50;
    private int consecutiveFaults = 5;
    private int minimumAttempts = 10;
    private Duration window = Duration.ofSeconds(10);
    private Duration openInterval = Duration.ofSeconds(5);
    private int probes = 1;
    private Duration maxProbeTime = Duration.ofMinutes(1);
    private Duration maxHold = Duration.ofMinutes(5);
    private int maxHosts = 1000;
    private RetryClock clock = RetryClock.system();

    Builder() {}

    /**
     * The share of counted attempts, in percent, that opens the circuit when it is reached; 50 by
     * default.
     *
     * @throws IllegalArgumentException unless in (0, 100]
     */
    public Builder failureRateThreshold(float percent) {
      if (!(percent > 0 && percent <= 100)) {
        throw new IllegalArgumentException(
            "failureRateThreshold must be in (0, 100] percent: " + percent);
      }
      this.failureRateThreshold = percent;
      return this;
    }

    /**
     * How many server faults in a row open a closed circuit, whatever its failure rate; 5 by
     * default, as Envoy's outlier detection ejects a host after 5 consecutive gateway errors. The
     * rate window alone trips late on a busy host: it must first fill with as many failures as it
     * held successes. 0 leaves only the rate window. Any answer that is not a server fault (a
     * success, a 4xx) starts the count again.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder consecutiveFaults(int faults) {
      if (faults < 0) {
        throw new IllegalArgumentException("consecutiveFaults must be >= 0: " + faults);
      }
      this.consecutiveFaults = faults;
      return this;
    }

    /**
     * How many attempts the window must hold before the failure rate is judged; 10 by default.
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder minimumAttempts(int attempts) {
      this.minimumAttempts = atLeastOne("minimumAttempts", attempts);
      return this;
    }

    /**
     * How far back attempts count toward the failure rate, in whole seconds; 10 s by default.
     *
     * @throws IllegalArgumentException unless a whole number of seconds, at least one
     */
    public Builder window(Duration window) {
      Objects.requireNonNull(window, "window == null");
      if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.toNanosPart() != 0
          || window.toSeconds() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "window must be a whole number of seconds, at least 1 s: " + window);
      }
      this.window = window;
      return this;
    }

    /**
     * How long an opened circuit stays open before a probe may go; 5 s by default. A server's
     * {@code Retry-After} on the fault that opened it lengthens it, up to {@link #maxHold}.
     *
     * @throws IllegalArgumentException unless at least 1 ms
     */
    public Builder openInterval(Duration interval) {
      Objects.requireNonNull(interval, "openInterval == null");
      if (interval.compareTo(Duration.ofMillis(1)) < 0) {
        throw new IllegalArgumentException("openInterval must be >= 1 ms: " + interval);
      }
      this.openInterval = interval;
      return this;
    }

    /**
     * How many probes a half-open circuit lets through; 1 by default. The circuit closes when
     * their failure rate is below the threshold, and opens again otherwise.
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder probes(int probes) {
      this.probes = atLeastOne("probes", probes);
      return this;
    }

    /**
     * How long a probe may go unanswered before it counts as failed and the circuit opens again;
     * 1 minute by default. Keep it above the attempt timeout.
     *
     * @throws IllegalArgumentException unless positive
     */
    public Builder maxProbeTime(Duration time) {
      this.maxProbeTime = positive("maxProbeTime", time);
      return this;
    }

    /**
     * The longest a server's hint may hold a host or keep its circuit open; 5 minutes by default.
     *
     * @throws IllegalArgumentException unless positive
     */
    public Builder maxHold(Duration time) {
      this.maxHold = positive("maxHold", time);
      return this;
    }

    /**
     * The most hosts to keep a breaker for; past it, the host used least recently is evicted
     * (and its state forgotten). 1,000 by default.
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder maxHosts(int hosts) {
      this.maxHosts = atLeastOne("maxHosts", hosts);
      return this;
    }

    /**
     * The source of time for the open interval, the window and the hints; the system clock by
     * default. Tests pass a virtual clock, the same as the policy's.
     */
    public Builder clock(RetryClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    private static int atLeastOne(String setting, int value) {
      if (value < 1) throw new IllegalArgumentException(setting + " must be >= 1: " + value);
      return value;
    }

    private static Duration positive(String setting, Duration value) {
      Objects.requireNonNull(value, setting + " == null");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(setting + " must be > 0: " + value);
      }
      return value;
    }

    /** Returns the breaker; every setting was checked as it was set. */
    public StoicCircuitBreaker build() {
      RetryClock time = clock;
      CircuitBreakerConfig config = CircuitBreakerConfig.custom()
          .failureRateThreshold(failureRateThreshold)
          .slidingWindow((int) window.toSeconds(), minimumAttempts, SlidingWindowType.TIME_BASED)
          .waitDurationInOpenState(openInterval)
          .permittedNumberOfCallsInHalfOpenState(probes)
          .automaticTransitionFromOpenToHalfOpenEnabled(false)
          .clock(HostCircuits.javaClock(time))
          .currentTimestampFunction(c -> time.nanoTime(), TimeUnit.NANOSECONDS)
          .build();
      CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config);
      HostCircuits hosts = new HostCircuits(registry, time, maxHosts, openInterval.toNanos(),
          maxProbeTime.toNanos(), maxHold.toNanos(), consecutiveFaults);
      return new StoicCircuitBreaker(hosts, registry, openInterval);
    }
  }
}
