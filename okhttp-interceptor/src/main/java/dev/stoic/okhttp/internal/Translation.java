package dev.stoic.okhttp.internal;

import dev.stoic.RetryPolicy;
import dev.stoic.engine.AttemptContext;
import dev.stoic.engine.CallInfo;
import java.time.Duration;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Turns OkHttp requests into what Stoic's executor needs, and an attempt's instructions back into
 * an OkHttp request. Decides nothing: the policy has already decided. Stateless; not API.
 */
public final class Translation {
  private Translation() {}

  /**
   * Describes {@code request} to the executor.
   *
   * @param clientTimeoutNanos the OkHttp call timeout of the whole call, 0 for none
   */
  public static CallInfo callInfo(Request request, RetryPolicy policy, long clientTimeoutNanos) {
    String keyHeader = policy.idempotencyKey().headerName();
    RequestBody body = request.body();
    return CallInfo.builder(request.method(), request.url().toString())
        .host(request.url().host()) // parsed already: no substring per call
        .callerIdempotencyKey(keyHeader == null ? null : request.header(keyHeader))
        .bodyReplayable(body == null || !body.isOneShot())
        .clientTimeout(clientTimeoutNanos > 0 ? Duration.ofNanos(clientTimeoutNanos) : null)
        .build();
  }

  /**
   * Returns the request to send for one attempt: the caller's request plus the idempotency key and
   * refreshed credentials the attempt asks for, with a one-shot body wrapped so its first write is
   * recorded. Returns {@code request} itself when there is nothing to add.
   */
  public static Request attemptRequest(Request request, AttemptContext context) {
    String keyHeader = context.idempotencyHeader();
    String authorization = context.authorization();
    RequestBody body = request.body();
    boolean oneShot = body != null && body.isOneShot();
    if (keyHeader == null && authorization == null && !oneShot) return request;

    Request.Builder builder = request.newBuilder();
    if (keyHeader != null) builder.header(keyHeader, context.idempotencyKey());
    if (authorization != null) builder.header("Authorization", authorization);
    if (oneShot) builder.method(request.method(), new WriteTrackingBody(body, context));
    return builder.build();
  }

  /** {@code timeout} in whole milliseconds for OkHttp's int-millisecond setters: at least 1. */
  public static int timeoutMillis(Duration timeout) {
    long nanos = timeout.toNanos();
    long millis = nanos / 1_000_000L + (nanos % 1_000_000L == 0 ? 0 : 1);
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis));
  }
}
