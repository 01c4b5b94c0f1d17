package dev.stoic;

/**
 * Receives one {@link RetryEvent} per attempt of every logical call: the simple way to watch
 * calls, for logs and audits. A {@link RetryObserver} is the full way (attempt scopes, timings,
 * the call's end), for metrics and tracing; both are told the same decisions, and the client's
 * hear of every call, a route's or a request's policy adding its own beside them.
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
