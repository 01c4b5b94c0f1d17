package dev.stoic.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * What the engine needs to know about a logical call, as an adapter translated it: the method and
 * URL, the idempotency key the caller set, whether its body can be sent again, and any limit the
 * client puts on the whole call. An adapter passes one per call; its own per-call object may
 * implement this to save the allocation, or it builds one with {@link #of}.
 *
 * <pre>{@code
 * CallInfo call = CallInfo.of("POST", url, host, request.header("Idempotency-Key"), true, 0);
 * }</pre>
 *
 * <p>An implementation's values must not change while its call runs (the engine reads them when
 * it needs them, as often as it needs them); {@link #host()} is never null, {@link #method()} is
 * as the request has it (case-sensitive), and {@link #clientTimeoutNanos()} is never negative.
 */
public interface CallInfo {
  /**
   * A call in one step, for adapters on the success path (no builder to allocate). Immutable.
   *
   * @param host the request's host, or null to parse it from {@code url}
   * @param callerIdempotencyKey the key the caller put on the request, or null
   * @param bodyReplayable false for a one-shot body
   * @param clientTimeoutNanos a limit the client puts on the whole call, 0 (or less) for none
   * @throws NullPointerException if {@code method} or {@code url} is null
   */
  static CallInfo of(String method, String url, String host, String callerIdempotencyKey,
      boolean bodyReplayable, long clientTimeoutNanos) {
    return new ImmutableCallInfo(
        method, url, host, callerIdempotencyKey, bodyReplayable, clientTimeoutNanos);
  }

  /**
   * A builder of an immutable call, replayable and without a key or client limit until told.
   *
   * @throws NullPointerException if {@code method} or {@code url} is null
   */
  static Builder builder(String method, String url) {
    return new Builder(method, url);
  }

  /**
   * The host of an absolute URL, without user-info or port (an IPv6 literal keeps its brackets);
   * "" when there is none.
   *
   * @throws NullPointerException if {@code url} is null
   */
  static String hostOf(String url) {
    int start = url.indexOf("://");
    if (start < 0) return "";
    start += 3;
    int end = start;
    while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) end++;
    int at = url.lastIndexOf('@', end - 1);
    if (at >= start) start = at + 1;
    if (start < end && url.charAt(start) == '[') {
      int close = url.indexOf(']', start);
      return close > 0 && close < end ? url.substring(start, close + 1) : url.substring(start, end);
    }
    int colon = url.indexOf(':', start);
    if (colon >= 0 && colon < end) end = colon;
    return url.substring(start, end);
  }

  /** The request's method as written: "get" is not GET (RFC 9110 section 9.1). */
  String method();

  /** The request's URL, as events and failures show it once redacted. */
  String url();

  /** The host the retry budget is kept for; never null. */
  String host();

  /** The idempotency key the caller put on the request, or null. Never replaced. */
  String callerIdempotencyKey();

  /** False for a one-shot body: it is never sent again once written. */
  boolean bodyReplayable();

  /** The limit the client puts on the whole call, in nanoseconds from its start; 0 for none. */
  long clientTimeoutNanos();

  /** Builds an immutable {@link CallInfo}. */
  final class Builder {
    private final String method;
    private final String url;
    private String host;
    private String callerIdempotencyKey;
    private boolean bodyReplayable = true;
    private long clientTimeoutNanos;

    Builder(String method, String url) {
      // Kept as written: method names are case-sensitive (RFC 9110 section 9.1), so "get" is not
      // GET and is not assumed idempotent. Clients send the method as written, too.
      this.method = Objects.requireNonNull(method, "method == null");
      this.url = Objects.requireNonNull(url, "url == null");
    }

    /** The request's host, if the adapter has it at hand; otherwise parsed from the URL. */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** The key the caller already put on the request, or null. Never replaced. */
    public Builder callerIdempotencyKey(String key) {
      this.callerIdempotencyKey = key;
      return this;
    }

    /** False for a one-shot body: it is never re-sent once written. */
    public Builder bodyReplayable(boolean replayable) {
      this.bodyReplayable = replayable;
      return this;
    }

    /**
     * A limit the client imposes on the whole call (OkHttp's call timeout), counted from now; 0
     * for none. Waits never cross it, as they never cross the policy's deadline.
     */
    public Builder clientTimeout(Duration timeout) {
      this.clientTimeoutNanos = timeout == null || timeout.isNegative() ? 0 : timeout.toNanos();
      return this;
    }

    public CallInfo build() {
      return new ImmutableCallInfo(
          method, url, host, callerIdempotencyKey, bodyReplayable, clientTimeoutNanos);
    }
  }
}
