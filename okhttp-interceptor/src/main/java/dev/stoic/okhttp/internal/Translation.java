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
   * refreshed credentials the attempt asks for, with its body wrapped in a {@link
   * WriteTrackingBody} when the body is one-shot or the request is not safe to repeat. Returns
   * {@code request} itself when there is nothing to add.
   *
   * <p>The wrapper reports {@code isOneShot() == true}, which is the one signal OkHttp's own
   * recovery honours (RetryAndFollowUpInterceptor in 4.12 and 5.x): it never re-sends a request
   * whose one-shot body may have started to go out, and never repeats such a request for a 408,
   * a 503 with {@code Retry-After: 0}, a 421, a redirect that keeps the body (307, 308) or an
   * authentication challenge: it returns that response instead, and the policy decides. Without
   * it OkHttp re-sends a keyless POST on a fresh connection when a reused one drops after the
   * server processed it. A request without a body gets no stand-in: an empty body would make
   * OkHttp send {@code Content-Length: 0} where the caller sent none (see StoicInterceptor).
   */
  public static Request attemptRequest(Request request, AttemptContext context) {
    String keyHeader = context.idempotencyHeader();
    String authorization = context.authorization();
    RequestBody body = request.body();
    boolean guard = body != null && (body.isOneShot() || !context.safeToRepeat());
    if (keyHeader == null && authorization == null && !guard) return request;

    Request.Builder builder = request.newBuilder();
    if (keyHeader != null) builder.header(keyHeader, context.idempotencyKey());
    if (authorization != null) builder.header("Authorization", authorization);
    if (guard) builder.method(request.method(), new WriteTrackingBody(body, context));
    return builder.build();
  }

  /** {@code timeout} in whole milliseconds for OkHttp's int-millisecond setters: at least 1. */
  public static int timeoutMillis(Duration timeout) {
    long nanos = timeout.toNanos();
    long millis = nanos / 1_000_000L + (nanos % 1_000_000L == 0 ? 0 : 1);
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis));
  }
}
