package dev.stoic.okhttp;

import dev.stoic.RetryPolicy;
import dev.stoic.engine.RetryExecutor;
import dev.stoic.okhttp.internal.RetryingCall;
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
 * <p>Do not also add a {@link StoicInterceptor} to the wrapped client: every attempt would then be
 * retried again inside. {@link #wrap} rejects such a client.
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
  private final RetryExecutor executor;

  private StoicCallFactory(OkHttpClient client, RetryExecutor executor) {
    this.client = client;
    this.unsafeRequestClient = client.retryOnConnectionFailure()
        ? client.newBuilder().retryOnConnectionFailure(false).build()
        : client;
    this.executor = executor;
  }

  /**
   * Returns a factory whose calls run on {@code client} and retry as {@code policy} says.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code client} already has a {@link StoicInterceptor}
   * @throws IllegalStateException if the OkHttp on the class path is older than 4.12
   */
  public static StoicCallFactory wrap(OkHttpClient client, RetryPolicy policy) {
    Objects.requireNonNull(client, "client == null");
    Objects.requireNonNull(policy, "policy == null");
    OkHttpVersionCheck.requireSupported();
    if (hasStoicInterceptor(client.interceptors())
        || hasStoicInterceptor(client.networkInterceptors())) {
      throw new IllegalArgumentException(
          "the client already has a StoicInterceptor: wrap a client without it, or each attempt"
              + " of the call factory would be retried again by the interceptor");
    }
    return new StoicCallFactory(client, new RetryExecutor(policy));
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
    return new RetryingCall(client, unsafeRequestClient, executor, request);
  }

  /** The client every attempt runs on. */
  public OkHttpClient client() {
    return client;
  }

  /** The policy every call follows. */
  public RetryPolicy policy() {
    return executor.policy();
  }

  @Override
  public String toString() {
    return "StoicCallFactory{" + executor.policy() + "}";
  }
}
