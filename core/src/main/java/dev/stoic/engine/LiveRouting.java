package dev.stoic.engine;

import dev.stoic.RetryBudget;
import dev.stoic.RetryPolicy;
import dev.stoic.RetryRoutes;
import dev.stoic.internal.LiveState;
import dev.stoic.spi.CallRunner;
import dev.stoic.spi.Router;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The router of a client built with a {@code LivePolicy}: each call reads the live policy's state
 * once, when it is routed, and its executor holds that state's policy for all its attempts, so a
 * call never mixes two policies. A swap builds a new {@link Routing} the first time a call sees it,
 * carrying the state the new settings can use (docs/SEMANTICS.md, "Live policies"): the budget
 * when its settings are unchanged, hedge latencies for equal hedging settings. Throttles and
 * breakers are the policies' own objects and keep their state when the new policy holds them.
 *
 * <p>With a shadow on, a call's executor is its live policy's paired with the candidate policy the
 * candidate routes choose for the same request; pairs are made once and reused.
 *
 * <p>The engine's {@link Router}; not API itself. Thread-safe.
 */
final class LiveRouting implements Router {
  private final Object live;
  private volatile Current current;

  LiveRouting(Object live) {
    this.live = live;
    LiveState state = LiveState.of(live);
    RetryRoutes routes = (RetryRoutes) state.routes;
    this.current = new Current(state, new Routing(routes, routes.retryBudget(), Map.of()));
  }

  /** One state of the live policy and the routing built for it. */
  private static final class Current {
    final LiveState state;
    final Routing routing;
    /** The candidate's routing, used only to choose its policy for a request; null without. */
    final Routing candidate;
    final ConcurrentHashMap<RetryPolicy, ConcurrentHashMap<RetryPolicy, RetryExecutor>> pairs;

    Current(LiveState state, Routing routing) {
      this.state = state;
      this.routing = routing;
      this.candidate = state.candidate == null ? null : new Routing((RetryRoutes) state.candidate);
      this.pairs = state.candidate == null ? null : new ConcurrentHashMap<>();
    }

    RetryExecutor paired(RetryExecutor live, RetryPolicy candidatePolicy) {
      return pairs.computeIfAbsent(live.policy, p -> new ConcurrentHashMap<>())
          .computeIfAbsent(candidatePolicy, c -> new RetryExecutor(live.policy, live.budget,
              routing.routes().otherwise(), live.hedgeDelays, new Shadow(c, state.tally)));
    }
  }

  private Current current() {
    LiveState state = LiveState.of(live);
    Current c = current;
    return c.state == state ? c : refresh(state);
  }

  private synchronized Current refresh(LiveState state) {
    Current before = current;
    if (before.state == state) return before;
    RetryRoutes routes = (RetryRoutes) state.routes;
    Routing routing = before.routing;
    if (routes != routing.routes()) {
      RetryBudget kept = routing.budget();
      RetryBudget budget = routes.retryBudget();
      // A budget with the same settings (its toString names them all) keeps its hosts' state.
      if (budget != kept && budget.toString().equals(kept.toString())) budget = kept;
      routing = new Routing(routes, budget, routing.hedgeDelays());
    }
    Current made = new Current(state, routing);
    current = made;
    return made;
  }

  @Override
  public RetryRoutes routes() {
    return current().routing.routes();
  }

  @Override
  public RetryBudget budget() {
    return current().routing.budget();
  }

  /**
   * Always true: a swap may bring routes by path between an adapter's asking and its routing, so
   * the adapter always passes the path.
   */
  @Override
  public boolean routesByPath() {
    return true;
  }

  @Override
  public CallRunner route(RetryPolicy chosen, String host, String rawPath) {
    Current c = current();
    CallRunner runner = c.routing.route(chosen, host, rawPath);
    if (c.candidate == null || chosen != null) return runner;
    RetryPolicy candidate = c.candidate.route(null, host, rawPath).policy();
    return c.paired((RetryExecutor) runner, candidate);
  }

  @Override
  public CallRunner runner(RetryPolicy policy) {
    return current().routing.runner(policy);
  }
}
