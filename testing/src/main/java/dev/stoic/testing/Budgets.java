package dev.stoic.testing;

import dev.stoic.RetryBudget;
import dev.stoic.internal.BudgetAccounts;

/**
 * A retry budget's accounting for tests, which users cannot call: to set a budget up as an outage
 * would have left it.
 *
 * <pre>{@code
 * Budgets.failedRetries(budget, "api.example.com", 100);
 * }</pre>
 */
public final class Budgets {
  private static final BudgetAccounts<RetryBudget> ACCOUNTS = BudgetAccounts.get();

  private Budgets() {}

  /** Records {@code count} retries to {@code host} that failed, as an outage leaves them. */
  public static void failedRetries(RetryBudget budget, String host, int count) {
    for (int i = 0; i < count; i++) ACCOUNTS.recordRetry(budget, host, false);
  }

  /** Asks {@code budget} for a retry to {@code host} at once: see {@code RetryBudget}. */
  public static long acquireRetry(RetryBudget budget, String host) {
    return ACCOUNTS.acquireRetry(budget, host, 0, 0, 0);
  }
}
