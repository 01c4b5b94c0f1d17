package dev.stoic.resilience4j;

import dev.stoic.http.ServerHints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.testing.VirtualClock;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.github.resilience4j.ratelimiter.internal.SemaphoreBasedRateLimiter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The limiter as a Throttle, in virtual time: exact waits, exact limits. */
class StoicRateLimiterTest {
  static final long SECOND = 1_000_000_000L;
  final VirtualClock clock = new VirtualClock();

  /** The hints of a response with these header lines, read at the virtual clock's epoch. */
  static ServerHints headers(String... pairs) {
    Map<String, List<String>> map = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < pairs.length; i += 2) map.put(pairs[i], List.of(pairs[i + 1]));
    return ServerHints.of(name -> map.getOrDefault(name, List.of()), new VirtualClock().instant());
  }

  static final ServerHints NO_HEADERS = headers();

  StoicRateLimiter adaptive(int limit) {
    return StoicRateLimiter.adaptive(limit, Duration.ofSeconds(1)).clock(clock).build();
  }

  @Test
  void permitsAreReservedWithoutBlockingSpreadEvenlyAndTheWaitIsReturned() {
    StoicRateLimiter limiter = adaptive(2);
    assertEquals(0, limiter.reserveNanos("a"));
    assertEquals(SECOND / 2, limiter.reserveNanos("a"), "two a second: one every half second");
    assertEquals(SECOND, limiter.reserveNanos("a"));
    assertEquals(3 * SECOND / 2, limiter.reserveNanos("b"), "one limiter for every host");
    assertEquals(2 * SECOND, limiter.reserveNanos("a"));
    clock.advance(Duration.ofSeconds(10));
    assertEquals(0, limiter.reserveNanos("a"), "an idle limiter saves up nothing but the next");
    assertEquals(SECOND / 2, limiter.reserveNanos("a"));
  }

  @Test
  void aPermitBeyondTheMaxWaitIsRefused() {
    StoicRateLimiter limiter = StoicRateLimiter.adaptive(1, Duration.ofSeconds(1))
        .maxWait(Duration.ofMillis(500)).clock(clock).build();
    assertEquals(0, limiter.reserveNanos("a"));
    assertTrue(limiter.reserveNanos("a") < 0);
  }

  @Test
  void a429CutsTheRateAndHoldsUntilRetryAfterThenSpreadsAttemptsAtTheNewRate() {
    StoicRateLimiter limiter = adaptive(4);
    limiter.onResponse("a", 429, headers("Retry-After", "3"));

    assertEquals(3.6, limiter.rate(), 1e-9);
    assertEquals(4, limiter.limitForPeriod(), "resilience4j's whole permits: the rate rounded up");
    // Nothing before 3 s, then 3.6 a second: no burst at the end of the hold.
    long interval = (long) (SECOND / 3.6);
    assertEquals(3 * SECOND, limiter.reserveNanos("a"));
    assertEquals(3 * SECOND + interval, limiter.reserveNanos("a"));
    assertEquals(3 * SECOND + 2 * interval, limiter.reserveNanos("a"));
    clock.advance(Duration.ofSeconds(4));
    assertEquals(0, limiter.reserveNanos("a"));
    assertEquals(interval, limiter.reserveNanos("a"));
  }

  @Test
  void aMillisecondHintHoldsAsRetryAfterDoes() {
    StoicRateLimiter limiter = adaptive(4);
    limiter.onResponse("a", 429, headers("retry-after-ms", "1500", "Retry-After", "3"));
    assertEquals(3 * SECOND / 2, limiter.reserveNanos("a"));
  }

  @Test
  void aHoldLongerThanTheMaxWaitRefusesUntilItEnds() {
    StoicRateLimiter limiter = adaptive(4); // max wait 5 s
    limiter.onResponse("a", 429, headers("Retry-After", "10"));
    assertTrue(limiter.reserveNanos("a") < 0);
    clock.advance(Duration.ofSeconds(10));
    assertEquals(0, limiter.reserveNanos("a"));
  }

  @Test
  void aStatedQuotaLowersTheLimitAtOnce() {
    StoicRateLimiter limiter = adaptive(100);
    limiter.onResponse("a", 200, headers("RateLimit-Policy", "\"default\";q=600;w=60"));
    assertEquals(10, limiter.limitForPeriod());
  }

  @Test
  void successesWithoutRateLimitHeadersRaiseTheRateBackTowardsTheCeiling() {
    StoicRateLimiter limiter = adaptive(10);
    limiter.onResponse("a", 429, NO_HEADERS);
    assertEquals(9.0, limiter.rate(), 1e-9);
    for (int i = 0; i < 9; i++) limiter.onResponse("a", 200, NO_HEADERS);
    assertEquals(9.045, limiter.rate(), 1e-9);
    assertEquals(10, limiter.limitForPeriod());
  }

  @Test
  void yourOwnLimiterAdaptsWithinItsOwnLimitAndKeepsItsPeriodAndTimeout() {
    RateLimiterConfig config = RateLimiterConfig.custom().limitForPeriod(8)
        .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ofSeconds(2)).build();
    RateLimiter own = new AtomicRateLimiter("payments", config, clock::nanoTime);
    StoicRateLimiter limiter = StoicRateLimiter.adaptive(own).floor(3).clock(clock).build();

    assertSame(own, limiter.rateLimiter());
    for (int i = 0; i < 20; i++) {
      clock.advance(Duration.ofSeconds(2)); // a new round each time
      limiter.onResponse("a", 429, NO_HEADERS);
      assertEquals((int) Math.ceil(limiter.rate() - 1e-9),
          own.getRateLimiterConfig().getLimitForPeriod());
    }
    assertEquals(3.0, limiter.rate(), 1e-9, "not below the floor");
    assertEquals(3, own.getRateLimiterConfig().getLimitForPeriod());
    assertEquals(Duration.ofSeconds(2), own.getRateLimiterConfig().getTimeoutDuration());
    assertEquals(Duration.ofSeconds(1), own.getRateLimiterConfig().getLimitRefreshPeriod());
    for (int i = 0; i < 10_000; i++) limiter.onResponse("a", 200, NO_HEADERS);
    assertEquals(8, own.getRateLimiterConfig().getLimitForPeriod(), "its own limit is the ceiling");
  }

  @Test
  void aWrappedLimiterPacesButNeverAdapts() {
    RateLimiter own = new AtomicRateLimiter("fixed", RateLimiterConfig.custom().limitForPeriod(1)
        .limitRefreshPeriod(Duration.ofSeconds(1)).build(), clock::nanoTime);
    StoicRateLimiter limiter = StoicRateLimiter.wrap(own);

    assertFalse(limiter.isAdaptive());
    limiter.onResponse("a", 429, headers("Retry-After", "30"));
    assertEquals(1, limiter.limitForPeriod());
    assertEquals(0, limiter.reserveNanos("a"));
    assertEquals(SECOND, limiter.reserveNanos("a"));
  }

  @Test
  void aSemaphoreBasedLimiterIsRejectedBecauseItCannotReserve() {
    SemaphoreBasedRateLimiter semaphore = new SemaphoreBasedRateLimiter("s",
        RateLimiterConfig.ofDefaults());
    try {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> StoicRateLimiter.wrap(semaphore));
      assertEquals("a SemaphoreBasedRateLimiter cannot reserve permits without blocking; use "
          + "RateLimiter.of(...), an AtomicRateLimiter", e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> StoicRateLimiter.adaptive(semaphore));
    } finally {
      semaphore.shutdown();
    }
  }

  @Test
  void settingsAreValidatedEagerly() {
    assertThrows(IllegalArgumentException.class,
        () -> StoicRateLimiter.adaptive(0, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class,
        () -> StoicRateLimiter.adaptive(1, Duration.ZERO));
    assertThrows(NullPointerException.class, () -> StoicRateLimiter.adaptive(1, null));
    assertThrows(NullPointerException.class, () -> StoicRateLimiter.wrap(null));
    StoicRateLimiter.Builder builder = StoicRateLimiter.adaptive(10, Duration.ofSeconds(1));
    assertThrows(IllegalArgumentException.class, () -> builder.floor(0));
    assertThrows(IllegalArgumentException.class, () -> builder.ceiling(0));
    assertThrows(IllegalArgumentException.class, () -> builder.maxWait(Duration.ofMillis(-1)));

    IllegalStateException floor = assertThrows(IllegalStateException.class,
        () -> StoicRateLimiter.adaptive(10, Duration.ofSeconds(1)).floor(11).ceiling(20).build());
    assertEquals("the starting limit (10) is outside [floor 11, ceiling 20]", floor.getMessage());
    assertThrows(IllegalStateException.class,
        () -> StoicRateLimiter.adaptive(10, Duration.ofSeconds(1)).floor(5).ceiling(4).build());
    RateLimiter own = RateLimiter.of("own", RateLimiterConfig.ofDefaults());
    IllegalStateException maxWait = assertThrows(IllegalStateException.class,
        () -> StoicRateLimiter.adaptive(own).maxWait(Duration.ofSeconds(1)).build());
    assertEquals("maxWait and name apply only to a limiter Stoic creates; configure your own "
        + "RateLimiter through its RateLimiterConfig", maxWait.getMessage());
  }

  @Test
  void toStringNamesTheLimiterAndItsRange() {
    assertEquals("StoicRateLimiter{stoic, limitForPeriod=10, period=PT1S, adaptive in [2, 10]}",
        StoicRateLimiter.adaptive(10, Duration.ofSeconds(1)).floor(2).build().toString());
  }
}
