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
    RetryBudget smallest = RetryBudget.perHost(1, 0.001, 0);
    for (int i = 0; i < 1000; i++) assertTrue(smallest.tryAcquireRetry("h"), "retry " + i);
    assertFalse(smallest.tryAcquireRetry("h"), "a thousand retries of 0.001 spend a capacity of 1");
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
    RetryBudget never = RetryBudget.perHost(1, 1, 0);
    assertTrue(never.tryAcquireRetry("h"));
    never.recordSuccess("h");
    assertFalse(never.tryAcquireRetry("h"), "a refill of 0 is a choice, and still allowed");
    RetryBudget smallest = RetryBudget.perHost(1, 1, 0.001);
    assertTrue(smallest.tryAcquireRetry("h"));
    for (int i = 0; i < 1000; i++) smallest.recordSuccess("h");
    assertEquals(1.0, smallest.available("h"));
  }
}
