package dev.stoic.spi;

import java.util.concurrent.CompletionStage;

/**
 * How a synchronous call learns that its caller cancelled it. The executor checks {@link
 * #isCancelled()} before each attempt and after each failure, and a wait between attempts ends as
 * soon as {@link #signal()} completes.
 */
public interface Cancellation {
  /** For calls nothing can cancel but a thread interrupt. */
  Cancellation NEVER = () -> false;

  boolean isCancelled();

  /**
   * A stage that completes when the call is cancelled, asked for only when a wait starts; null if
   * the client has no way to say (the wait then checks {@link #isCancelled()} every few
   * milliseconds).
   */
  default CompletionStage<?> signal() {
    return null;
  }
}
