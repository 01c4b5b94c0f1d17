package dev.stoic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.engine.RetryExecutor;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.LimitReqServer;
import dev.stoic.testing.LoadSimulation.Figures;
import dev.stoic.testing.LoadSimulation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * What the retry budget does to availability and to load, with the default policy, in virtual
 * time: calls go through Stoic's real async executor to an in-memory server, so each run is exact
 * and takes well under a second. The four cases of the load issue: a rate limiter (nginx's
 * limit_req), first attempts that fail and retries that work, a total outage at high call rates,
 * and a client that makes few calls.
 */
class RetryBudgetSimulationTest {
  static final Duration LATENCY = Duration.ofMillis(1);
  static final Duration WARMUP = Duration.ofSeconds(5);

  static LoadSimulation simulation(long seed) {
    return new LoadSimulation(seed, LATENCY, WARMUP);
  }

  /** The default policy on the simulation's clock and seeded jitter; a budget of its own. */
  static RetryExecutor defaults(LoadSimulation sim) {
    return new RetryExecutor(RetryPolicy.builder().clock(sim.clock).random(sim::draw).build());
  }

  static void publish(TestReporter report, String key, Object value) {
    report.publishEntry(key, String.valueOf(value));
    System.out.println(key + ": " + value);
  }

  /** nginx: limit_req rate=20r/s burst=5 nodelay, limit_req_status 429, Retry-After: 1. */
  static LimitReqServer nginx(LoadSimulation sim) {
    return new LimitReqServer(20, 5, 1, sim.clock);
  }

  @Test
  void againstARateLimiterTheDefaultsRetryEvery429AfterItsHintAndAlmostEveryCallSucceeds(
      TestReporter report) {
    LoadSimulation sim = simulation(1);
    LimitReqServer server = nginx(sim);
    Figures stoic = sim.closedLoop(defaults(sim), (call, attempt) -> server.handle(), 8,
        Duration.ofSeconds(60));
    publish(report, "limit_req 20 r/s, 8 workers, defaults", stoic);

    LoadSimulation naiveSim = simulation(1);
    LimitReqServer naiveServer = nginx(naiveSim);
    Figures naive = naiveSim.naiveLoop((call, attempt) -> naiveServer.handle(), 8,
        Duration.ofSeconds(60), Duration.ofMillis(500), 5);
    publish(report, "limit_req 20 r/s, 8 workers, naive loop (500 ms, 5 attempts)", naive);

    assertTrue(stoic.successRate() >= 0.99, stoic.toString());
    assertEquals(0, stoic.earlyRetries, "a retry went out before the server's Retry-After");
    assertTrue(stoic.attemptsPerCall() < 1.6, stoic.toString());
    assertTrue(stoic.attemptsPerCall() < naive.attemptsPerCall() * 0.75, stoic + " vs " + naive);
    // The server's rate is what limits both: neither gets more done, Stoic asks far less often.
    assertTrue(stoic.okPerSecondAfterWarmup() >= 19, stoic.toString());
  }

  @Test
  void whenEveryFirstAttemptFailsAndItsRetryWorksEveryCallSucceeds(TestReporter report) {
    for (double perSecond : new double[] {5, 100, 1000}) {
      LoadSimulation sim = simulation(2);
      Figures figures = sim.openLoop(defaults(sim),
          (call, attempt) -> FakeResponse.of(attempt == 1 ? 503 : 200), perSecond,
          Duration.ofSeconds(30));
      publish(report, "first attempts fail, " + perSecond + " calls/s", figures);

      // Each retry that works refunds its cost: the bucket never drains.
      assertEquals(figures.calls, figures.succeeded, figures.toString());
      assertEquals(2.0, figures.attemptsPerCall(), 1e-9, figures.toString());
    }
  }

  /** Every attempt fails: 503 with no hint, or with {@code Retry-After: 1}. */
  static Figures outage(double perSecond, boolean hinted, Duration length) {
    LoadSimulation sim = simulation(3);
    FakeResponse down = hinted ? FakeResponse.of(503, "Retry-After", "1") : FakeResponse.of(503);
    return sim.openLoop(defaults(sim), (call, attempt) -> down, perSecond, length);
  }

  @Test
  void underATotalOutageAtHighCallRatesRetriesAddAtMostTenPercentLoad(TestReporter report) {
    Duration minute = Duration.ofMinutes(1);
    for (double perSecond : new double[] {200, 1000}) {
      for (boolean hinted : new boolean[] {false, true}) {
        Figures figures = outage(perSecond, hinted, minute);
        double extra = figures.extraLoadInRun();
        long retriesInRun = figures.attemptsInRun - figures.calls;
        publish(report, "total outage, " + perSecond + " calls/s" + (hinted ? ", Retry-After: 1" : "")
            + ", extra load", String.format("%.2f%% (%d retries during the minute, %d in all)",
                100 * extra, retriesInRun, figures.retries));

        assertEquals(0, figures.succeeded);
        assertTrue(extra <= 0.10, "extra load " + extra);
        // The bound itself: the retries decided before the first of them failed (the first
        // wait: under a second of backoff, or the hint and its spread of at most 10%), the
        // bucket's 20, and the floor's 10 a second (a second's worth at once).
        double firstWait = hinted ? 1.1 : 1.0;
        assertTrue(retriesInRun <= perSecond * firstWait + 20 + 10 * (60 + 1),
            retriesInRun + " retries");
      }
    }
    Figures hundred = outage(100, false, minute);
    publish(report, "total outage, 100 calls/s, extra load",
        String.format("%.2f%%", 100 * hundred.extraLoadInRun()));
    Figures unlimited = outageWithout(200, minute);
    publish(report, "total outage, 200 calls/s, no budget, extra load",
        String.format("%.2f%%", 100 * (unlimited.attemptsPerCall() - 1)));
    assertEquals(5.0, unlimited.attemptsPerCall(), 1e-9);
  }

  static Figures outageWithout(double perSecond, Duration length) {
    LoadSimulation sim = simulation(3);
    RetryExecutor executor = new RetryExecutor(RetryPolicy.builder().clock(sim.clock)
        .random(sim::draw).retryBudget(RetryBudget.unlimited()).build());
    return sim.openLoop(executor, (call, attempt) -> FakeResponse.of(503), perSecond, length);
  }

  @Test
  void aClientMakingAFewCallsASecondCanAlwaysRetryThem(TestReporter report) {
    // Two calls a second for ten minutes, and nothing ever succeeds: the bucket is spent within
    // seconds, and the floor pays for every retry of every call from then on.
    Figures figures = outage(2, false, Duration.ofMinutes(10));
    publish(report, "total outage, 2 calls/s for 10 min", figures);
    assertEquals(5.0, figures.attemptsPerCall(), 1e-9, figures.toString());
  }

  @Test
  void underFivePercentTransientFailuresAlmostEveryCallSucceedsAtLowExtraLoad(TestReporter report) {
    SplittableRandom failures = new SplittableRandom(42);
    LoadSimulation sim = simulation(4);
    Figures figures = sim.openLoop(defaults(sim),
        (call, attempt) -> FakeResponse.of(failures.nextDouble() < 0.05 ? 503 : 200), 200,
        Duration.ofSeconds(100));
    publish(report, "5% random failures, 200 calls/s", figures);

    assertTrue(figures.successRate() >= 0.999, figures.toString());
    assertTrue(figures.attemptsPerCall() <= 1.07, figures.toString());
  }

  @Test
  void aRetryWhoseWaitTheServerSetIsPacedByTheFloorRatherThanRefused() {
    // An outage that answers 503 with Retry-After: 2 at 1,000 calls a second: the bucket and the
    // floor's second are soon spent, yet hinted retries are not all refused at once; some wait
    // for the floor, at its pace, at most as long again as the server asked.
    LoadSimulation sim = simulation(5);
    RecordingWaits waits = new RecordingWaits();
    RetryPolicy policy = RetryPolicy.builder().clock(sim.clock).random(sim::draw)
        .listener(waits).build();
    Figures figures = sim.openLoop(new RetryExecutor(policy),
        (call, attempt) -> new FakeResponse(503, Map.of("Retry-After", List.of("2"))), 1000,
        Duration.ofSeconds(20));
    assertTrue(waits.paced > 0, "no retry was paced");
    assertTrue(waits.refused > 0, "no retry was refused");
    // A paced retry waits at most as long again as the policy decided.
    assertTrue(waits.mostExtra <= 1.0, "waited " + waits.mostExtra + " times longer");
    long retriesInRun = figures.attemptsInRun - figures.calls;
    assertTrue(retriesInRun <= 1000 * 2.2 + 20 + 10 * (20 + 1), retriesInRun + " retries");
  }

  /** Counts retries the budget made wait longer than the server asked, and refused ones. */
  static final class RecordingWaits implements RetryListener {
    long paced;
    long refused;
    double mostExtra;

    @Override
    public void onEvent(RetryEvent event) {
      if (event.reason().contains("retry budget") && event.action() == Decision.Action.GIVE_UP) {
        refused++;
      }
      if (event.action() != Decision.Action.RETRY) return;
      if (event.reason().contains("then for the retry budget")) {
        paced++;
        String reason = event.reason();
        String millis = reason.substring(reason.lastIndexOf('(') + 1, reason.lastIndexOf(" ms more"));
        long extra = Duration.ofMillis(Long.parseLong(millis)).toNanos();
        long decided = event.waitTime().toNanos() - extra;
        mostExtra = Math.max(mostExtra, extra / (double) decided);
      }
    }
  }
}
