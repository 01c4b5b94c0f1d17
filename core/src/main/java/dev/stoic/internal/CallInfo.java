package dev.stoic.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * What the executor needs to know about a logical call, as an adapter translated it.
 *
 * <p>Not API: adapters build one per call. Immutable.
 */
public final class CallInfo {
  final String method;
  final String url;
  final String callerIdempotencyKey;
  final boolean bodyReplayable;
  final long clientTimeoutNanos;

  private CallInfo(Builder b) {
    this.method = b.method;
    this.url = b.url;
    this.callerIdempotencyKey = b.callerIdempotencyKey;
    this.bodyReplayable = b.bodyReplayable;
    this.clientTimeoutNanos = b.clientTimeoutNanos;
  }

  public static Builder builder(String method, String url) {
    return new Builder(method, url);
  }

  public String method() {
    return method;
  }

  public String url() {
    return url;
  }

  /** Builds a {@link CallInfo}. */
  public static final class Builder {
    private final String method;
    private final String url;
    private String callerIdempotencyKey;
    private boolean bodyReplayable = true;
    private long clientTimeoutNanos;

    Builder(String method, String url) {
      Objects.requireNonNull(method, "method == null");
      this.method = isUpperAscii(method) ? method : method.toUpperCase(Locale.ROOT);
      this.url = Objects.requireNonNull(url, "url == null");
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
      return new CallInfo(this);
    }

    private static boolean isUpperAscii(String s) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c >= 'a' && c <= 'z') return false;
      }
      return true;
    }
  }
}
