package dev.stoic;

/**
 * A logical call as a {@link RetryObserver} sees it when it starts: its method, its host and its
 * URL, redacted.
 *
 * <pre>{@code
 * RetryObserver observer = call -> {
 *   log.debug("calling " + call.method() + " " + call.url());
 *   return CallObserver.NONE;
 * };
 * }</pre>
 *
 * <p>The URL is redacted when first asked for, so an observer that never reads it (metrics) costs
 * the call nothing for it. Valid for the call's lifetime; safe to read from any thread.
 */
public interface ObservedCall {
  /** The request method as sent; case matters. */
  String method();

  /** The host the retry budget and the throttle are kept for. */
  String host();

  /**
   * The request URL without user-info, with secret query parameters masked, as the policy's
   * {@link Redaction} says.
   */
  String url();
}
