package dev.stoic.jdk;

import dev.stoic.RetriesExhaustedException;
import dev.stoic.LivePolicy;
import dev.stoic.RetryPolicy;
import dev.stoic.RetryRoutes;
import dev.stoic.jdk.internal.ClientLifecycle;
import dev.stoic.jdk.internal.HttpResponseAccess;
import dev.stoic.jdk.internal.JdkCall;
import dev.stoic.spi.Adapters;
import dev.stoic.spi.CallRunner;
import dev.stoic.spi.Cancellation;
import dev.stoic.spi.Router;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An {@link HttpClient} that retries {@code send} and {@code sendAsync} as a {@link RetryPolicy}
 * decides, and forwards everything else to the client it wraps.
 *
 * <pre>{@code
 * HttpClient client = StoicHttpClient.wrap(HttpClient.newHttpClient(), policy);
 * HttpResponse<String> response = client.send(request, BodyHandlers.ofString());
 * CompletableFuture<HttpResponse<String>> future =
 *     client.sendAsync(request, BodyHandlers.ofString());
 * }</pre>
 *
 * <p>Each attempt is a call of the wrapped client, so its executor, version (HTTP/2 or
 * HTTP/1.1), redirects, cookies, proxy, authenticator and TLS settings all apply. The decision to
 * retry is made from the status and headers before the body is read: a retried response's body
 * never reaches the caller's {@link BodyHandler}, and the final response goes through the
 * caller's handler unchanged. The handler therefore runs at most once per call, for the final
 * response. That response's {@link HttpResponse#request()} is the request of the final attempt,
 * carrying any key Stoic added.
 *
 * <p><b>Retried bodies</b> are discarded with a bounded read, never drained: a body that is
 * complete within 64 KiB and 100 ms (and within the time the attempt has left) is read to its
 * end, so its connection is reused; a longer, slower, endless or stalled one is abandoned, which
 * closes its HTTP/1.1 connection, and one whose {@code Content-Length} is over the limit is not
 * read at all. A retried body therefore costs an attempt at most 100 ms and never outlives the
 * deadline or a cancel.
 *
 * <p><b>Request bodies</b> are re-sent by subscribing to the request's publisher again; see
 * {@link StoicBodyPublishers} for which publishers replay, and mark the others {@linkplain
 * StoicBodyPublishers#oneShot one-shot}. <b>Idempotency keys</b> the policy generates are added to
 * a copy of the request, the same key on every attempt. <b>Timeouts:</b> the request's own
 * {@linkplain HttpRequest#timeout() timeout} applies to each attempt, shortened when the policy's
 * attempt timeout or the time left before its deadline is shorter; the policy's deadline spans
 * all attempts and waits.
 *
 * <p><b>Waits and cancellation.</b> {@code send} waits on the calling thread; interrupting it ends
 * the wait at once, keeps the interrupt flag set and throws {@link InterruptedException}.
 * {@code sendAsync} holds no thread while a retry waits (the next attempt is scheduled), and
 * cancelling its future cancels the pending wait or the exchange in flight, and starts no further
 * attempt.
 *
 * <p><b>Hedging.</b> With a policy that hedges ({@link dev.stoic.Hedging}), a request safe to
 * send twice gets a second exchange when the first has not answered in time; the first answer
 * wins and the other exchange is cancelled, any response it produced closed. {@code send} then
 * waits on the calling thread while the exchanges run as {@code sendAsync}'s.
 *
 * <p><b>What the JDK client does on its own</b>, and so limits what Stoic controls:
 *
 * <ul>
 *   <li>It retries by itself, once, inside a Stoic attempt: after a {@code ConnectException} for
 *       any method (off with {@code -Djdk.httpclient.disableRetryConnect=true}), and for GET and
 *       HEAD when a pooled connection closes before the response starts. Stoic sees the outcome
 *       of the second try; neither its attempts nor its observers count the first.
 *   <li>A request's timeout bounds the wait for the response headers, not the reading of the
 *       body, so neither the attempt timeout nor the deadline cuts the final response's slow
 *       body short: the caller's handler reads it as it arrives.
 *   <li>A {@code 307}/{@code 308} redirect or an {@link java.net.Authenticator} challenge sends
 *       the body again within the attempt, one-shot or not.
 *   <li>{@code sendAsync} futures complete on {@code CompletableFuture}'s default executor, not
 *       on the client's: the common pool, or a new thread per completion where the common pool's
 *       parallelism is 1 (two CPUs or fewer). Stoic's own bookkeeping between attempts runs
 *       there; the client's executor still runs the exchanges and the body handlers.
 *   <li>Cancelling the JDK's own future cancels its exchange but may leave it failed with a
 *       {@code CancellationException} rather than {@linkplain CompletableFuture#isCancelled()
 *       cancelled}. The future {@code sendAsync} returns here is cancelled as expected.
 * </ul>
 *
 * <p><b>Per route and per client view.</b> Wrapped with {@link RetryRoutes}, each call follows
 * its route's policy. {@link #withPolicy} gives a view of this client, on the same delegate, whose
 * calls follow another policy: for uploads, say. Routes and views spend this client's one retry
 * budget, whichever policy decides.
 *
 * <pre>{@code
 * StoicHttpClient client = StoicHttpClient.wrap(HttpClient.newHttpClient(), routes);
 * HttpClient uploads = client.withPolicy(RetryPolicy.noRetries());
 * }</pre>
 *
 * <p><b>Never twice.</b> A {@code StoicHttpClient} that another one wraps (directly, as a view,
 * or below a decorator that passes body handlers on) sends each attempt of the outer client once,
 * so attempts never multiply: the outer client alone retries.
 *
 * <p>Thread-safe, like the client it wraps. WebSockets from {@link #newWebSocketBuilder()} are
 * the wrapped client's and are not retried.
 */
public final class StoicHttpClient extends HttpClient {

  private final HttpClient client;
  /** The client as each call sends through it. */
  private final JdkCall.Delegate delegate;
  private final Router routing;
  /** A view's runner: every call follows it. Null for a client that routes. */
  private final CallRunner view;

  private StoicHttpClient(HttpClient client, Router routing, CallRunner view) {
    this.client = client;
    this.delegate = new JdkCall.Delegate(client);
    this.routing = routing;
    this.view = view;
  }

  /**
   * Returns {@code client} with retries per {@code policy}.
   *
   * @throws NullPointerException if an argument is null
   */
  public static StoicHttpClient wrap(HttpClient client, RetryPolicy policy) {
    Objects.requireNonNull(client, "client == null");
    Objects.requireNonNull(policy, "policy == null");
    return new StoicHttpClient(client, Adapters.router(policy), null);
  }

  /**
   * Returns {@code client} with retries per the policy of each call's route.
   *
   * @throws NullPointerException if an argument is null
   */
  public static StoicHttpClient wrap(HttpClient client, RetryRoutes routes) {
    Objects.requireNonNull(client, "client == null");
    Objects.requireNonNull(routes, "routes == null");
    return new StoicHttpClient(client, Adapters.router(routes), null);
  }

  /**
   * Returns {@code client} following {@code live}: each call takes the routes current when it
   * starts and keeps them to its last attempt.
   *
   * @throws NullPointerException if an argument is null
   */
  public static StoicHttpClient wrap(HttpClient client, LivePolicy live) {
    Objects.requireNonNull(client, "client == null");
    Objects.requireNonNull(live, "live == null");
    return new StoicHttpClient(client, Adapters.router(live), null);
  }

  /**
   * Returns a view of this client whose every call follows {@code policy}: the same delegate,
   * connections and executor, and the same retry budget (this client's, not the policy's).
   * Cheap; keep the views you need rather than making one per call.
   *
   * <pre>{@code
   * HttpClient uploads = client.withPolicy(RetryPolicy.noRetries());
   * }</pre>
   *
   * @throws NullPointerException if {@code policy} is null
   */
  public StoicHttpClient withPolicy(RetryPolicy policy) {
    Objects.requireNonNull(policy, "policy == null");
    return new StoicHttpClient(client, routing, routing.runner(policy));
  }

  /**
   * The policy of this view, or of calls no route matches: the only one for a client wrapped with
   * one policy.
   */
  public RetryPolicy policy() {
    return view != null ? view.policy() : routing.routes().otherwise();
  }

  /** The routes of the client this was wrapped as; a view follows {@link #policy()} instead. */
  public RetryRoutes routes() {
    return routing.routes();
  }

  /** The wrapped client, for calls that must not be retried. */
  public HttpClient delegate() {
    return client;
  }

  /**
   * Sends {@code request}, retrying per the policy, and blocks until the final response.
   *
   * @return the final response, read by {@code handler}: the first one the policy does not retry,
   *     or the last one when retries run out
   * @throws IOException the last attempt's own failure, of its own type however many attempts ran
   *     ({@link RetriesExhaustedException#historyOf} lists them); a {@link
   *     RetriesExhaustedException} only for a final failure status when the policy asks for that
   * @throws InterruptedException if the calling thread is interrupted during an attempt or a
   *     wait; the interrupt flag stays set
   */
  @Override
  public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler)
      throws IOException, InterruptedException {
    if (JdkCall.isAttemptOfStoic(handler)) return client.send(request, handler); // outer retries
    JdkCall<T> call = newCall(request, handler, null);
    CallRunner runner = runner(request);
    // A hedged call's exchanges run as sendAsync's while this thread waits (the engine's part).
    return runner.send(call.describedFor(runner.policy()), call, call,
        HttpResponseAccess.instance(), Cancellation.NEVER);
  }

  /**
   * Sends {@code request} asynchronously, retrying per the policy without holding a thread
   * between attempts. Completes as {@link #send} returns or throws; cancelling the future stops
   * the call.
   */
  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, BodyHandler<T> handler) {
    return sendAsync(request, handler, null);
  }

  /**
   * As {@link #sendAsync(HttpRequest, BodyHandler)}, passing push promises to {@code
   * pushPromiseHandler}.
   *
   * <p>The handler is given to every attempt. A server pushes while the response is still on its
   * way, before Stoic can know whether that attempt will be retried, so a push that arrives during
   * a retried attempt reaches the handler too, and the same resource may be promised once per
   * attempt.
   */
  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, BodyHandler<T> handler, PushPromiseHandler<T> pushPromiseHandler) {
    if (JdkCall.isAttemptOfStoic(handler)) {
      return client.sendAsync(request, handler, pushPromiseHandler); // the outer client retries
    }
    JdkCall<T> call = newCall(request, handler, pushPromiseHandler);
    CallRunner runner = runner(request);
    return runner.sendAsync(call.describedFor(runner.policy()), call, HttpResponseAccess.instance());
  }

  private CallRunner runner(HttpRequest request) {
    if (view != null) return view;
    URI uri = request.uri();
    return routing.route(null, uri.getHost(), routing.routesByPath() ? uri.getRawPath() : null);
  }

  private <T> JdkCall<T> newCall(
      HttpRequest request, BodyHandler<T> handler, PushPromiseHandler<T> pushPromiseHandler) {
    Objects.requireNonNull(request, "request == null");
    Objects.requireNonNull(handler, "handler == null");
    return new JdkCall<>(delegate, request, handler, pushPromiseHandler);
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return client.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return client.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return client.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return client.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return client.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return client.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return client.authenticator();
  }

  @Override
  public Version version() {
    return client.version();
  }

  @Override
  public Optional<Executor> executor() {
    return client.executor();
  }

  /** The wrapped client's WebSocket builder; WebSocket connections are not retried. */
  @Override
  public WebSocket.Builder newWebSocketBuilder() {
    return client.newWebSocketBuilder();
  }

  /*
   * Java 21 added a lifecycle to HttpClient. Stoic compiles for Java 17, so the five methods
   * below carry no @Override: on Java 21 and later they override HttpClient's and forward to the
   * wrapped client; on 17 to 20 they behave as Java 21's base class does for a client without a
   * lifecycle. Known gap: shutting down does not cancel Stoic's pending waits. Each attempt that
   * falls due afterwards is refused by the wrapped client with an IOException ("closed"), which
   * the policy treats as any failure after sending: the call ends when its attempts or deadline
   * run out, or at once for a request that is not safe to repeat.
   */

  /** Java 21+: shuts the wrapped client down. On Java 17 to 20, does nothing. */
  public void shutdown() {
    ClientLifecycle.shutdown(client);
  }

  /** Java 21+: shuts the wrapped client down at once. On Java 17 to 20, does nothing. */
  public void shutdownNow() {
    ClientLifecycle.shutdownNow(client);
  }

  /**
   * Java 21+: waits for the wrapped client to terminate. On Java 17 to 20, returns true at once.
   *
   * @throws NullPointerException if {@code duration} is null
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitTermination(Duration duration) throws InterruptedException {
    Objects.requireNonNull(duration, "duration == null");
    return ClientLifecycle.awaitTermination(client, duration);
  }

  /** Java 21+: whether the wrapped client has terminated. On Java 17 to 20, false. */
  public boolean isTerminated() {
    return ClientLifecycle.isTerminated(client);
  }

  /** Java 21+: closes the wrapped client. On Java 17 to 20, does nothing. */
  public void close() {
    ClientLifecycle.close(client);
  }

  @Override
  public String toString() {
    return "StoicHttpClient{" + client + ", " + (view != null ? policy() : routing.routes()) + "}";
  }
}
