package dev.stoic.apache;

import dev.stoic.LivePolicy;
import dev.stoic.RetryPolicy;
import dev.stoic.RetryRoutes;
import dev.stoic.apache.internal.Contexts;
import dev.stoic.apache.internal.Hedging;
import dev.stoic.apache.internal.StoicAsyncExec;
import dev.stoic.apache.internal.StoicClassicClient;
import dev.stoic.apache.internal.StoicExec;
import dev.stoic.spi.Adapters;
import dev.stoic.spi.Router;
import java.util.Objects;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Retries for Apache HttpClient 5, as a {@link RetryPolicy} says: one call on a client builder,
 * classic or async, or a wrapper around a client already built.
 *
 * <pre>{@code
 * CloseableHttpClient client = StoicApache.install(HttpClients.custom(), policy).build();
 * CloseableHttpAsyncClient async = StoicApache.install(HttpAsyncClients.custom(), policy).build();
 * CloseableHttpClient wrapped = StoicApache.wrap(existingClient, policy);
 * }</pre>
 *
 * <p>{@code install} adds Stoic as the first element of the exec chain, outside HC5's REDIRECT and
 * RETRY elements: an attempt is a whole exchange, redirects followed, so a retry starts again
 * from the caller's URL and the policy's deadline bounds the call with its redirects. It also
 * turns HC5's own automatic retries off for that builder (for good: HC5 has no way back), so
 * they never multiply Stoic's attempts. An exec chain runs one exchange at a time, so a hedging
 * policy is refused. Thread-safe.
 */
public final class StoicApache {
  /** The name of Stoic's element in an HC5 exec chain. */
  public static final String CHAIN_ELEMENT = "stoic";

  private StoicApache() {}

  /**
   * Adds Stoic first in {@code builder}'s exec chain and turns HC5's automatic retries off.
   *
   * @return {@code builder}
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code policy} hedges
   */
  public static HttpClientBuilder install(HttpClientBuilder builder, RetryPolicy policy) {
    return install(builder, routes(policy));
  }

  /** As {@link #install(HttpClientBuilder, RetryPolicy)}, each call following its route. */
  public static HttpClientBuilder install(HttpClientBuilder builder, RetryRoutes routes) {
    Objects.requireNonNull(builder, "builder == null");
    return builder.disableAutomaticRetries()
        .addExecInterceptorFirst(CHAIN_ELEMENT, new StoicExec(router(routes, "StoicApache.install")));
  }

  /**
   * Adds Stoic first in an async {@code builder}'s exec chain and turns HC5's automatic retries
   * off. Waits between attempts hold no thread; cancelling a call's future cancels its wait or
   * the exchange in flight.
   *
   * @return {@code builder}
   * @throws IllegalArgumentException if {@code policy} hedges
   */
  public static HttpAsyncClientBuilder install(HttpAsyncClientBuilder builder, RetryPolicy policy) {
    return install(builder, routes(policy));
  }

  /** As {@link #install(HttpAsyncClientBuilder, RetryPolicy)}, each call following its route. */
  public static HttpAsyncClientBuilder install(HttpAsyncClientBuilder builder, RetryRoutes routes) {
    Objects.requireNonNull(builder, "builder == null");
    return builder.disableAutomaticRetries().addExecInterceptorFirst(CHAIN_ELEMENT,
        new StoicAsyncExec(router(routes, "StoicApache.install")));
  }

  /**
   * A client that runs each call of {@code client} under {@code policy}, an attempt being one
   * {@code execute} of {@code client}. A client built with HC5's automatic retries (its default)
   * re-sends within each attempt; build it with {@code disableAutomaticRetries()}. A client with
   * Stoic installed inside sends each attempt once: layers never multiply.
   *
   * @throws IllegalArgumentException if {@code policy} hedges
   */
  public static CloseableHttpClient wrap(CloseableHttpClient client, RetryPolicy policy) {
    return wrap(client, routes(policy));
  }

  /** As {@link #wrap(CloseableHttpClient, RetryPolicy)}, each call following its route. */
  public static CloseableHttpClient wrap(CloseableHttpClient client, RetryRoutes routes) {
    Objects.requireNonNull(client, "client == null");
    return new StoicClassicClient(client, router(routes, "StoicApache.wrap"));
  }

  /**
   * Makes the calls run with {@code context} follow {@code policy} instead of their route's,
   * spending the client's budget and seen by its listeners and observers.
   *
   * <pre>{@code
   * HttpClientContext context = HttpClientContext.create();
   * StoicApache.usePolicy(context, RetryPolicy.builder().maxAttempts(5).build());
   * client.execute(new HttpGet(url), context, response -> ...);
   * }</pre>
   *
   * @return {@code context}
   */
  public static <C extends HttpContext> C usePolicy(C context, RetryPolicy policy) {
    Objects.requireNonNull(context, "context == null");
    context.setAttribute(Contexts.POLICY, Objects.requireNonNull(policy, "policy == null"));
    return context;
  }

  /** The engine's router for {@code routes}, once no policy of theirs hedges. */
  /**
   * As {@link #install(HttpClientBuilder, RetryPolicy)}, each call following {@code live}'s routes
   * as they are when it starts. A hedging policy set later runs one exchange at a time.
   *
   * @throws IllegalArgumentException if a policy of the current routes hedges
   */
  public static HttpClientBuilder install(HttpClientBuilder builder, LivePolicy live) {
    Objects.requireNonNull(builder, "builder == null");
    return builder.disableAutomaticRetries()
        .addExecInterceptorFirst(CHAIN_ELEMENT, new StoicExec(router(live, "StoicApache.install")));
  }

  /**
   * As {@link #install(HttpAsyncClientBuilder, RetryPolicy)}, each call following {@code live}'s
   * routes as they are when it starts. A call whose policy hedges, set later, fails at once.
   *
   * @throws IllegalArgumentException if a policy of the current routes hedges
   */
  public static HttpAsyncClientBuilder install(HttpAsyncClientBuilder builder, LivePolicy live) {
    Objects.requireNonNull(builder, "builder == null");
    return builder.disableAutomaticRetries().addExecInterceptorFirst(CHAIN_ELEMENT,
        new StoicAsyncExec(router(live, "StoicApache.install")));
  }

  /** As {@link #wrap(CloseableHttpClient, RetryPolicy)}, each call following {@code live}. */
  public static CloseableHttpClient wrap(CloseableHttpClient client, LivePolicy live) {
    Objects.requireNonNull(client, "client == null");
    return new StoicClassicClient(client, router(live, "StoicApache.wrap"));
  }

  private static Router router(LivePolicy live, String where) {
    Hedging.refuse(Objects.requireNonNull(live, "live == null").routes(), where);
    return Adapters.router(live);
  }

  private static Router router(RetryRoutes routes, String where) {
    Hedging.refuse(Objects.requireNonNull(routes, "routes == null"), where);
    return Adapters.router(routes);
  }

  private static RetryRoutes routes(RetryPolicy policy) {
    Objects.requireNonNull(policy, "policy == null");
    return RetryRoutes.builder().otherwise(policy).build();
  }
}
