package dev.stoic;

import dev.stoic.http.ServerHints;

/**
 * Paces attempts on the client side, before the server has to say 429: the one extension point
 * through which client-side rate limiting (for example the {@code stoic-resilience4j} module's
 * adaptive limiter) works from every adapter.
 *
 * <p>Before each attempt the executor asks for a permit and waits as told, synchronously or by
 * scheduling, counting the wait against the deadline; after each response it reports the status
 * and the response's parsed hints so the throttle can adapt. Implementations must be thread-safe
 * and must not block.
 */
public interface Throttle {
  /**
   * Reserves a permit for one attempt to {@code host}.
   *
   * @return nanoseconds to wait before sending (0 to send now), or a negative value when no
   *     permit can be had in reasonable time; the call then fails with {@link ThrottledException}
   */
  long reserveNanos(String host);

  /**
   * Reports a response from {@code host}. {@code hints} are parsed on first read and shared with
   * the decision, so reading them costs one parse per response at most.
   */
  default void onResponse(String host, int status, ServerHints hints) {}
}
