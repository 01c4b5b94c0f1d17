package dev.stoic;

import dev.stoic.http.FailureKind;
import dev.stoic.http.Retryability;
import dev.stoic.http.ServerHints;
import java.io.IOException;
import java.util.Objects;

/**
 * Paces or gates attempts on the client side, before the server has to say 429. It is the one
 * extension point through which client-side rate limiting and circuit breaking (for example the
 * {@code stoic-resilience4j} module's adaptive limiter and per-host breaker) work from every
 * adapter.
 *
 * <p>Before each attempt the executor asks for a permit and waits as told, synchronously or by
 * scheduling, counting the wait against the deadline; after each response it reports the status
 * and the response's parsed hints so the throttle can adapt, and after each attempt that got no
 * response it reports how it failed. Implementations must be thread-safe and must not block.
 */
public interface Throttle {
  /**
   * Several throttles as one: each attempt waits for a permit from every one of them (the
   * longest of their waits), and a refusal by any refuses it, letting go of the permits the
   * others gave. Responses and failures are reported to all, in order.
   *
   * <pre>{@code
   * RetryPolicy.builder().throttle(Throttle.all(fleetQuota, circuitBreaker)).build();
   * }</pre>
   *
   * @throws NullPointerException if a throttle is null
   * @throws IllegalArgumentException if the same throttle is given twice
   */
  static Throttle all(Throttle first, Throttle... more) {
    Objects.requireNonNull(first, "throttle == null");
    Objects.requireNonNull(more, "throttles == null");
    Throttle[] throttles = new Throttle[more.length + 1];
    throttles[0] = first;
    for (int i = 0; i < more.length; i++) {
      throttles[i + 1] = Objects.requireNonNull(more[i], "throttle " + (i + 2) + " == null");
    }
    for (int i = 0; i < throttles.length; i++) {
      for (int j = 0; j < i; j++) {
        if (throttles[i] == throttles[j]) {
          throw new IllegalArgumentException("throttle " + (i + 1) + " is throttle " + (j + 1)
              + " again: it would count every attempt twice");
        }
      }
    }
    return more.length == 0 ? first : new AllThrottles(throttles);
  }

  /**
   * Reserves a permit for one attempt to {@code host}.
   *
   * @return nanoseconds to wait before sending (0 to send now), or a negative value when no
   *     permit can be had in reasonable time; the call then fails with {@link ThrottledException}
   */
  long reserveNanos(String host);

  /**
   * Reserves a permit for one attempt to {@code host}, knowing whether sending the request twice
   * is harmless (an idempotent method, or an idempotency key): what a circuit breaker needs to
   * choose its probes. This is what the executor calls; the default asks {@link #reserveNanos}.
   *
   * @return as {@link #reserveNanos}
   * @throws IOException to refuse the attempt for a reason of the throttle's own, such as a
   *     {@link CircuitOpenException}: nothing is sent, and the call ends with this exception
   */
  default long permitNanos(String host, boolean safeToRepeat) throws IOException {
    return reserveNanos(host);
  }

  /**
   * Reports a response from {@code host}. {@code hints} are parsed on first read and shared with
   * the decision, so reading them costs one parse per response at most.
   */
  default void onResponse(String host, int status, ServerHints hints) {}

  /**
   * Reports a response from {@code host} with the policy's treatment of its status, so that a
   * throttle can tell a server fault from a refusal by the policy's own status table. It is
   * called once per response, as soon as its status and headers are in, and is what the executor
   * calls; the default passes the response on to {@link #onResponse(String, int, ServerHints)}.
   */
  default void onResponse(String host, int status, Retryability treatment, ServerHints hints) {
    onResponse(host, status, hints);
  }

  /**
   * Reports an attempt to {@code host} that ended without a response, classified; an attempt
   * abandoned because its call was cancelled is reported as {@link FailureKind#CANCELLED}, so
   * that whatever its permit held can be let go. A response whose body then fails to arrive is
   * reported both ways. Exceptions thrown here are logged and ignored.
   */
  default void onFailure(String host, FailureKind kind) {}

  /**
   * Asked when the policy would retry a call to {@code host} after {@code waitNanos}: a reason
   * if that attempt will be refused anyway (an open circuit), so that the call ends now with the
   * outcome it has instead of waiting; null to let the retry go ahead. The default is null.
   * Exceptions thrown here are logged and ignored.
   */
  default String refusesRetry(String host, long waitNanos, boolean safeToRepeat) {
    return null;
  }

  /**
   * Asked when a call starts waiting to retry on {@code host}: the throttle runs {@code wake}
   * whenever it starts refusing attempts to the host (a circuit opens, a hold begins), and the
   * executor then asks {@link #refusesRetry} again with the wait left; if the retry would be
   * refused, the wait ends at once and the call with it, instead of when its time runs out. The
   * executor cancels the returned handle when the wait ends. A throttle already refusing the
   * host when asked runs {@code wake} at once: it may have begun after the retry was decided.
   * {@code wake} may run on any thread, more than once; it returns at once. The default never
   * wakes.
   *
   * <pre>{@code
   * RetryClock.Cancellable watch = throttle.watchRefusals("api.example.com", wait::reconsider);
   * }</pre>
   */
  default RetryClock.Cancellable watchRefusals(String host, Runnable wake) {
    return () -> {};
  }
}
