package dev.stoic.okhttp;

import dev.stoic.RetriesExhaustedException;
import dev.stoic.LivePolicy;
import dev.stoic.RetryPolicy;
import dev.stoic.RetryRoutes;
import dev.stoic.okhttp.internal.ChainCall;
import dev.stoic.okhttp.internal.Layers;
import dev.stoic.okhttp.internal.OkHttpResponses;
import dev.stoic.okhttp.internal.Translation;
import dev.stoic.spi.Adapters;
import dev.stoic.spi.CallRunner;
import dev.stoic.spi.Router;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Objects;
import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * An OkHttp application interceptor that retries calls as a {@link RetryPolicy} says.
 *
 * <pre>{@code
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .addInterceptor(StoicInterceptor.create(policy))
 *     .build();
 * }</pre>
 *
 * <p>Works for {@link Call#execute()} and {@link Call#enqueue}. The caller gets the last response
 * unchanged, or the last attempt's own {@link IOException}, of its own type however many attempts
 * ran; {@link RetriesExhaustedException#historyOf} lists every attempt. Every response not handed to the caller is closed before the
 * next attempt. A one-shot request body ({@link okhttp3.RequestBody#isOneShot()}) is never sent
 * twice. With {@link dev.stoic.IdempotencyKey#autoGenerate()}, a keyless POST gets one key, the
 * same on every attempt. {@link Call#cancel()} ends a pending wait within milliseconds, and no wait
 * crosses the call's {@link Call#timeout() timeout} or the policy's deadline. A per-attempt timeout
 * lowers the connect, read and write timeouts of each attempt; it never raises them.
 *
 * <p><b>Waits hold a thread.</b> Between attempts this interceptor sleeps on the calling thread,
 * which for {@code enqueue()} is one of OkHttp's dispatcher threads: with the default limit of 5
 * requests per host, five calls waiting to retry stall every other call to that host. For async
 * code use {@link StoicCallFactory}, which schedules its waits and holds no thread.
 *
 * <p><b>Install it with {@link OkHttpClient.Builder#addInterceptor}</b>, never with {@code
 * addNetworkInterceptor}: a network interceptor runs once per network exchange, below OkHttp's
 * redirects and its own connection recovery, where re-sending is unsafe. It fails there with an
 * {@link IllegalStateException}.
 *
 * <p><b>What OkHttp lets it tell.</b> A failure counts as a connect failure, retried for any
 * method, only when OkHttp reports one ({@link java.net.ConnectException}, a connect timeout):
 * nothing was sent. Any other I/O failure counts as "the server may have processed it", because
 * OkHttp does not report whether the request headers had gone out; so a POST without an
 * idempotency key is not retried after a reset or an unexpected end of stream, even when the
 * server never saw it.
 *
 * <p><b>OkHttp's own recovery</b> runs inside each attempt, below this interceptor. With {@code
 * retryOnConnectionFailure} on (the default) OkHttp re-sends a request on a fresh connection
 * after a connection failure, even when a reused connection closed after the server had
 * processed it, and repeats a 408 once; whatever the option, it repeats a 503 that says {@code
 * Retry-After: 0} once and follows redirects and authentication challenges. For a request that
 * is not safe to repeat (a method that is not idempotent, and no idempotency key) this
 * interceptor stops the re-send, so a POST the server processed is not executed twice: on OkHttp
 * 5 it turns {@code retryOnConnectionFailure} off for that attempt (redirects are still
 * followed); OkHttp 4.12 has no such setting, so there it marks the request's body one-shot
 * ({@link okhttp3.RequestBody#isOneShot()}; the bytes and headers sent do not change), which
 * OkHttp honours, at a cost: a 307 or 308 redirect of such a request comes back to the caller,
 * and a 408, a 503 or an authentication challenge to the policy, instead of being repeated. A
 * request without a body (a custom method) cannot be marked: on 4.12 use {@link
 * StoicCallFactory}, turn the option off, or send a key. OkHttp also throws {@link
 * NumberFormatException} for a 503 whose Retry-After is a number above 2,147,483,647, before
 * Stoic sees the response. When the policy has an observer, both adapters count what OkHttp 5
 * re-sends within an attempt, with an event listener on the attempt's call; OkHttp 4.12 cannot add
 * one to a call, so there the count is unknown.
 *
 * <p><b>Per route and per request.</b> Built with {@link RetryRoutes}, each call follows the
 * policy of its route; a request tagged {@code tag(RetryPolicy.class, policy)} follows that
 * policy instead. Every call spends the one budget of the routes (or of the policy), whichever
 * policy decides.
 *
 * <pre>{@code
 * Request upload = request.newBuilder().tag(RetryPolicy.class, RetryPolicy.noRetries()).build();
 * }</pre>
 *
 * <p><b>Never twice.</b> When another Stoic layer already runs the call's attempts (a {@link
 * StoicInterceptor} added before this one, or a {@link StoicCallFactory} over this client), this
 * interceptor sends each attempt once and leaves the retrying to that outer layer, so attempts
 * never multiply.
 *
 * <p>An interceptor runs one attempt at a time on the call's chain, so it cannot hedge: a policy
 * with {@link dev.stoic.Hedging} is refused; {@link StoicCallFactory} hedges.
 *
 * <p>Instances are immutable and thread-safe; share one per policy.
 */
public final class StoicInterceptor implements Interceptor {

  private final Router routing;

  private StoicInterceptor(Router routing) {
    this.routing = routing;
  }

  /**
   * Returns an interceptor that retries as {@code policy} says.
   *
   * @throws NullPointerException if {@code policy} is null
   * @throws IllegalArgumentException if {@code policy} hedges: an interceptor runs one attempt at
   *     a time
   * @throws IllegalStateException if the OkHttp on the class path is older than 4.12
   */
  public static StoicInterceptor create(RetryPolicy policy) {
    Objects.requireNonNull(policy, "policy == null");
    refuseHedging(policy, "the policy");
    OkHttpVersionCheck.requireSupported();
    return new StoicInterceptor(Adapters.router(policy));
  }

  /**
   * Returns an interceptor that retries each call as its route's policy says.
   *
   * @throws NullPointerException if {@code routes} is null
   * @throws IllegalArgumentException if a route's policy hedges
   */
  public static StoicInterceptor create(RetryRoutes routes) {
    Objects.requireNonNull(routes, "routes == null");
    for (RetryRoutes.Route route : routes.routes()) {
      refuseHedging(route.policy(), "the policy of route " + route.name());
    }
    refuseHedging(routes.otherwise(), "the otherwise policy");
    OkHttpVersionCheck.requireSupported();
    return new StoicInterceptor(Adapters.router(routes));
  }

  /**
   * Returns an interceptor whose calls follow {@code live}: each call takes the routes current when
   * it starts. A hedging policy set later runs one attempt at a time here.
   *
   * @throws NullPointerException if {@code live} is null
   * @throws IllegalArgumentException if a policy of the current routes hedges
   */
  public static StoicInterceptor create(LivePolicy live) {
    Objects.requireNonNull(live, "live == null");
    create(live.routes()); // refuses hedging and an old OkHttp as for fixed routes
    return new StoicInterceptor(Adapters.router(live));
  }

  /**
   * An interceptor sees one call's chain on one thread and can send one attempt at a time: it
   * cannot run a hedge beside the attempt in flight, so a hedging policy here is refused rather
   * than silently run without its hedges.
   */
  private static void refuseHedging(RetryPolicy policy, String which) {
    if (policy.hedging() != null) {
      throw new IllegalArgumentException("StoicInterceptor cannot hedge (" + which + " has hedging "
          + policy.hedging() + "): an interceptor runs one attempt at a time on the call's"
          + " chain. Use StoicCallFactory.wrap(client, policy), which hedges execute() and"
          + " enqueue(), or remove hedging from the policy");
    }
  }

  /** The policy of calls no route matches: the only one, for an interceptor made with one. */
  public RetryPolicy policy() {
    return routing.routes().otherwise();
  }

  /** The routes this interceptor follows; without routes, a table of its one policy. */
  public RetryRoutes routes() {
    return routing.routes();
  }

  /**
   * Runs the call's attempts.
   *
   * @throws IllegalStateException if installed as a network interceptor
   * @throws InterruptedIOException if the thread is interrupted while waiting (its interrupt flag
   *     stays set)
   */
  @Override
  public Response intercept(Chain chain) throws IOException {
    if (chain.connection() != null) {
      throw new IllegalStateException(
          "StoicInterceptor must be added with addInterceptor(), not addNetworkInterceptor():"
              + " a network interceptor sees one exchange on a connection OkHttp already chose,"
              + " below its redirects and connection recovery, where re-sending is unsafe");
    }
    Call call = chain.call();
    if (Layers.underStoic(chain.request(), call)) {
      return chain.proceed(chain.request()); // an outer Stoic layer retries this call
    }
    CallRunner executor = Translation.runner(routing, chain.request());
    refuseHedging(executor.policy(), "the request's RetryPolicy tag"); // routes were checked
    Call outer = Layers.enter(call);
    try {
      ChainCall attempts = new ChainCall(chain, chain.request(), executor.policy());
      return executor.sendSerially(attempts, attempts, OkHttpResponses.INSTANCE, attempts);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted =
          new InterruptedIOException("interrupted while waiting to retry");
      interrupted.initCause(e);
      throw interrupted;
    } finally {
      Layers.exit(outer);
    }
  }

  @Override
  public String toString() {
    return "StoicInterceptor{" + routing.routes() + "}";
  }
}
