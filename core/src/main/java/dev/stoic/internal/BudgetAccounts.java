package dev.stoic.internal;

/**
 * The engine's way to a retry budget's accounting, which users cannot reach: spending and
 * crediting a budget that a whole client shares is the engine's alone. {@code RetryBudget}
 * registers its accounting here when its class initializes, which is before any budget exists.
 *
 * <p>Not API: in a package core's module descriptor does not export.
 *
 * @param <B> the budget type ({@code dev.stoic.RetryBudget}, which this package cannot name)
 */
public interface BudgetAccounts<B> {
  /** See {@code RetryBudget}: the wait beyond {@code waitNanos}, or -1 when the retry is refused. */
  long acquireRetry(B budget, String host, long nowNanos, long waitNanos, long maxExtraNanos);

  /** Credits a successful response from {@code host}. */
  void recordSuccess(B budget, String host);

  /** Records how a retry to {@code host} that the budget paid for ended. */
  void recordRetry(B budget, String host, boolean succeeded);

  /** The registered accounting, initializing {@code RetryBudget} first if no budget exists yet. */
  @SuppressWarnings("unchecked")
  static <B> BudgetAccounts<B> get() {
    if (Registered.accounts == null) {
      try {
        // By name: this package sits below dev.stoic and may not import it.
        Class.forName("dev.stoic.RetryBudget", true, BudgetAccounts.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("dev.stoic.RetryBudget is missing", e);
      }
    }
    return (BudgetAccounts<B>) Registered.accounts;
  }

  /** Called once, by {@code RetryBudget}'s class initialization. */
  static void register(BudgetAccounts<?> accounts) {
    Registered.accounts = accounts;
  }

  /** Holds the registration. */
  final class Registered {
    static volatile BudgetAccounts<?> accounts;

    private Registered() {}
  }
}
