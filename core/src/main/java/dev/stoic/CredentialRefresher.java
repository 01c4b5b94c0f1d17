package dev.stoic;

/**
 * Supplies fresh credentials after a 401 Unauthorized, so that the call is retried once with them.
 *
 * <pre>{@code
 * RetryPolicy.builder().credentialRefresher(() -> "Bearer " + tokens.refresh()).build();
 * }</pre>
 *
 * <p>Called at most once per logical call, on the thread that received the 401; it may block
 * briefly (for example to fetch a token). Must be thread-safe.
 */
@FunctionalInterface
public interface CredentialRefresher {
  /**
   * Returns the new {@code Authorization} header value, or null when no fresh credentials can be
   * had (the 401 is then returned to the caller).
   */
  String refreshAuthorization() throws Exception;
}
