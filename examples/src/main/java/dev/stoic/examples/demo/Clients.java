package dev.stoic.examples.demo;

import dev.stoic.Backoff;
import dev.stoic.IdempotencyKey;
import dev.stoic.RetryListener;
import dev.stoic.RetryPolicy;
import dev.stoic.jdk.StoicHttpClient;
import dev.stoic.okhttp.StoicCallFactory;
import dev.stoic.okhttp.StoicInterceptor;
import java.io.Closeable;
import java.net.http.HttpClient;
import java.time.Duration;
import okhttp3.Call;
import okhttp3.OkHttpClient;

/** The demo's policies and the clients that follow them: OkHttp two ways, the JDK client three. */
final class Clients implements Closeable {
  /**
   * Short waits so that the demo runs in seconds: the default backoff is 1 s, 2 s, 4 s, 8 s with
   * jitter. Retry-After hints are honoured whatever the backoff says.
   */
  static final Duration BACKOFF = Duration.ofMillis(200);
  /** For the call factory only; generous, as a JVM's first calls are slow (class loading). */
  static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(1);
  static final Duration DEADLINE = Duration.ofSeconds(10);

  final RetryPolicy policy;
  /** OkHttp with the interceptor: execute() waits on the calling thread. */
  final OkHttpClient okInterceptor;
  /**
   * OkHttp through the call factory, with an attempt timeout: enqueue() holds no thread while it
   * waits.
   */
  final Call.Factory okCalls;
  final HttpClient jdk;
  /** The same JDK client, adding an Idempotency-Key to keyless POSTs. */
  final HttpClient jdkWithKeys;
  /** The same JDK client, turning a final 4xx/5xx into a RetriesExhaustedException. */
  final HttpClient jdkStrict;

  private final OkHttpClient ok;

  Clients(RetryListener listener) {
    policy = RetryPolicy.builder()
        .maxAttempts(4)
        .backoff(Backoff.fixed(BACKOFF))
        .deadline(DEADLINE)
        .listener(listener)
        .build();

    // OkHttp silently repeats a request on a fresh connection when one drops, inside a single
    // Stoic attempt. Turned off here so that the dropped connection shows in the timeline, and
    // so that the policy decides: it knows which methods are safe to repeat.
    ok = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
    okInterceptor = ok.newBuilder().addInterceptor(StoicInterceptor.create(policy)).build();
    okCalls = StoicCallFactory.wrap(ok, policy.toBuilder().attemptTimeout(ATTEMPT_TIMEOUT).build());

    // For requests that need another policy, views of one client: the same connections,
    // threads and retry budget.
    StoicHttpClient stoic = StoicHttpClient.wrap(HttpClient.newHttpClient(), policy);
    jdk = stoic;
    jdkWithKeys = stoic.withPolicy(policy.toBuilder()
        .idempotencyKey(IdempotencyKey.header("Idempotency-Key").autoGenerate())
        .build());
    jdkStrict = stoic.withPolicy(policy.toBuilder().throwOnFailureStatus(true).build());
  }

  /** Stops OkHttp's dispatcher threads and closes its idle connections, so the JVM can exit. */
  @Override
  public void close() {
    ok.dispatcher().executorService().shutdown();
    ok.connectionPool().evictAll();
  }
}
