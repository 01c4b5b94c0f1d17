package dev.stoic;

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
 * d.cause();     // HINT
 * }</pre>
 *
 * <p>Immutable. Common verdicts are shared constants, so deciding to return a success allocates
 * nothing.
 *
 * <p>The factories ({@link #returning}, {@link #giveUp}, {@link #retry}, {@link
 * #retryForServerHint}) are API on purpose, as {@link RetryEvent}'s constructor is: for tests of
 * observers, listeners and throttles, which receive decisions. A decision made by hand changes no
 * state: only the policy's decisions, acted on by the engine, spend a budget or make a retry.
 */
public final class Decision {
  /** What follows an attempt; a {@link RetryEvent} records it too. */
  public enum Action {
    /** The outcome is handed to the caller as a success or a pass-through (1xx/2xx/3xx). */
    RETURN,
    /** Another attempt follows after {@link Decision#waitTime()}. */
    RETRY,
    /** The outcome is a failure and no attempt follows; {@link Decision#reason()} says why. */
    GIVE_UP
  }

  /**
   * Why a decision went its way, in one word: what metrics count retries and give-ups by, and what
   * traces show. {@link Decision#reason()} says the same in a sentence.
   */
  public enum Cause {
    /** The response status decided: returned, retried as the status table says, or not retried. */
    STATUS,
    /** The failure decided: an I/O failure retried, or a failure that is never retried. */
    EXCEPTION,
    /**
     * A server hint decided: {@code Retry-After} or a rate-limit reset set the retry's time, or
     * asked for a wait beyond {@code maxRetryAfter}.
     */
    HINT,
    /**
     * The request was not safe to repeat: a method that is not idempotent without an idempotency
     * key, or a one-shot body that had gone out.
     */
    UNSAFE,
    /** The host's retry budget was spent. */
    BUDGET,
    /** The throttle (client-side rate limit) refused the attempt. */
    THROTTLE,
    /** The wait would cross the policy's deadline or the client's call timeout. */
    DEADLINE,
    /** Every allowed attempt was used. */
    ATTEMPTS,
    /** The call was cancelled, or its thread interrupted. */
    CANCEL,
    /** None given: a decision built by {@link #giveUp(String)} or {@link #retry(long, String)}. */
    OTHER
  }

  static final Decision INFORMATIONAL = returning("1xx informational: returned as it is");
  static final Decision SUCCESS = returning("2xx success");
  static final Decision REDIRECT = returning("3xx redirect: left to the client's own handling");

  private final Action action;
  private final long waitNanos;
  private final String reason;
  private final boolean refreshCredentials;
  private final Cause cause;
  private final long hintedWaitNanos;

  private Decision(Action action, long waitNanos, String reason, boolean refreshCredentials,
      Cause cause, long hintedWaitNanos) {
    this.action = action;
    this.waitNanos = waitNanos;
    this.reason = Objects.requireNonNull(reason, "reason == null");
    this.refreshCredentials = refreshCredentials;
    this.cause = Objects.requireNonNull(cause, "cause == null");
    this.hintedWaitNanos = hintedWaitNanos;
  }

  /** Hands the outcome to the caller as it is; its cause is {@link Cause#STATUS}. */
  public static Decision returning(String reason) {
    return new Decision(Action.RETURN, 0, reason, false, Cause.STATUS, 0);
  }

  /** Ends the call with this outcome as a failure, for no stated {@link Cause}. */
  public static Decision giveUp(String reason) {
    return giveUp(Cause.OTHER, reason);
  }

  /** Ends the call with this outcome as a failure, because of {@code cause}. */
  public static Decision giveUp(Cause cause, String reason) {
    return new Decision(Action.GIVE_UP, 0, reason, false, cause, 0);
  }

  /**
   * Makes another attempt after {@code waitNanos}, for no stated {@link Cause}.
   *
   * @throws IllegalArgumentException if {@code waitNanos} is negative
   */
  public static Decision retry(long waitNanos, String reason) {
    return retry(waitNanos, Cause.OTHER, reason);
  }

  /**
   * Makes another attempt after {@code waitNanos}, because of {@code cause}.
   *
   * @throws IllegalArgumentException if {@code waitNanos} is negative
   */
  public static Decision retry(long waitNanos, Cause cause, String reason) {
    if (waitNanos < 0) throw new IllegalArgumentException("waitNanos < 0: " + waitNanos);
    return new Decision(Action.RETRY, waitNanos, reason, false, cause, 0);
  }

  /** A retry whose time a server hint set; {@code hintedNanos} of the wait are the hint's doing. */
  static Decision retryForHint(long waitNanos, long hintedNanos, String reason) {
    return new Decision(Action.RETRY, waitNanos, reason, false, Cause.HINT, hintedNanos);
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
    return new Decision(Action.RETRY, waitNanos, reason, false, Cause.HINT, waitNanos);
  }

  /** Retries at once with fresh credentials (a 401 with a credential refresher). */
  static Decision retryWithFreshCredentials(String reason) {
    return new Decision(Action.RETRY, 0, reason, true, Cause.STATUS, 0);
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

  /** Why, in one word; {@link #reason()} says it in a sentence. */
  public Cause cause() {
    return cause;
  }

  /**
   * The part of {@link #waitNanos()} that a server hint added beyond what the backoff alone would
   * have waited: 0 unless a {@code Retry-After} or rate-limit reset lengthened this retry's wait.
   */
  public long hintedWaitNanos() {
    return hintedWaitNanos;
  }

  /** True when the retry must first ask the policy's credential refresher for a new token. */
  public boolean refreshCredentials() {
    return refreshCredentials;
  }

  /** True when the server set the wait of this retry ({@code Retry-After} or another hint). */
  public boolean serverHinted() {
    return action == Action.RETRY && cause == Cause.HINT;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Decision)) return false;
    Decision d = (Decision) o;
    return action == d.action && waitNanos == d.waitNanos && reason.equals(d.reason)
        && refreshCredentials == d.refreshCredentials && cause == d.cause
        && hintedWaitNanos == d.hintedWaitNanos;
  }

  @Override
  public int hashCode() {
    return Objects.hash(action, waitNanos, reason, refreshCredentials, cause, hintedWaitNanos);
  }

  @Override
  public String toString() {
    return action + (action == Action.RETRY ? " in " + Durations.format(waitNanos) : "")
        + ": " + reason;
  }
}
