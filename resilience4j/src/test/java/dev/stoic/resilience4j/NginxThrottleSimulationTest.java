package dev.stoic.resilience4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.RetryPolicy;
import dev.stoic.engine.RetryExecutor;
import dev.stoic.testing.LimitReqServer;
import dev.stoic.testing.LoadSimulation.Figures;
import dev.stoic.testing.LoadSimulation;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * The adaptive limiter in front of nginx's limit_req (20 r/s, burst 5, nodelay, 429 with
 * Retry-After: 1), modelled step for step by {@link LimitReqServer}: eight workers calling in a
 * loop through the default policy, in virtual time. The same figures the real-nginx test
 * measures: calls that succeed, 429s among attempts after the first 5 s, and the share of the
 * server's rate used after them.
 */
class NginxThrottleSimulationTest {
  static final int RATE = 20;

  static Figures run(StoicRateLimiter.Builder throttle, Duration length, Duration latency) {
    LoadSimulation sim = new LoadSimulation(1, latency, Duration.ofSeconds(5));
    LimitReqServer server = new LimitReqServer(RATE, 5, 1, sim.clock);
    RetryPolicy.Builder policy = RetryPolicy.builder().clock(sim.clock).random(sim::draw);
    if (throttle != null) policy.throttle(throttle.clock(sim.clock).build());
    return sim.closedLoop(new RetryExecutor(policy.build()), (call, attempt) -> server.handle(), 8,
        length);
  }

  static void publish(TestReporter report, String key, Object value) {
    report.publishEntry(key, String.valueOf(value));
    System.out.println(key + ": " + value);
  }

  static void assertMeetsTheTargets(Figures figures) {
    assertTrue(figures.successRate() >= 0.999, figures.toString());
    assertTrue(figures.refusedShareAfterWarmup() < 0.01, figures.toString());
    assertTrue(figures.okPerSecondAfterWarmup() >= 0.9 * RATE, figures.toString());
    assertEquals(0, figures.earlyRetries, figures.toString());
    assertEquals(0, figures.throttled, figures.toString());
  }

  @Test
  void withoutTheThrottleTheDefaultsRetryEvery429AfterItsHint(TestReporter report) {
    Figures figures = run(null, Duration.ofSeconds(60), Duration.ofMillis(1));
    publish(report, "limit_req 20 r/s, no throttle, 60 s", figures);
    assertTrue(figures.successRate() >= 0.99, figures.toString());
    assertTrue(figures.refusedShareAfterWarmup() > 0.1, "the throttle is what avoids the 429s");
    assertEquals(0, figures.earlyRetries, figures.toString());
  }

  @Test
  void withAOneSecondPeriodTheThrottleUsesNinetyPercentOfTheRateWithAlmostNo429s(
      TestReporter report) {
    for (int latency : new int[] {1, 5, 20}) {
      for (int seconds : new int[] {20, 60}) {
        Figures figures = run(StoicRateLimiter.adaptive(2 * RATE, Duration.ofSeconds(1)),
            Duration.ofSeconds(seconds), Duration.ofMillis(latency));
        publish(report, "limit_req 20 r/s, throttle 40 per 1 s, " + seconds + " s, latency "
            + latency + " ms", figures);
        assertMeetsTheTargets(figures);
      }
    }
  }

  @Test
  void withAHundredMillisecondPeriodTheSame(TestReporter report) {
    for (int latency : new int[] {1, 5, 20}) {
      for (int seconds : new int[] {20, 60}) {
        Figures figures = run(StoicRateLimiter.adaptive(2 * RATE / 10, Duration.ofMillis(100)),
            Duration.ofSeconds(seconds), Duration.ofMillis(latency));
        publish(report, "limit_req 20 r/s, throttle 4 per 100 ms, " + seconds + " s, latency "
            + latency + " ms", figures);
        assertMeetsTheTargets(figures);
      }
    }
  }
}
