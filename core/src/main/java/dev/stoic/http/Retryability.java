package dev.stoic.http;

/**
 * How a response status code is treated when deciding whether to send the request again.
 *
 * <p>Every status code maps to exactly one value, through the default {@link StatusTable} or a
 * rule configured on {@code RetryPolicy.Builder}. Whether a retry actually happens also depends on
 * the attempt count, the deadline, {@code Retry-After} hints and the retry budget.
 */
public enum Retryability {
  /** 1xx, 2xx and 3xx: not a failure; the response is returned as it is and never retried. */
  PASS_THROUGH,
  /** Retried for any method: the server says it did not process the request (408, 425, 429). */
  ALWAYS,
  /**
   * Retried only when safe: the method is idempotent, or the request carries an idempotency key
   * (most 5xx, since the server may have acted before failing).
   */
  WHEN_SAFE,
  /** Retried only when the request carries an idempotency key (409: the original is in flight). */
  WITH_KEY,
  /** Retried only when the response carries a usable {@code Retry-After} hint (413). */
  WITH_RETRY_AFTER,
  /** Retried once with refreshed credentials when a credential refresher is configured (401). */
  AFTER_AUTH_REFRESH,
  /** Never retried: the request has to change before it can succeed. */
  NEVER
}
