package dev.stoic;

import java.io.IOException;
import java.util.List;

/**
 * A logical call that failed after Stoic retried it. The last attempt's failure is the {@linkplain
 * #getCause() cause}, earlier attempts' failures are {@linkplain #getSuppressed() suppressed}, and
 * {@link #history()} lists every attempt with its decision.
 *
 * <p>Thrown for transport failures once at least one retry happened (a single failed attempt
 * rethrows its original exception unchanged), and for a final non-2xx response when the policy
 * opted in with {@link RetryPolicy.Builder#throwOnFailureStatus(boolean)}. Its message names the
 * last outcome and explains a final status code; it never contains header values or secrets.
 */
public final class RetriesExhaustedException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Serialized with the exception: an immutable list of serializable events. */
  private final List<RetryEvent> history;
  private final int lastStatus;

  /** Creates an exception; Stoic's executor is the usual caller. */
  public RetriesExhaustedException(
      String message, Throwable cause, List<RetryEvent> history, int lastStatus) {
    super(message, cause);
    this.history = List.copyOf(history);
    this.lastStatus = lastStatus;
  }

  /** Every attempt of the call, first to last. */
  public List<RetryEvent> history() {
    return history;
  }

  /** The number of attempts made. */
  public int attempts() {
    return history.size();
  }

  /** The final response's status code, or -1 when the last attempt failed without a response. */
  public int lastStatus() {
    return lastStatus;
  }
}
