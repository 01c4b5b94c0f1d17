package dev.stoic.spi;

import dev.stoic.RetryBudget;
import dev.stoic.RetryPolicy;
import dev.stoic.RetryRoutes;

/**
 * A client's choice of {@link CallRunner} for each call: by route, or by a policy the caller
 * names for one request (a tag) or one client view. Whatever policy decides, the client's one
 * budget is spent and the client's observers and listeners see the call: a route's or a tag's
 * policy changes the rules, not who watches.
 *
 * <pre>{@code
 * Router router = Adapters.router(routes);
 * CallRunner runner = router.route(tagged, url.host(), router.routesByPath() ? url.encodedPath() : null);
 * }</pre>
 *
 * <p>Thread-safe; choosing a runner allocates nothing for the routes' policies and for the few
 * others a program keeps.
 */
public interface Router {
  /** The routes; a client built with one policy has a table of it alone. */
  RetryRoutes routes();

  /** The budget every call of the client spends. */
  RetryBudget budget();

  /** True if a route matches by path: only then must the adapter find the request's path. */
  boolean routesByPath();

  /**
   * The runner of a call: {@code chosen}'s if the caller chose a policy for the request, else the
   * first route's matching {@code host} and {@code rawPath}, else the otherwise policy's.
   *
   * @param chosen the policy tagged on the request or set on a client view, or null
   * @param rawPath the request's path as sent (percent-encoded); null or "" count as "/". Only
   *     read when {@link #routesByPath()}
   */
  CallRunner route(RetryPolicy chosen, String host, String rawPath);

  /** The runner for {@code policy}, with the client's budget, observers and listeners. */
  CallRunner runner(RetryPolicy policy);
}
