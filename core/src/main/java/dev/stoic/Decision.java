package dev.stoic;

import dev.stoic.RetryEvent.Action;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link RetryPolicy} decided about one attempt's {@link Outcome}: return it, retry after
 * a wait, or give up, and why.
 *
 * <pre>{@code
 * Decision d = policy.decide(Outcome.status(503).method("GET").header("Retry-After", "5").build());
 * d.action();    // RETRY
 * d.waitTime();  // PT5S plus a spread of at most 10% of the hint
 * d.reason();    // "503 Service Unavailable: waiting for Retry-After"
 * }</pre>
 *
 * <p>Immutable. Common verdicts are shared constants, so deciding to return a success allocates
 * nothing.
 */
public final class Decision {
  static final Decision INFORMATIONAL = returning("1xx informational: returned as it is");
  static final Decision SUCCESS = returning("2xx success");
  static final Decision REDIRECT = returning("3xx redirect: left to the client's own handling");

  private final Action action;
  private final long waitNanos;
  private final String reason;
  private final boolean refreshCredentials;
  private final boolean serverHinted;

  private Decision(Action action, long waitNanos, String reason, boolean refreshCredentials,
      boolean serverHinted) {
    this.action = action;
    this.waitNanos = waitNanos;
    this.reason = Objects.requireNonNull(reason, "reason == null");
    this.refreshCredentials = refreshCredentials;
    this.serverHinted = serverHinted;
  }

  /** Hands the outcome to the caller as it is. */
  public static Decision returning(String reason) {
    return new Decision(Action.RETURN, 0, reason, false, false);
  }

  /** Ends the call with this outcome as a failure. */
  public static Decision giveUp(String reason) {
    return new Decision(Action.GIVE_UP, 0, reason, false, false);
  }

  /**
   * Makes another attempt after {@code waitNanos}.
   *
   * @throws IllegalArgumentException if {@code waitNanos} is negative
   */
  public static Decision retry(long waitNanos, String reason) {
    if (waitNanos < 0) throw new IllegalArgumentException("waitNanos < 0: " + waitNanos);
    return new Decision(Action.RETRY, waitNanos, reason, false, false);
  }

  /**
   * Makes another attempt after {@code waitNanos}, a wait the server set ({@code Retry-After} or
   * another hint): the retry budget may then make it wait longer rather than refuse it.
   *
   * <pre>{@code
   * Decision.retryForServerHint(Duration.ofSeconds(5).toNanos(), "503: waiting for Retry-After");
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code waitNanos} is negative
   */
  public static Decision retryForServerHint(long waitNanos, String reason) {
    if (waitNanos < 0) throw new IllegalArgumentException("waitNanos < 0: " + waitNanos);
    return new Decision(Action.RETRY, waitNanos, reason, false, true);
  }

  /** Retries at once with fresh credentials (a 401 with a credential refresher). */
  static Decision retryWithFreshCredentials(String reason) {
    return new Decision(Action.RETRY, 0, reason, true, false);
  }

  public Action action() {
    return action;
  }

  /** The wait before the next attempt; zero unless the action is {@link Action#RETRY}. */
  public Duration waitTime() {
    return Duration.ofNanos(waitNanos);
  }

  /** {@link #waitTime()} in nanoseconds. */
  public long waitNanos() {
    return waitNanos;
  }

  /** One sentence saying why; never holds header values or secrets. */
  public String reason() {
    return reason;
  }

  /** True when the retry must first ask the policy's credential refresher for a new token. */
  public boolean refreshCredentials() {
    return refreshCredentials;
  }

  /** True when the server set the wait of this retry ({@code Retry-After} or another hint). */
  public boolean serverHinted() {
    return serverHinted;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Decision)) return false;
    Decision d = (Decision) o;
    return action == d.action && waitNanos == d.waitNanos && reason.equals(d.reason)
        && refreshCredentials == d.refreshCredentials && serverHinted == d.serverHinted;
  }

  @Override
  public int hashCode() {
    return Objects.hash(action, waitNanos, reason, refreshCredentials, serverHinted);
  }

  @Override
  public String toString() {
    return action + (action == Action.RETRY ? " in " + Durations.format(waitNanos) : "")
        + ": " + reason;
  }
}
