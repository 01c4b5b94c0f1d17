package dev.stoic;

/**
 * Receives one {@link RetryEvent} per attempt of every logical call.
 *
 * <pre>{@code
 * RetryPolicy.builder().listener(event -> log.info(event.toString())).build();
 * }</pre>
 *
 * <p>Called on the thread that finished the attempt; it must be fast and thread-safe. An exception
 * thrown by a listener is logged and otherwise ignored: observing a call never changes it.
 */
@FunctionalInterface
public interface RetryListener {
  void onEvent(RetryEvent event);
}
