package dev.stoic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.engine.CallInfo;
import dev.stoic.engine.RetryExecutor;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.VirtualClock;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * Simulates many calls against an in-memory server, in virtual time, to show what the retry
 * budget does to load: the figures the load issue sets as targets.
 */
class RetryBudgetSimulationTest {
  static final int CALLS = 20_000;

  /** Counts attempts (the load) and successes. */
  static final class Outcome {
    long attempts;
    long succeeded;

    double load() {
      return attempts / (double) CALLS;
    }
  }

  static Outcome simulate(RetryBudget budget, double failureRate, long seed) throws Exception {
    SplittableRandom server = new SplittableRandom(seed);
    RetryPolicy policy = RetryPolicy.builder()
        .clock(new VirtualClock())
        .random(() -> 0.5)
        .maxAttempts(5)
        .retryBudget(budget)
        .build();
    RetryExecutor executor = new RetryExecutor(policy);
    CallInfo call = CallInfo.builder("GET", "http://backend.internal/items").build();
    Outcome outcome = new Outcome();
    for (int i = 0; i < CALLS; i++) {
      FakeResponse response = executor.execute(call, context -> {
        outcome.attempts++;
        return FakeResponse.of(server.nextDouble() < failureRate ? 503 : 200);
      }, FakeResponse.ACCESS, () -> false);
      if (response.status == 200) outcome.succeeded++;
    }
    return outcome;
  }

  @Test
  void underATotalOutageTheBudgetKeepsExtraLoadUnderTenPercent(TestReporter report)
      throws Exception {
    Outcome withBudget = simulate(RetryBudget.perHost(), 1.0, 1);
    Outcome without = simulate(RetryBudget.unlimited(), 1.0, 1);

    // Without a budget every call makes all five attempts: 400% extra load.
    assertEquals(5.0, without.load());
    // With the default budget only its capacity (20 retries) is ever spent.
    assertEquals(CALLS + 20, withBudget.attempts);
    assertTrue(withBudget.load() <= 1.10, "load " + withBudget.load());
    report.publishEntry("outage load with budget", Double.toString(withBudget.load()));
    report.publishEntry("outage load without budget", Double.toString(without.load()));
  }

  @Test
  void underFivePercentTransientFailuresAlmostEveryCallSucceedsAtLowExtraLoad(TestReporter report)
      throws Exception {
    Outcome outcome = simulate(RetryBudget.perHost(), 0.05, 42);

    double successRate = outcome.succeeded / (double) CALLS;
    assertTrue(successRate >= 0.999, "success rate " + successRate);
    assertTrue(outcome.load() <= 1.07, "load " + outcome.load());
    report.publishEntry("5% failures: success rate", Double.toString(successRate));
    report.publishEntry("5% failures: load", Double.toString(outcome.load()));
  }

  @Test
  void theBudgetRefillsAsSuccessesReturn() {
    RetryBudget budget = RetryBudget.perHost(2, 1, 0.5);
    assertTrue(budget.tryAcquireRetry("a"));
    assertTrue(budget.tryAcquireRetry("a"));
    assertTrue(!budget.tryAcquireRetry("a"), "empty after two retries");
    assertTrue(budget.tryAcquireRetry("b"), "other hosts keep their own bucket");
    budget.recordSuccess("a");
    assertEquals(0.5, budget.available("a"));
    budget.recordSuccess("a");
    assertTrue(budget.tryAcquireRetry("a"));
    for (int i = 0; i < 10; i++) budget.recordSuccess("a");
    assertEquals(2.0, budget.available("a"), "never above capacity");
  }
}
