package dev.stoic.internal;

import java.time.Duration;

/**
 * One attempt as the executor hands it to an adapter: its number, the headers to set on the
 * request, the time it may take. The adapter reports back whether the request body was written.
 *
 * <p>Not API. Safe to use from the thread that runs the attempt and the one that completes it.
 */
public final class AttemptContext {
  private final RetryExecutor executor;
  private final CallState state;
  private final int number;
  private final String idempotencyHeader;
  private final String idempotencyKey;
  private final String authorization;
  private final long timeoutNanos;
  private volatile boolean bodyWritten;
  volatile Decision earlyDecision;

  AttemptContext(
      RetryExecutor executor,
      CallState state,
      int number,
      String idempotencyHeader,
      String idempotencyKey,
      String authorization,
      long timeoutNanos) {
    this.executor = executor;
    this.state = state;
    this.number = number;
    this.idempotencyHeader = idempotencyHeader;
    this.idempotencyKey = idempotencyKey;
    this.authorization = authorization;
    this.timeoutNanos = timeoutNanos;
  }

  /** 1 for the first attempt. */
  public int number() {
    return number;
  }

  /** The idempotency key header to add, or null when the request needs none. */
  public String idempotencyHeader() {
    return idempotencyKey == null ? null : idempotencyHeader;
  }

  /** The generated idempotency key to add, or null. The same on every attempt of a call. */
  public String idempotencyKey() {
    return idempotencyKey;
  }

  /** The refreshed {@code Authorization} value to set, or null to keep the request's own. */
  public String authorization() {
    return authorization;
  }

  /**
   * The time this attempt may take: the smaller of the policy's attempt timeout and the time left
   * before the deadline; null when neither applies.
   */
  public Duration timeout() {
    return timeoutNanos > 0 ? Duration.ofNanos(timeoutNanos) : null;
  }

  /** Records that the request body started to go out; a one-shot body is then never re-sent. */
  public void markBodyWritten() {
    bodyWritten = true;
  }

  /**
   * Decides this attempt's fate from its status and headers before the body is read, and returns
   * true if a retry will follow (so the body should be discarded, not handed to the caller). The
   * decision is made once and stands when the attempt completes.
   */
  public boolean decide(int status, HeaderLookup headers) {
    Decision decision = executor.decideHeaders(state, status, headers);
    earlyDecision = decision;
    return decision.action == dev.stoic.RetryEvent.Action.RETRY;
  }

  boolean bodyWritten() {
    return bodyWritten;
  }
}
