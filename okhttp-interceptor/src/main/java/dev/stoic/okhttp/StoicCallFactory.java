package dev.stoic.okhttp;

import dev.stoic.LivePolicy;
import dev.stoic.RetryPolicy;
import dev.stoic.RetryRoutes;
import dev.stoic.okhttp.internal.RetryingCall;
import dev.stoic.okhttp.internal.Translation;
import dev.stoic.spi.Adapters;
import dev.stoic.spi.Router;
import java.util.List;
import java.util.Objects;
import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * A {@link Call.Factory} whose calls retry as a {@link RetryPolicy} says, without holding a thread
 * while they wait.
 *
 * <pre>{@code
 * Call.Factory calls = StoicCallFactory.wrap(client, policy);
 * Retrofit retrofit = new Retrofit.Builder()
 *     .baseUrl("https://api.example.com/")
 *     .callFactory(calls)
 *     .build();
 * }</pre>
 *
 * <p>Each attempt is a fresh call of the wrapped client, so the client's interceptors, event
 * listeners, connection pool and dispatcher limits apply per attempt. {@link Call#enqueue} sends
 * each attempt through the client's dispatcher and schedules the next one on the policy's clock:
 * no dispatcher thread sleeps, so calls waiting to retry never stall other calls to their host.
 * The callback fires exactly once, on the dispatcher's executor, with the last response or an
 * {@link java.io.IOException} ({@code "Canceled"} after {@link Call#cancel()}). {@link
 * Call#execute()} waits on the calling thread. The semantics are otherwise those of {@link
 * StoicInterceptor}, including its notes on what OkHttp lets Stoic tell apart.
 *
 * <p>A call's {@link Call#timeout()} starts at the client's call timeout and bounds the whole
 * call, all attempts and waits; when it fires the caller gets OkHttp's {@code
 * InterruptedIOException("timeout")}. A per-attempt timeout from the policy becomes each
 * attempt's call timeout; an attempt that runs out of it fails as a {@link
 * java.net.SocketTimeoutException}, retried when safe. Cancelling an attempt's own call (for
 * example with {@code Dispatcher.cancelAll()}) cancels the whole call.
 *
 * <p><b>Per route and per request</b> as for {@link StoicInterceptor}: built with {@link
 * RetryRoutes}, each call follows its route's policy; a request tagged {@code
 * tag(RetryPolicy.class, policy)} follows that policy. One budget serves them all.
 *
 * <p><b>Hedging.</b> With a policy that hedges ({@link dev.stoic.Hedging}), a request safe to
 * send twice gets a second attempt, a fresh call of the client, when the first has not answered
 * in time; the first answer wins and the other call is cancelled, its response closed. {@link
 * Call#execute()} then waits on the calling thread while the attempts run on the dispatcher's
 * executor. A hedge, and every attempt of a hedged {@code execute()}, starts at once there, as a
 * synchronous call does, instead of waiting in the dispatcher's queue beyond {@code
 * maxRequestsPerHost} behind the calls it should outrun; the retry budget bounds the hedges.
 *
 * <p>A {@link StoicInterceptor} on the wrapped client passes through: it sends each attempt of
 * this factory's calls once, so attempts never multiply. This factory alone retries.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class StoicCallFactory implements Call.Factory {
  private final OkHttpClient client;
  /**
   * The same client with OkHttp's own recovery off, for requests that are not safe to repeat.
   * With retryOnConnectionFailure on (OkHttp's default), OkHttp re-sends a request on a fresh
   * connection when a reused one drops, even after the server processed it: a keyless POST would
   * run twice with no attempt of Stoic's to show for it. It shares the client's pool and
   * dispatcher. Stoic still retries connect failures of such requests itself: nothing was sent.
   * Unlike the interceptor on OkHttp 4.12, the body is not marked one-shot, so OkHttp still
   * follows 307/308 redirects of such requests.
   */
  private final OkHttpClient unsafeRequestClient;
  private final Router routing;
  /** True if the client has a Stoic interceptor, which must be told to pass through. */
  private final boolean markAttempts;

  private StoicCallFactory(OkHttpClient client, Router routing) {
    this.client = client;
    this.unsafeRequestClient = client.retryOnConnectionFailure()
        ? client.newBuilder().retryOnConnectionFailure(false).build()
        : client;
    this.routing = routing;
    this.markAttempts = hasStoicInterceptor(client.interceptors());
  }

  /**
   * Returns a factory whose calls run on {@code client} and retry as {@code policy} says.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code client} has a {@link StoicInterceptor} among its
   *     network interceptors, where it cannot work
   * @throws IllegalStateException if the OkHttp on the class path is older than 4.12
   */
  public static StoicCallFactory wrap(OkHttpClient client, RetryPolicy policy) {
    Objects.requireNonNull(policy, "policy == null");
    return new StoicCallFactory(check(client), Adapters.router(policy));
  }

  /**
   * Returns a factory whose calls run on {@code client} and retry as their route's policy says.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code client} has a {@link StoicInterceptor} among its
   *     network interceptors, where it cannot work
   * @throws IllegalStateException if the OkHttp on the class path is older than 4.12
   */
  public static StoicCallFactory wrap(OkHttpClient client, RetryRoutes routes) {
    Objects.requireNonNull(routes, "routes == null");
    return new StoicCallFactory(check(client), Adapters.router(routes));
  }

  /**
   * Returns a factory whose calls run on {@code client} and follow {@code live}: each call takes
   * the routes current when it starts and keeps them to its last attempt.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException as {@link #wrap(OkHttpClient, RetryPolicy)}
   */
  public static StoicCallFactory wrap(OkHttpClient client, LivePolicy live) {
    Objects.requireNonNull(live, "live == null");
    return new StoicCallFactory(check(client), Adapters.router(live));
  }

  private static OkHttpClient check(OkHttpClient client) {
    Objects.requireNonNull(client, "client == null");
    OkHttpVersionCheck.requireSupported();
    if (hasStoicInterceptor(client.networkInterceptors())) {
      throw new IllegalArgumentException("the client has a StoicInterceptor as a network"
          + " interceptor, where it fails every call: add it with addInterceptor(), or remove it");
    }
    return client;
  }

  private static boolean hasStoicInterceptor(List<Interceptor> interceptors) {
    for (Interceptor interceptor : interceptors) {
      if (interceptor instanceof StoicInterceptor) return true;
    }
    return false;
  }

  /** Returns a call that is not yet executed; {@code request} is sent once per attempt. */
  @Override
  public Call newCall(Request request) {
    Objects.requireNonNull(request, "request == null");
    return new RetryingCall(client, unsafeRequestClient, Translation.runner(routing, request),
        request, markAttempts);
  }

  /** The client every attempt runs on. */
  public OkHttpClient client() {
    return client;
  }

  /** The policy of calls no route matches: the only one, for a factory made with one. */
  public RetryPolicy policy() {
    return routing.routes().otherwise();
  }

  /** The routes this factory follows; without routes, a table of its one policy. */
  public RetryRoutes routes() {
    return routing.routes();
  }

  @Override
  public String toString() {
    return "StoicCallFactory{" + routing.routes() + "}";
  }
}
