package dev.stoic.spi;

import java.util.Objects;

/** The {@link CallInfo} that {@link CallInfo#of} and its builder make: six final fields. */
final class ImmutableCallInfo implements CallInfo {
  private final String method;
  private final String url;
  private final String host;
  private final String callerIdempotencyKey;
  private final boolean bodyReplayable;
  private final long clientTimeoutNanos;

  ImmutableCallInfo(String method, String url, String host, String callerIdempotencyKey,
      boolean bodyReplayable, long clientTimeoutNanos) {
    this.method = Objects.requireNonNull(method, "method == null");
    this.url = Objects.requireNonNull(url, "url == null");
    this.host = host != null ? host : CallInfo.hostOf(url);
    this.callerIdempotencyKey = callerIdempotencyKey;
    this.bodyReplayable = bodyReplayable;
    this.clientTimeoutNanos = Math.max(0, clientTimeoutNanos);
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public String url() {
    return url;
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public String callerIdempotencyKey() {
    return callerIdempotencyKey;
  }

  @Override
  public boolean bodyReplayable() {
    return bodyReplayable;
  }

  @Override
  public long clientTimeoutNanos() {
    return clientTimeoutNanos;
  }
}
