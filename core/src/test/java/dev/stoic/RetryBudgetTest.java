package dev.stoic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RetryBudget's validation: what it accepts is what it counts. */
class RetryBudgetTest {
  /*
   * Regression: tokens are kept in thousandths, and a cost below 0.001 was accepted and then
   * rounded to nothing, so every retry was free and the budget never stopped one.
   */
  @Test
  void aCostBelowTheBudgetsResolutionIsRefusedInsteadOfMakingRetriesFree() {
    for (double cost : new double[] {0.0009, 0.0001, Double.MIN_VALUE}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> RetryBudget.perHost(1, cost, 0));
      assertEquals("costPerRetry must be in [0.001, capacity]: " + cost, e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> RetryBudget.shared(1, cost, 0));
    }
    RetryBudget smallest = failing(RetryBudget.perHost(1, 0.001, 0).minRetriesPerSecond(0), "h");
    for (int i = 0; i < 1000; i++) assertTrue(smallest.acquireRetry("h", 0, 0, 0) == 0, "retry " + i);
    assertFalse(smallest.acquireRetry("h", 0, 0, 0) == 0, "a thousand retries of 0.001 spend a capacity of 1");
  }

  /*
   * Regression: a refill below 0.001 was accepted and then rounded to nothing, so successes never
   * refilled the budget: once spent, it stopped every retry for good.
   */
  @Test
  void aRefillBelowTheBudgetsResolutionIsRefusedInsteadOfNeverRefilling() {
    for (double refill : new double[] {0.0009, 0.0004, Double.MIN_VALUE}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> RetryBudget.perHost(1, 1, refill));
      assertEquals("refillPerSuccess must be 0 or in [0.001, capacity]: " + refill,
          e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> RetryBudget.shared(1, 1, refill));
    }
    RetryBudget never = failing(RetryBudget.perHost(1, 1, 0).minRetriesPerSecond(0), "h");
    assertTrue(never.acquireRetry("h", 0, 0, 0) == 0);
    never.recordSuccess("h");
    assertFalse(never.acquireRetry("h", 0, 0, 0) == 0, "a refill of 0 is a choice, and still allowed");
    RetryBudget smallest = failing(RetryBudget.perHost(1, 1, 0.001).minRetriesPerSecond(0), "h");
    assertTrue(smallest.acquireRetry("h", 0, 0, 0) == 0);
    for (int i = 0; i < 1000; i++) smallest.recordSuccess("h");
    assertEquals(1.0, smallest.available("h"));
  }

  static final long SECOND = 1_000_000_000L;

  /** Two failed retries end the presumption that retries to {@code host} work. */
  static RetryBudget failing(RetryBudget budget, String host) {
    assertTrue(budget.retriesWorking(host));
    budget.recordRetry(host, false);
    assertTrue(budget.retriesWorking(host), "one failure among recent successes is not enough");
    budget.recordRetry(host, false);
    assertFalse(budget.retriesWorking(host));
    return budget;
  }

  @Test
  void whileRetriesWorkTheyAreNotLimitedAndTwoFailuresEndThat() {
    RetryBudget budget = RetryBudget.perHost(1, 1, 0).minRetriesPerSecond(0);
    for (int i = 0; i < 1000; i++) {
      assertEquals(0, budget.acquireRetry("h", 0, 0, 0), "retry " + i);
      budget.recordRetry("h", true);
    }
    failing(budget, "h");
    assertEquals(0, budget.acquireRetry("h", 0, 0, 0)); // the bucket's one token
    assertEquals(-1, budget.acquireRetry("h", 0, 0, 0));
    for (int i = 0; i < 100; i++) budget.recordRetry("h", false); // an outage
    // Retries that succeed again (paid by the floor or by tokens that successes earn) bring it
    // back: after about 35 in a row.
    int successes = 0;
    while (!budget.retriesWorking("h")) {
      budget.recordRetry("h", true);
      successes++;
    }
    assertTrue(successes > 20 && successes < 40, successes + " successes");
  }

  @Test
  void theBucketRefillsAsSuccessesReturnAndRetriesThatWorkAreRefunded() {
    RetryBudget budget = RetryBudget.perHost(2, 1, 0.5).minRetriesPerSecond(0);
    failing(budget, "a");
    failing(budget, "b");
    budget.recordRetry("a", false); // no refund
    assertEquals(2.0, budget.available("a"));
    assertEquals(0, budget.acquireRetry("a", 0, 0, 0));
    assertEquals(0, budget.acquireRetry("a", 0, 0, 0));
    assertEquals(-1, budget.acquireRetry("a", 0, 0, 0), "empty after two retries");
    assertEquals(0, budget.acquireRetry("b", 0, 0, 0), "other hosts keep their own bucket");
    budget.recordSuccess("a");
    assertEquals(0.5, budget.available("a"));
    budget.recordRetry("a", true);
    assertEquals(1.5, budget.available("a"), "a retry that worked gives its whole cost back");
    for (int i = 0; i < 10; i++) budget.recordRetry("a", true);
    assertEquals(2.0, budget.available("a"), "never above capacity");
  }

  @Test
  void aSuccessStillRefillsABucketOnceAnotherHostsBucketIsFullAgain() {
    RetryBudget budget = RetryBudget.perHost(2, 1, 0.5).minRetriesPerSecond(0);
    failing(budget, "a");
    failing(budget, "b");
    assertEquals(0, budget.acquireRetry("a", 0, 0, 0));
    assertEquals(0, budget.acquireRetry("b", 0, 0, 0));
    budget.recordSuccess("b");
    budget.recordSuccess("b");
    assertEquals(2.0, budget.available("b"));
    budget.recordSuccess("a");
    assertEquals(1.5, budget.available("a"), "a is still below capacity and refills");
    budget.recordSuccess("a");
    budget.recordSuccess("a");
    assertEquals(2.0, budget.available("a"));
    assertEquals(0, budget.acquireRetry("a", 0, 0, 0));
    budget.recordSuccess("a");
    assertEquals(1.5, budget.available("a"), "drawn from again after every bucket was full");
  }

  @Test
  void afterRacingRetriesAndSuccessesEveryBucketRefillsToCapacity() throws Exception {
    RetryBudget budget = RetryBudget.perHost(5, 1, 0.25).minRetriesPerSecond(0);
    String[] hosts = {"a", "b", "c"};
    for (String host : hosts) failing(budget, host);
    Thread[] threads = new Thread[8];
    for (int t = 0; t < threads.length; t++) {
      java.util.SplittableRandom random = new java.util.SplittableRandom(t);
      threads[t] = new Thread(() -> {
        for (int i = 0; i < 20_000; i++) {
          String host = hosts[random.nextInt(hosts.length)];
          if (random.nextInt(3) == 0) budget.acquireRetry(host, 0, 0, 0);
          else budget.recordSuccess(host);
        }
      });
      threads[t].start();
    }
    for (Thread thread : threads) thread.join();
    for (String host : hosts) {
      for (int i = 0; i < 40; i++) budget.recordSuccess(host);
      assertEquals(5.0, budget.available(host), host);
    }
  }

  @Test
  void theFloorPaysForTenRetriesASecondWhateverTheBucketHolds() {
    RetryBudget budget = failing(RetryBudget.perHost(1, 1, 0), "h");
    long now = 5 * SECOND;
    // A second's worth at once, then the bucket's one token, then nothing.
    for (int i = 0; i < 10; i++) assertEquals(0, budget.acquireRetry("h", now, 0, 0), "retry " + i);
    assertEquals(0, budget.acquireRetry("h", now, 0, 0));
    assertEquals(0.0, budget.available("h"));
    assertEquals(-1, budget.acquireRetry("h", now, 0, 0));
    // Then one every 100 ms, for ever, with no success at all.
    for (int i = 1; i <= 50; i++) {
      long t = now + i * SECOND / 10;
      assertEquals(0, budget.acquireRetry("h", t, 0, 0), "at +" + i * 100 + " ms");
      assertEquals(-1, budget.acquireRetry("h", t, 0, 0), "a second one at +" + i * 100 + " ms");
    }
    // A retry due later may take a retry the floor has free by then.
    assertEquals(0, budget.acquireRetry("h", now + 5 * SECOND, SECOND / 10, 0));
    assertEquals(-1, budget.acquireRetry("h", now + 5 * SECOND, SECOND / 20, 0));
    assertEquals(0, budget.acquireRetry("h", now + 5 * SECOND, SECOND / 5, 0));
  }

  @Test
  void aRetryWhoseWaitTheServerSetWaitsForTheFloorInsteadOfBeingRefused() {
    RetryBudget budget = failing(RetryBudget.perHost(1, 1, 0).minRetriesPerSecond(2), "h");
    assertEquals(0, budget.acquireRetry("h", 0, 0, 0));
    assertEquals(0, budget.acquireRetry("h", 0, 0, 0));
    assertEquals(0, budget.acquireRetry("h", 0, 0, 0)); // the bucket's token
    assertEquals(-1, budget.acquireRetry("h", 0, SECOND / 10, 0), "no hint, no pacing");
    // Due in 100 ms; the floor's next retry is free at 500 ms: 400 ms more.
    assertEquals(4 * SECOND / 10, budget.acquireRetry("h", 0, SECOND / 10, 10 * SECOND));
    // And the one after at 1 s, if that is within the allowance.
    assertEquals(-1, budget.acquireRetry("h", 0, SECOND / 10, SECOND / 2));
    assertEquals(9 * SECOND / 10, budget.acquireRetry("h", 0, SECOND / 10, SECOND));
  }

  @Test
  void theFloorIsConfigurableAndCheckedNamingItsSetting() {
    assertEquals(10, RetryBudget.perHost().minRetriesPerSecond());
    assertEquals(0, RetryBudget.perHost().minRetriesPerSecond(0).minRetriesPerSecond());
    for (double bad : new double[] {-1, Double.NaN, 1e7, Double.POSITIVE_INFINITY}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> RetryBudget.perHost().minRetriesPerSecond(bad));
      assertTrue(e.getMessage().startsWith("minRetriesPerSecond must be in [0, 1000000]"));
    }
    assertThrows(IllegalStateException.class,
        () -> RetryBudget.unlimited().minRetriesPerSecond(1));
    // Half a retry a second: one every two seconds, never two at once.
    RetryBudget slow = failing(RetryBudget.perHost(1, 1, 0).minRetriesPerSecond(0.5), "h");
    assertEquals(0, slow.acquireRetry("h", 0, 0, 0));
    assertEquals(0, slow.acquireRetry("h", 0, 0, 0)); // the bucket
    assertEquals(-1, slow.acquireRetry("h", SECOND, 0, 0));
    assertEquals(0, slow.acquireRetry("h", 2 * SECOND, 0, 0));
  }
}
