package dev.stoic.apache.internal;

import dev.stoic.RetryPolicy;
import dev.stoic.RetryRoutes;

/**
 * Refuses hedging policies. A handler in HC5's exec chain has one execution runtime per call (one
 * connection at a time), and the wrapped classic client blocks its caller's thread per exchange:
 * neither can run a hedge beside the attempt in flight, so a hedging policy is refused rather
 * than silently run without its hedges.
 */
public final class Hedging {
  private Hedging() {}

  /** @throws IllegalArgumentException if a policy of {@code routes} hedges */
  public static void refuse(RetryRoutes routes, String where) {
    for (RetryRoutes.Route route : routes.routes()) {
      refuse(route.policy(), "the policy of route " + route.name(), where);
    }
    refuse(routes.otherwise(), "the otherwise policy", where);
  }

  /** @throws IllegalArgumentException if {@code policy} hedges */
  static void refuse(RetryPolicy policy, String which, String where) {
    if (policy.hedging() == null) return;
    throw new IllegalArgumentException(where + " cannot hedge (" + which + " has hedging "
        + policy.hedging() + "): Apache HttpClient runs one exchange of a call at a time. Use"
        + " StoicCallFactory (OkHttp) or StoicHttpClient (java.net.http) to hedge, or remove"
        + " hedging from the policy");
  }
}
