package dev.stoic.opentelemetry;

import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import io.opentelemetry.api.common.AttributeKey;
import java.util.Set;

/**
 * The attributes Stoic sets: the HTTP conventions' own names where they apply, {@code stoic.*}
 * for what only a retry layer knows. Times are milliseconds, with their fraction.
 */
final class Keys {
  // From OpenTelemetry's HTTP semantic conventions (stable).
  static final AttributeKey<String> METHOD = stringKey("http.request.method");
  static final AttributeKey<String> METHOD_ORIGINAL = stringKey("http.request.method_original");
  static final AttributeKey<String> SERVER_ADDRESS = stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = longKey("server.port");
  static final AttributeKey<String> URL = stringKey("url.full");
  static final AttributeKey<Long> STATUS_CODE = longKey("http.response.status_code");
  static final AttributeKey<Long> RESEND_COUNT = longKey("http.request.resend_count");
  static final AttributeKey<String> ERROR_TYPE = stringKey("error.type");

  // Stoic's own.
  /** The attempt's number, 1 for the first; on the call's span, how many attempts went out. */
  static final AttributeKey<Long> ATTEMPT = longKey("stoic.attempt");
  /** True on an attempt that went out as a hedge, beside another still running. */
  static final AttributeKey<Boolean> HEDGE = booleanKey("stoic.hedge");
  static final AttributeKey<Long> ATTEMPTS = longKey("stoic.attempts");
  /** What Stoic decided: {@code return}, {@code retry} or {@code give_up}. */
  static final AttributeKey<String> ACTION = stringKey("stoic.action");
  /** The call's end: {@code success} or {@code failure}. */
  static final AttributeKey<String> OUTCOME = stringKey("stoic.outcome");
  /** Why, in one word: a {@code Decision.Cause} in lower case. */
  static final AttributeKey<String> REASON = stringKey("stoic.reason");
  /** Why, in a sentence; never a header value or a secret. */
  static final AttributeKey<String> REASON_MESSAGE = stringKey("stoic.reason.message");
  static final AttributeKey<Double> DURATION_MS = doubleKey("stoic.duration_ms");
  /** The wait decided before the next attempt, or the throttle's wait. */
  static final AttributeKey<Double> WAIT_MS = doubleKey("stoic.wait_ms");
  /** The part of {@link #WAIT_MS} a server hint added beyond the backoff. */
  static final AttributeKey<Double> HINTED_WAIT_MS = doubleKey("stoic.hinted_wait_ms");
  /** On the call's span: all waits together, retries' and the throttle's. */
  static final AttributeKey<Double> TOTAL_WAIT_MS = doubleKey("stoic.total_wait_ms");
  /** Requests the client re-sent on its own within the attempt, where it shows them. */
  static final AttributeKey<Long> CLIENT_RESENDS = longKey("stoic.client.resends");

  /** The methods HTTP defines (RFC 9110 and PATCH); the conventions call others {@code _OTHER}. */
  static final Set<String> KNOWN_METHODS = Set.of(
      "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

  private Keys() {}
}
