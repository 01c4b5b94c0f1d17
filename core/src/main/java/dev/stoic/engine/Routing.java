package dev.stoic.engine;

import dev.stoic.Hedging;
import dev.stoic.RetryBudget;
import dev.stoic.RetryPolicy;
import dev.stoic.RetryRoutes;
import dev.stoic.spi.CallRunner;
import dev.stoic.spi.Router;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An adapter's choice of executor for each call: by route, or by a policy the caller names for
 * one request (an OkHttp tag) or one client view (the JDK's {@code withPolicy}). Every executor it
 * hands out spends one budget, the routes' ({@link RetryRoutes#retryBudget()}), so neither a
 * route, a tag nor a view escapes the client's load limit; and each tells the client's listeners
 * and observers (the otherwise policy's) beside its policy's own, so none escapes who watches.
 *
 * <p>Executors are made once per policy and reused, so choosing costs a few comparisons and no
 * allocation: the routes' executors when the adapter is built, and an executor for any other
 * policy the first time it is seen, for up to {@value #MAX_REMEMBERED} such policies. Beyond that
 * an executor is made per call, which costs two small objects: a program that builds a policy
 * per request pays that.
 *
 * <p>The engine's {@link Router}; not API itself. Thread-safe.
 */
public final class Routing implements Router {
  /** Enough for the handful of derived policies a program keeps; bounds a policy-per-request leak. */
  static final int MAX_REMEMBERED = 64;

  private final RetryRoutes routes;
  private final RetryBudget budget;
  private final RetryRoutes.Route[] table;
  private final RetryExecutor[] executors;
  private final RetryExecutor otherwise;
  /** The client's own policy, whose listeners and observers hear of tagged and views' calls. */
  private final RetryPolicy client;
  private final boolean byPath;
  /** How many executors {@link #remembered} may hold: the routes' and MAX_REMEMBERED more. */
  private final int limit;
  /** Hedge latencies carried over a live policy's swap, by hedging settings. */
  private final Map<Hedging, HedgeDelays> carried;
  private final ConcurrentHashMap<RetryPolicy, RetryExecutor> remembered =
      new ConcurrentHashMap<>();

  public Routing(RetryRoutes routes) {
    this(routes, routes.retryBudget(), Map.of());
  }

  /**
   * Routing for {@code routes} spending {@code budget}, its hedged policies following the latencies
   * of {@code carried} where their hedging settings are equal: how a live policy's swap keeps state.
   */
  Routing(RetryRoutes routes, RetryBudget budget, Map<Hedging, HedgeDelays> carried) {
    this.routes = routes;
    this.budget = budget;
    this.carried = carried;
    List<RetryRoutes.Route> list = routes.routes();
    this.table = list.toArray(new RetryRoutes.Route[0]);
    this.executors = new RetryExecutor[table.length];
    this.client = routes.otherwise();
    this.otherwise = make(routes.otherwise());
    remembered.put(routes.otherwise(), otherwise);
    for (int i = 0; i < table.length; i++) {
      // One executor per distinct policy: two routes with one policy share it.
      executors[i] = remembered.computeIfAbsent(table[i].policy(), this::make);
    }
    this.byPath = routes.routesByPath();
    this.limit = remembered.size() + MAX_REMEMBERED;
  }

  private RetryExecutor make(RetryPolicy policy) {
    Hedging hedging = policy.hedging();
    return new RetryExecutor(policy, budget, client,
        hedging == null ? null : carried.get(hedging), null);
  }

  /** The hedge latencies of this routing's executors, by hedging settings: for the next swap's. */
  Map<Hedging, HedgeDelays> hedgeDelays() {
    Map<Hedging, HedgeDelays> out = new HashMap<>();
    for (RetryExecutor e : remembered.values()) {
      if (e.hedgeDelays != null) out.put(e.policy.hedging(), e.hedgeDelays);
    }
    return out;
  }

  /** Routing for one policy and its own budget: what an adapter built with a policy uses. */
  public static Routing of(RetryPolicy policy) {
    return new Routing(RetryRoutes.builder().otherwise(policy).build());
  }

  @Override
  public RetryRoutes routes() {
    return routes;
  }

  /** The budget every call spends. */
  @Override
  public RetryBudget budget() {
    return budget;
  }

  /** True if a route matches by path: only then must the adapter find the request's path. */
  @Override
  public boolean routesByPath() {
    return byPath;
  }

  @Override
  public CallRunner route(RetryPolicy chosen, String host, String rawPath) {
    if (chosen != null) return executor(chosen);
    return route(host, !byPath ? null : rawPath == null || rawPath.isEmpty() ? "/" : rawPath);
  }

  @Override
  public CallRunner runner(RetryPolicy policy) {
    return executor(policy);
  }

  /** The executor of the first route matching {@code host} and {@code path}, or otherwise's. */
  public RetryExecutor route(String host, String path) {
    RetryRoutes.Route[] t = table;
    for (int i = 0; i < t.length; i++) {
      if (t[i].matches(host, path)) return executors[i];
    }
    return otherwise;
  }

  /** The executor for {@code policy}, which the caller chose for a request or a client view. */
  public RetryExecutor executor(RetryPolicy policy) {
    RetryExecutor known = remembered.get(policy);
    if (known != null) return known;
    RetryExecutor made = make(policy);
    if (remembered.size() >= limit) return made;
    RetryExecutor raced = remembered.putIfAbsent(policy, made);
    return raced != null ? raced : made;
  }
}
