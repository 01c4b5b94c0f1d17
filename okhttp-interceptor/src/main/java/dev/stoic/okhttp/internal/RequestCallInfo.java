package dev.stoic.okhttp.internal;

import dev.stoic.RetryPolicy;
import dev.stoic.spi.CallInfo;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * A call's per-call object as the engine's {@link CallInfo} of its request, so a call allocates
 * no description beside itself. Values are read from the request when asked (OkHttp keeps its
 * method, URL string and host); only the caller's idempotency key, looked up under the policy's
 * header name, is kept. Not API.
 */
abstract class RequestCallInfo implements CallInfo {
  /** The caller's request, as the engine sees it. */
  final Request request;
  /** Set by {@link #describeFor} before the call runs; null for none. */
  private String callerKey;

  RequestCallInfo(Request request) {
    this.request = request;
  }

  /** Looks up the caller's idempotency key under {@code policy}'s header; once, before the run. */
  final void describeFor(RetryPolicy policy) {
    String keyHeader = policy.idempotencyKey().headerName();
    callerKey = keyHeader == null ? null : request.header(keyHeader);
  }

  @Override
  public final String method() {
    return request.method();
  }

  /** The URL as OkHttp keeps it: {@code HttpUrl.toString()} returns a stored string. */
  @Override
  public final String url() {
    return request.url().toString();
  }

  /** Parsed already: no substring per call. */
  @Override
  public final String host() {
    return request.url().host();
  }

  @Override
  public final String callerIdempotencyKey() {
    return callerKey;
  }

  /** False for a one-shot body: it is never sent again once written. */
  @Override
  public final boolean bodyReplayable() {
    RequestBody body = request.body();
    return body == null || !body.isOneShot();
  }
}
