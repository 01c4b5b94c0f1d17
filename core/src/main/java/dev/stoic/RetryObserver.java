package dev.stoic;

/**
 * Watches logical calls as they run, for metrics and tracing: Stoic asks it for a {@link
 * CallObserver} as each call starts, then tells that observer about the call's attempts, waits and
 * end. The full way to watch calls; a {@link RetryListener} is the simple way, told the same
 * decisions as one {@link RetryEvent} per attempt.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder()
 *     .observer(StoicMetrics.create(meterRegistry))   // stoic-micrometer
 *     .observer(StoicTracing.create(openTelemetry))   // stoic-opentelemetry
 *     .build();
 * }</pre>
 *
 * <p>A policy without observers costs nothing for them: no observer object is made and no event
 * is built on a call's success path. Implementations must be thread-safe; an exception they throw
 * is logged and otherwise ignored.
 */
@FunctionalInterface
public interface RetryObserver {
  /**
   * A logical call starts, on the thread that started it, before its first attempt and before any
   * throttle wait.
   *
   * @return the observer of this one call, or {@link CallObserver#NONE} to leave it unwatched
   */
  CallObserver callStarted(ObservedCall call);
}
