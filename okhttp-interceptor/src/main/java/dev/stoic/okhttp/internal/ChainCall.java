package dev.stoic.okhttp.internal;

import dev.stoic.RetryPolicy;
import dev.stoic.http.HeaderLookup;
import dev.stoic.spi.Attempt;
import dev.stoic.spi.Cancellation;
import dev.stoic.spi.SyncAttempt;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.Interceptor.Chain;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One call through {@link dev.stoic.okhttp.StoicInterceptor}: sends each attempt down the chain
 * and tells the executor when the call is cancelled; it is also the call's {@link
 * dev.stoic.spi.CallInfo}. One object per call, for every role.
 *
 * <p>OkHttp 5 lets it add an event listener to the running call, whose {@code canceled} event
 * ends a retry wait at once; OkHttp 4.12 has no such method, and there the executor checks {@link
 * Call#isCanceled()} every few milliseconds. The listener is added only when a call first waits.
 *
 * <p>Not API.
 */
public final class ChainCall extends RequestCallInfo
    implements SyncAttempt<Response>, Cancellation, HeaderLookup {
  /**
   * Whether this OkHttp lets an interceptor turn {@code retryOnConnectionFailure} off for one
   * chain: OkHttp 5 does; 4.12 has no such method.
   */
  private static final boolean CHAIN_SETS_RECOVERY = chainSetsRecovery();

  private final Chain chain;
  private CompletableFuture<Void> signal; // guarded by this
  private boolean noSignal; // guarded by this

  /**
   * @param request the request each attempt starts from (the chain's, perhaps marked)
   * @param policy the policy the call runs under, whose header names the caller's key
   */
  public ChainCall(Chain chain, Request request, RetryPolicy policy) {
    super(request);
    this.chain = chain;
    describeFor(policy);
  }

  /**
   * OkHttp's call timeout, which started when the call did, a moment before the interceptor ran:
   * close enough to "from now". Read when asked rather than kept (a field would add 8 B a call):
   * a call's timeout is set before it runs. A known gap: one changed on a running call would move
   * Stoic's limit but not OkHttp's, which armed its watchdog when the call started.
   */
  @Override
  public long clientTimeoutNanos() {
    return chain.call().timeout().timeoutNanos();
  }

  /** Sends one attempt down the chain with its key, credentials, time limit and guard. */
  @Override
  public Response run(Attempt context) throws IOException {
    // Observed calls on OkHttp 5 count what OkHttp sends, once per call: every attempt shares it.
    if (context.number() == 1) RequestCounter.watch(chain.call(), context);
    Chain attemptChain = chain;
    Duration timeout = context.timeout();
    if (timeout != null) {
      int millis = Translation.timeoutMillis(timeout);
      if (lowers(chain.connectTimeoutMillis(), millis)) {
        attemptChain = attemptChain.withConnectTimeout(millis, TimeUnit.MILLISECONDS);
      }
      if (lowers(chain.readTimeoutMillis(), millis)) {
        attemptChain = attemptChain.withReadTimeout(millis, TimeUnit.MILLISECONDS);
      }
      if (lowers(chain.writeTimeoutMillis(), millis)) {
        attemptChain = attemptChain.withWriteTimeout(millis, TimeUnit.MILLISECONDS);
      }
    }
    if (CHAIN_SETS_RECOVERY && !context.safeToRepeat()) {
      // OkHttp 5: its own recovery off for this attempt, as StoicCallFactory does for the call;
      // redirects and authentication challenges are still followed.
      attemptChain = attemptChain.withRetryOnConnectionFailure(false);
    }
    // OkHttp 4.12 has no such setting: the body is marked one-shot instead.
    return attemptChain.proceed(
        Translation.attemptRequest(request, this, context, !CHAIN_SETS_RECOVERY));
  }

  /** The caller's request headers, for the attempt's header edits. */
  @Override
  public List<String> values(String name) {
    return request.headers(name);
  }

  @Override
  public boolean isCancelled() {
    return chain.call().isCanceled();
  }

  @Override
  public synchronized CompletionStage<?> signal() {
    if (signal != null || noSignal) return signal;
    Call call = chain.call();
    CompletableFuture<Void> cancelled = new CompletableFuture<>();
    try {
      call.addEventListener(new EventListener() {
        @Override
        public void canceled(Call c) {
          cancelled.complete(null);
        }
      });
    } catch (NoSuchMethodError | AbstractMethodError e) {
      noSignal = true; // OkHttp 4.12: Call has no addEventListener
      return null;
    }
    if (call.isCanceled()) cancelled.complete(null); // cancelled before the listener was there
    signal = cancelled;
    return cancelled;
  }

  /** True if {@code millis} is stricter than the current timeout (0 means none). */
  private static boolean lowers(int currentMillis, int millis) {
    return currentMillis == 0 || millis < currentMillis;
  }

  private static boolean chainSetsRecovery() {
    try {
      Chain.class.getMethod("withRetryOnConnectionFailure", boolean.class);
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
