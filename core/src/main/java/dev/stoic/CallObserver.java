package dev.stoic;

/**
 * Watches one logical call: told as each attempt starts and ends, when the throttle delays an
 * attempt, and once as the call ends. Made by a {@link RetryObserver}; every method has a default
 * that does nothing.
 *
 * <pre>{@code
 * CallObserver counting = new CallObserver() {
 *   public void attemptEnded(Outcome outcome, Decision decision, long attemptNanos, int resends) {
 *     if (decision.action() == Decision.Action.RETRY) retries.increment(decision.cause());
 *   }
 * };
 * }</pre>
 *
 * <p>Calls arrive in order for one call (attempt started, attempt ended, ..., call ended), but not
 * always on one thread: an async call's attempts end on the client's threads and its waits end on
 * the clock's. {@link #callEnded} comes exactly once, however the call ends, including when the
 * caller completes an async call's future from outside. Durations are on the policy's {@link
 * RetryClock}. The {@link Outcome} passed in is the live attempt: read it during the call, do not
 * keep it.
 */
public interface CallObserver {
  /** An observer that watches nothing. */
  CallObserver NONE = new CallObserver() {};

  /**
   * An attempt goes out now, on the thread that sends it. What this returns is closed on the same
   * thread once the attempt has been handed to the client: for a sync attempt when it returns, for
   * an async one once it has started. Tracing makes its context current here, so that spans the
   * client's own instrumentation starts for the attempt become its children.
   *
   * @param attempt 1 for the first attempt
   */
  default Scope attemptStarted(int attempt) {
    return Scope.NONE;
  }

  /**
   * The throttle delays the next attempt by {@code waitNanos} before it may go out. Not called
   * when the throttle lets it go at once, nor when it refuses (see {@link #callEnded}).
   */
  default void throttled(long waitNanos) {}

  /**
   * Attempt {@code attempt} goes out as a hedge, while another attempt of the call is still
   * running (see {@link Hedging}); {@link #attemptStarted} follows for it as for any attempt.
   */
  default void hedgeSent(int attempt) {}

  /**
   * An attempt ended and Stoic decided what follows. {@code decision} is final: the budget has
   * been asked, and a retry it refused is a {@link Decision.Cause#BUDGET} give-up here.
   *
   * @param outcome the attempt: its number, status or failure, and time since the call started
   * @param attemptNanos how long the attempt took, from going out to its response or failure
   * @param resends how many times the client itself re-sent the request within this attempt
   *     (OkHttp's silent recovery, redirects and authentication challenges), or -1 when the client
   *     does not show it
   */
  default void attemptEnded(Outcome outcome, Decision decision, long attemptNanos, int resends) {}

  /**
   * The call ended, for good: after the attempt that got the final decision, or without one when
   * the throttle refused the attempt ({@link Decision.Cause#THROTTLE}), the call was cancelled
   * between attempts ({@link Decision.Cause#CANCEL}) or user code called by Stoic threw.
   *
   * @param outcome the last attempt that ended; for a throttle's refusal, the refused attempt
   *     failed with the {@link ThrottledException}
   * @param decision what ended the call: RETURN, or GIVE_UP with its cause
   * @param callNanos how long the call took, from its start to this decision
   */
  default void callEnded(Outcome outcome, Decision decision, long callNanos) {}

  /** What {@link #attemptStarted} opened; closed on the thread that opened it. */
  @FunctionalInterface
  interface Scope {
    /** Nothing to close. */
    Scope NONE = () -> {};

    void close();
  }
}
