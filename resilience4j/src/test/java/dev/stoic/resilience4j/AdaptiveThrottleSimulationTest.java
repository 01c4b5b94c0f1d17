package dev.stoic.resilience4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.resilience4j.QuotaServer.Headers;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * The adaptive limiter against a server with a fixed quota per fixed window, in virtual time:
 * the figures the throttling issue sets as targets. Fixed windows are how many public APIs count
 * (GitHub, per-minute quotas); leaky buckets such as nginx's limit_req are in {@link
 * NginxThrottleSimulationTest}. Every attempt, retries included, goes through
 * Stoic's real executor and the real resilience4j {@code AtomicRateLimiter}, driven by the same
 * virtual clock as the server, so each run is exact and takes well under a second.
 *
 * <p>Clients start at twice the quota and must find it. "After convergence" is the last 80% of
 * the run; utilisation is the share of the server's quota the client actually used.
 */
class AdaptiveThrottleSimulationTest {
  /** A per-minute quota, as most public APIs publish one: 3,000 a minute, 50 a second. */
  static final int PER_MINUTE = 3000;
  /** A per-second quota: 500 a second. */
  static final int PER_SECOND = 500;

  /** What one run measured. */
  static final class Figures {
    final long attemptsBefore;
    final long refusedBefore;
    final long attemptsAfter;
    final long refusedAfter;
    final double utilisation;

    Figures(ThrottleSimulation sim, int quota) {
      int windows = sim.windows();
      int converged = windows / 5;
      attemptsBefore = sim.attempts(0, converged);
      refusedBefore = sim.refused(0, converged);
      attemptsAfter = sim.attempts(converged, windows);
      refusedAfter = sim.refused(converged, windows);
      utilisation = (attemptsAfter - refusedAfter) / ((windows - converged) * (double) quota);
    }

    double refusedShareAfter() {
      return refusedAfter / (double) attemptsAfter;
    }

    @Override
    public String toString() {
      return String.format("before convergence %d attempts, %d got 429 (%.2f%%); after %d attempts,"
              + " %d got 429 (%.3f%%); quota used %.1f%%",
          attemptsBefore, refusedBefore, 100.0 * refusedBefore / attemptsBefore, attemptsAfter,
          refusedAfter, 100.0 * refusedShareAfter(), 100 * utilisation);
    }
  }

  /** An hour against 3,000 a minute: 10 callers who would send 140 a second unthrottled. */
  static ThrottleSimulation perMinute(Headers headers) {
    return new ThrottleSimulation(headers, PER_MINUTE, Duration.ofMinutes(1), Duration.ofHours(1),
        10, Duration.ofMillis(20), Duration.ofMillis(50));
  }

  /** Five minutes against 500 a second: 100 callers who would send 1,400 a second. */
  static ThrottleSimulation perSecond(Headers headers) {
    return new ThrottleSimulation(headers, PER_SECOND, Duration.ofSeconds(1),
        Duration.ofMinutes(5), 100, Duration.ofMillis(20), Duration.ofMillis(50));
  }

  static Figures perMinuteThrottled(Headers headers) {
    ThrottleSimulation sim = perMinute(headers);
    // 100 a second to begin with: twice the quota.
    sim.run(StoicRateLimiter.adaptive(100, Duration.ofSeconds(1)).clock(sim.clock).build());
    return new Figures(sim, PER_MINUTE);
  }

  static Figures perSecondThrottled(Headers headers) {
    ThrottleSimulation sim = perSecond(headers);
    // 100 per 100 ms to begin with: twice the quota.
    sim.run(StoicRateLimiter.adaptive(100, Duration.ofMillis(100)).clock(sim.clock).build());
    return new Figures(sim, PER_SECOND);
  }

  /** Reports a figure to JUnit and to the test's output, where surefire keeps it. */
  static void publish(TestReporter report, String key, String value) {
    report.publishEntry(key, value);
    System.out.println(key + ": " + value);
  }

  @Test
  void withAStatedQuotaTheClientUsesAllOfItAndGetsNo429AfterConvergence(TestReporter report) {
    Figures figures = perMinuteThrottled(Headers.POLICY);
    publish(report, "per-minute quota, RateLimit-Policy headers", figures.toString());

    assertEquals(0, figures.refusedAfter, figures.toString());
    assertEquals(1.0, figures.utilisation, 0.001, figures.toString());
  }

  @Test
  void withRemainingCountsOnlyFewerThanOnePercentOfAttemptsGet429(TestReporter report) {
    Figures figures = perMinuteThrottled(Headers.REMAINING);
    publish(report, "per-minute quota, X-RateLimit headers", figures.toString());

    assertTrue(figures.refusedShareAfter() < 0.01, figures.toString());
    assertTrue(figures.utilisation > 0.6, figures.toString());
  }

  @Test
  void withNothingButRetryAfterOn429FewerThanOnePercentOfAttemptsGet429(TestReporter report) {
    Figures figures = perMinuteThrottled(Headers.NONE);
    publish(report, "per-minute quota, 429 and Retry-After only", figures.toString());

    assertTrue(figures.refusedShareAfter() < 0.01, figures.toString());
    assertTrue(figures.utilisation > 0.6, figures.toString());
  }

  @Test
  void againstAPerSecondQuotaFewerThanOnePercentOfAttemptsGet429(TestReporter report) {
    for (Headers headers : Headers.values()) {
      Figures figures = perSecondThrottled(headers);
      publish(report, "per-second quota, " + headers, figures.toString());

      assertTrue(figures.refusedShareAfter() < 0.01, headers + ": " + figures);
      assertTrue(figures.utilisation > 0.6, headers + ": " + figures);
    }
  }

  @Test
  void withoutTheThrottleTheSameCallersGetManyTimesMore429s(TestReporter report) {
    ThrottleSimulation unthrottled = perMinute(Headers.NONE).run(null);
    Figures without = new Figures(unthrottled, PER_MINUTE);
    Figures with = perMinuteThrottled(Headers.NONE);
    publish(report, "per-minute quota, no throttle", without.toString());

    // Unthrottled, callers keep sending into an exhausted window: about a third get 429.
    assertTrue(without.refusedShareAfter() > 0.2, without.toString());
    assertTrue(with.refusedShareAfter() * 20 < without.refusedShareAfter(), with + " vs " + without);
  }
}
