package dev.stoic.okhttp;

import dev.stoic.RetriesExhaustedException;
import dev.stoic.RetryPolicy;
import dev.stoic.internal.AttemptContext;
import dev.stoic.internal.CallInfo;
import dev.stoic.internal.RetryExecutor;
import dev.stoic.okhttp.internal.OkHttpResponses;
import dev.stoic.okhttp.internal.Translation;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
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
 * unchanged, or the last {@link IOException}: after retries a {@link RetriesExhaustedException}
 * whose history lists every attempt. Every response not handed to the caller is closed before the
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
 * server never saw it. OkHttp's own recovery runs inside each attempt and is not Stoic's to
 * decide: with {@code retryOnConnectionFailure} on (the default) OkHttp silently retries some
 * connection failures on another route or a fresh connection, and repeats a 408 once; turn it off
 * to leave those to the policy. <b>It also re-sends a POST without an idempotency key</b> when a
 * reused connection closes after the request went out, so a server that had processed it
 * executes it twice (OkHttp 4.12 and 5.x): for requests that must not run twice, turn it off or
 * send a key ({@link StoicCallFactory} turns it off by itself for requests not safe to repeat). OkHttp always repeats a 503 that says {@code Retry-After: 0} once, and follows
 * redirects and authentication challenges, inside one Stoic attempt; and it throws {@link
 * NumberFormatException} for a 503 whose Retry-After is a number above 2,147,483,647, before
 * Stoic sees the response.
 *
 * <p>Instances are immutable and thread-safe; share one per policy.
 */
public final class StoicInterceptor implements Interceptor {
  private final RetryExecutor executor;

  private StoicInterceptor(RetryPolicy policy) {
    this.executor = new RetryExecutor(policy);
  }

  /**
   * Returns an interceptor that retries as {@code policy} says.
   *
   * @throws NullPointerException if {@code policy} is null
   * @throws IllegalStateException if the OkHttp on the class path is older than 4.12
   */
  public static StoicInterceptor create(RetryPolicy policy) {
    Objects.requireNonNull(policy, "policy == null");
    OkHttpVersionCheck.requireSupported();
    return new StoicInterceptor(policy);
  }

  /** The policy this interceptor follows. */
  public RetryPolicy policy() {
    return executor.policy();
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
    Request request = chain.request();
    Call call = chain.call();
    // OkHttp's call timeout started when the call did, a moment ago: close enough to "from now".
    CallInfo info = Translation.callInfo(request, executor.policy(), call.timeout().timeoutNanos());
    try {
      return executor.execute(
          info, context -> attempt(chain, request, context), OkHttpResponses.INSTANCE,
          call::isCanceled);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted =
          new InterruptedIOException("interrupted while waiting to retry");
      interrupted.initCause(e);
      throw interrupted;
    }
  }

  private static Response attempt(Chain chain, Request request, AttemptContext context)
      throws IOException {
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
    return attemptChain.proceed(Translation.attemptRequest(request, context));
  }

  /** True if {@code millis} is stricter than the current timeout (0 means none). */
  private static boolean lowers(int currentMillis, int millis) {
    return currentMillis == 0 || millis < currentMillis;
  }

  @Override
  public String toString() {
    return "StoicInterceptor{" + executor.policy() + "}";
  }
}
