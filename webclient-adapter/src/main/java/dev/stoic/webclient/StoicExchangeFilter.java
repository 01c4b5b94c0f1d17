package dev.stoic.webclient;

import dev.stoic.LivePolicy;
import dev.stoic.RetryPolicy;
import dev.stoic.RetryRoutes;
import dev.stoic.spi.Adapters;
import dev.stoic.spi.AttemptMark;
import dev.stoic.spi.CallRunner;
import dev.stoic.spi.Router;
import java.net.URI;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

/**
 * Retries {@link org.springframework.web.reactive.function.client.WebClient} calls as a {@link
 * RetryPolicy} says. Each attempt is a new exchange, waits are scheduled on the policy's clock (no
 * thread waits, nothing blocks), and a response that is retried has its body released before the
 * next attempt. The caller gets the last response or the last error. Disposing the subscription
 * stops a wait or the exchange in flight.
 *
 * <pre>{@code
 * WebClient client = WebClient.builder()
 *     .filter(StoicExchangeFilter.create(RetryPolicy.defaults()))
 *     .build();
 * String body = client.get().uri(url).retrieve().bodyToMono(String.class).block();
 * }</pre>
 *
 * <p>A request chooses its own policy with {@link #policy(RetryPolicy)} and marks a body that
 * cannot be sent twice with {@link #oneShotBody()}, both request attributes. Thread-safe; one
 * filter serves every call of its client and spends one retry budget.
 */
public final class StoicExchangeFilter implements ExchangeFilterFunction {
  /** The request attribute naming the {@link RetryPolicy} for that request alone. */
  public static final String POLICY_ATTRIBUTE = "dev.stoic.webclient.policy";

  /**
   * The request attribute that marks a body that cannot be written twice (a hot {@code Flux}, a
   * one-shot publisher): with {@code true}, the request is never sent again once its body started
   * to go out.
   */
  public static final String ONE_SHOT_BODY_ATTRIBUTE = "dev.stoic.webclient.oneShotBody";

  /** Carries {@link AttemptMark#OUTER} on each attempt, so a nested Stoic filter sends once. */
  static final String MARK_ATTRIBUTE = AttemptMark.class.getName();

  private final Router router;

  private StoicExchangeFilter(Router router) {
    this.router = router;
  }

  /** A filter whose calls all follow {@code policy}. */
  public static StoicExchangeFilter create(RetryPolicy policy) {
    return new StoicExchangeFilter(Adapters.router(policy));
  }

  /** A filter whose calls follow the first of {@code routes} matching their host and path. */
  public static StoicExchangeFilter create(RetryRoutes routes) {
    return new StoicExchangeFilter(Adapters.router(routes));
  }

  /** A filter whose calls follow {@code live}'s routes as they are when each call starts. */
  public static StoicExchangeFilter create(LivePolicy live) {
    return new StoicExchangeFilter(Adapters.router(live));
  }

  /** The routes this filter follows; a filter made with one policy has a table of it alone. */
  public RetryRoutes routes() {
    return router.routes();
  }

  /**
   * Sets {@code policy} for one request: {@code client.get().uri(url).attributes(policy(p))}.
   * The client's budget is still spent and its listeners still hear of the call.
   */
  public static Consumer<Map<String, Object>> policy(RetryPolicy policy) {
    java.util.Objects.requireNonNull(policy, "policy == null");
    return attributes -> attributes.put(POLICY_ATTRIBUTE, policy);
  }

  /**
   * Marks the request's body as one-shot: {@code client.post().uri(url).attributes(oneShotBody())
   * .body(hotFlux, Item.class)}. It is then sent at most once; a retry happens only when the
   * body never started to go out (the connection failed).
   */
  public static Consumer<Map<String, Object>> oneShotBody() {
    return attributes -> attributes.put(ONE_SHOT_BODY_ATTRIBUTE, Boolean.TRUE);
  }

  @Override
  public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
    if (AttemptMark.isOn(request.attribute(MARK_ATTRIBUTE).orElse(null))) {
      return next.exchange(request); // an outer Stoic layer runs the retries
    }
    return Mono.deferContextual(context -> {
      RetryPolicy chosen = chosenPolicy(request);
      URI url = request.url();
      CallRunner runner = router.route(chosen, url.getHost(),
          router.routesByPath() ? url.getRawPath() : null);
      WebClientCall call = new WebClientCall(request, next, context, runner.policy().clock());
      return Mono.fromFuture(() -> runner.sendAsync(
          call.describedFor(runner.policy()), call, ClientResponses.INSTANCE), false);
    }).onErrorMap(TransportFailure.class, TransportFailure::reported);
  }

  private static RetryPolicy chosenPolicy(ClientRequest request) {
    Object chosen = request.attribute(POLICY_ATTRIBUTE).orElse(null);
    if (chosen == null || chosen instanceof RetryPolicy) return (RetryPolicy) chosen;
    throw new IllegalArgumentException("request attribute " + POLICY_ATTRIBUTE + " holds a "
        + chosen.getClass().getName() + ", not a dev.stoic.RetryPolicy");
  }

  @Override
  public String toString() {
    return "StoicExchangeFilter" + router.routes();
  }
}
