package dev.stoic;

import dev.stoic.Decision.Action;
import dev.stoic.http.FailureKind;
import java.io.Serializable;
import java.time.Duration;

/**
 * What happened in one attempt of a logical call, and what Stoic decided next.
 *
 * <p>The URL is redacted (user-info and configured query parameters removed); events never carry
 * header values, request bodies or exception messages, so they are safe to log. Immutable.
 */
public final class RetryEvent implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int attempt;
  private final String method;
  private final String url;
  private final int status;
  private final String exceptionType;
  private final FailureKind failureKind;
  private final Action action;
  private final String reason;
  private final Duration waitTime;
  private final Duration elapsed;
  private final boolean hedge;

  /**
   * Creates an event. Stoic creates events itself; this constructor is public so that tests of a
   * listener can build their own.
   */
  public RetryEvent(
      int attempt,
      String method,
      String url,
      int status,
      String exceptionType,
      FailureKind failureKind,
      Action action,
      String reason,
      Duration waitTime,
      Duration elapsed) {
    this(attempt, method, url, status, exceptionType, failureKind, action, reason, waitTime,
        elapsed, false);
  }

  /**
   * Creates an event of an attempt that may be a hedge: one sent while another attempt of the
   * same call was still running (see {@link Hedging}).
   */
  public RetryEvent(
      int attempt,
      String method,
      String url,
      int status,
      String exceptionType,
      FailureKind failureKind,
      Action action,
      String reason,
      Duration waitTime,
      Duration elapsed,
      boolean hedge) {
    this.hedge = hedge;
    this.attempt = attempt;
    this.method = method;
    this.url = url;
    this.status = status;
    this.exceptionType = exceptionType;
    this.failureKind = failureKind;
    this.action = action;
    this.reason = reason;
    this.waitTime = waitTime;
    this.elapsed = elapsed;
  }

  /** 1 for the first attempt. */
  public int attempt() {
    return attempt;
  }

  public String method() {
    return method;
  }

  /** The request URL with user-info and configured secret query parameters redacted. */
  public String url() {
    return url;
  }

  /** The response status code, or -1 when the attempt failed without a response. */
  public int status() {
    return status;
  }

  /** The failing exception's class name, or null when a response arrived. */
  public String exceptionType() {
    return exceptionType;
  }

  /** How the failure was classified, or null when a response arrived. */
  public FailureKind failureKind() {
    return failureKind;
  }

  public Action action() {
    return action;
  }

  /** One line explaining the decision, in plain words. */
  public String reason() {
    return reason;
  }

  /** The wait before the next attempt; zero unless {@link #action()} is RETRY. */
  public Duration waitTime() {
    return waitTime;
  }

  /** Time since the logical call started, at the moment of the decision. */
  public Duration elapsed() {
    return elapsed;
  }

  /** True if this attempt was a hedge: sent while another attempt of the call was running. */
  public boolean hedge() {
    return hedge;
  }

  /** What the attempt ended with: {@code "503"} or an exception's simple class name. */
  public String outcome() {
    if (status >= 0) return Integer.toString(status);
    int dot = exceptionType.lastIndexOf('.');
    return exceptionType.substring(dot + 1);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder()
        .append("attempt ").append(attempt).append(hedge ? " (hedge) " : " ")
        .append(method).append(' ').append(url).append(" -> ").append(outcome())
        .append(": ").append(action);
    if (action == Action.RETRY) s.append(" in ").append(waitTime.toMillis()).append(" ms");
    return s.append(" (").append(reason).append(')').toString();
  }
}
