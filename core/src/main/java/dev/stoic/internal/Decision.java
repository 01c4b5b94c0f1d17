package dev.stoic.internal;

import dev.stoic.RetryEvent.Action;

/** The policy's verdict on one attempt. Immutable; common verdicts are shared constants. */
public final class Decision {
  static final Decision INFORMATIONAL = returning("1xx informational: returned as it is");
  static final Decision SUCCESS = returning("2xx success");
  static final Decision REDIRECT = returning("3xx redirect: left to the client's own handling");

  final Action action;
  final long waitNanos;
  final String reason;
  /** Set when the retry needs fresh credentials first (401 with a refresher). */
  final boolean refreshCredentials;

  private Decision(Action action, long waitNanos, String reason, boolean refreshCredentials) {
    this.action = action;
    this.waitNanos = waitNanos;
    this.reason = reason;
    this.refreshCredentials = refreshCredentials;
  }

  static Decision returning(String reason) {
    return new Decision(Action.RETURN, 0, reason, false);
  }

  static Decision giveUp(String reason) {
    return new Decision(Action.GIVE_UP, 0, reason, false);
  }

  static Decision retry(long waitNanos, String reason) {
    return new Decision(Action.RETRY, waitNanos, reason, false);
  }

  static Decision retryWithFreshCredentials(String reason) {
    return new Decision(Action.RETRY, 0, reason, true);
  }

  public Action action() {
    return action;
  }

  public long waitNanos() {
    return waitNanos;
  }

  public String reason() {
    return reason;
  }

  @Override
  public String toString() {
    return action + (action == Action.RETRY ? " in " + waitNanos / 1_000_000 + " ms" : "")
        + ": " + reason;
  }
}
