package dev.stoic;

import java.io.IOException;
import java.util.List;

/**
 * Stoic's account of a failed logical call: {@link #history()} lists every attempt with its
 * decision, and the message names the last outcome. It never contains header values or secrets.
 *
 * <p>A call that fails in transport throws the last attempt's own exception, of its own type,
 * however many attempts ran: the earlier attempts' failures are {@linkplain
 * Throwable#getSuppressed() suppressed} on it, and so is one of these, which {@link
 * #historyOf(Throwable)} finds. It is thrown itself only for a final 4xx or 5xx response when the
 * policy opted in with {@link RetryPolicy.Builder#throwOnFailureStatus(boolean)}; {@link
 * #lastStatus()} then holds the code. See docs/semantics/engine.md, "What a failed call throws".
 *
 * <pre>{@code
 * } catch (SocketTimeoutException e) {
 *   log.warn("timed out after {} attempts", RetriesExhaustedException.historyOf(e).size(), e);
 * }
 * }</pre>
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

  /**
   * The history of the call that ended with {@code failure}: that of {@code failure} itself if it
   * is a {@code RetriesExhaustedException}, else that of the one Stoic added to it as suppressed;
   * empty for an exception that did not end a call through Stoic.
   */
  public static List<RetryEvent> historyOf(Throwable failure) {
    if (failure instanceof RetriesExhaustedException) {
      return ((RetriesExhaustedException) failure).history;
    }
    if (failure == null) return List.of();
    for (Throwable suppressed : failure.getSuppressed()) {
      if (suppressed instanceof RetriesExhaustedException) {
        return ((RetriesExhaustedException) suppressed).history;
      }
    }
    return List.of();
  }
}
