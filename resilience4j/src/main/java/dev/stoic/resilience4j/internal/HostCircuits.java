package dev.stoic.resilience4j.internal;

import dev.stoic.RetryClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@link HostCircuit} per host, at most {@code maxHosts} of them: past the bound, the host
 * used least recently is evicted, from this map and from the resilience4j registry (whose
 * listeners, such as resilience4j's Micrometer binding, see it removed).
 *
 * <p>Not API. Thread-safe. Lookups of known hosts take no lock; adding a host locks, and when the
 * map is full scans it once for the least recently used entry. Hosts beyond the bound cost a
 * scan each time they come back, so the bound should exceed the hosts a client really calls.
 */
public final class HostCircuits {
  private final Map<String, HostCircuit> byHost = new ConcurrentHashMap<>();
  private final AtomicLong uses = new AtomicLong();
  private final CircuitBreakerRegistry registry;
  private final RetryClock clock;
  private final int maxHosts;
  private final long openIntervalNanos;
  private final long maxProbeNanos;
  private final long maxHoldNanos;
  private final int consecutiveFaults;
  private long evictions; // guarded by this

  public HostCircuits(CircuitBreakerRegistry registry, RetryClock clock, int maxHosts,
      long openIntervalNanos, long maxProbeNanos, long maxHoldNanos, int consecutiveFaults) {
    this.registry = registry;
    this.clock = clock;
    this.maxHosts = maxHosts;
    this.openIntervalNanos = openIntervalNanos;
    this.maxProbeNanos = maxProbeNanos;
    this.maxHoldNanos = maxHoldNanos;
    this.consecutiveFaults = consecutiveFaults;
  }

  /** A java.time view of {@code clock}, for resilience4j's open-state timer and time windows. */
  public static Clock javaClock(RetryClock clock) {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a RetryClock has no zone");
      }

      @Override
      public Instant instant() {
        return clock.instant();
      }
    };
  }

  /** The host's circuit, created if it has none; marks it as just used. */
  public HostCircuit get(String host) {
    HostCircuit circuit = byHost.get(host);
    if (circuit == null) circuit = create(host);
    circuit.lastUsed = uses.incrementAndGet();
    return circuit;
  }

  /** The host's circuit, or null; does not count as a use. */
  public HostCircuit peek(String host) {
    return byHost.get(host);
  }

  public int size() {
    return byHost.size();
  }

  public synchronized long evictions() {
    return evictions;
  }

  private synchronized HostCircuit create(String host) {
    HostCircuit known = byHost.get(host);
    if (known != null) return known;
    while (byHost.size() >= maxHosts) evictLeastRecentlyUsed();
    CircuitBreaker breaker = registry.circuitBreaker(host);
    HostCircuit circuit = new HostCircuit(
        host, breaker, clock, openIntervalNanos, maxProbeNanos, maxHoldNanos, consecutiveFaults);
    byHost.put(host, circuit);
    return circuit;
  }

  private void evictLeastRecentlyUsed() {
    HostCircuit eldest = null;
    for (HostCircuit circuit : byHost.values()) {
      if (eldest == null || circuit.lastUsed < eldest.lastUsed) eldest = circuit;
    }
    byHost.remove(eldest.host);
    registry.remove(eldest.host);
    evictions++;
  }

  public int consecutiveFaults() {
    return consecutiveFaults;
  }

  /** The configuration every host's breaker shares, as resilience4j holds it. */
  public CircuitBreakerConfig config() {
    return registry.getDefaultConfig();
  }
}
