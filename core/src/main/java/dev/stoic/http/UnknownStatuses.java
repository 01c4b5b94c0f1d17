package dev.stoic.http;

import static dev.stoic.http.Retryability.NEVER;
import static dev.stoic.http.Retryability.PASS_THROUGH;
import static dev.stoic.http.Retryability.WHEN_SAFE;

/**
 * Entries for status codes the {@link StatusTable} does not list: unknown codes in 100..599 take
 * the treatment of their class (first digit), and anything else is an invalid status.
 *
 * <p>The class treatments follow the product design: an unknown 1xx, 2xx or 3xx passes through,
 * an unknown 4xx is never retried, an unknown 5xx is retried when safe. Stateless; safe for any
 * thread.
 */
final class UnknownStatuses {
  static final int MIN_CODE = 100;
  static final int MAX_CODE = 599;

  static final String INVALID_NAME = "Invalid status";

  private UnknownStatuses() {}

  /**
   * Returns the class entry for {@code code}, named for example "Unknown 4xx".
   *
   * @throws IllegalArgumentException if {@code code} is outside 100..599
   */
  static StatusEntry byClass(int code) {
    if (code < MIN_CODE || code > MAX_CODE) {
      throw new IllegalArgumentException(
          "status outside " + MIN_CODE + ".." + MAX_CODE + ": " + code);
    }
    int statusClass = code / 100;
    String name = "Unknown " + statusClass + "xx";
    return switch (statusClass) {
      case 1 -> new StatusEntry(code, name, PASS_THROUGH,
          "an unlisted interim response; the HTTP client waits for the final one",
          "An informational code this table does not list. HTTP clients treat it as interim"
              + " and wait for the final response.");
      case 2 -> new StatusEntry(code, name, PASS_THROUGH,
          "an unlisted success code is still a success",
          "A success code this table does not list. Treat the request as having succeeded.");
      case 3 -> new StatusEntry(code, name, PASS_THROUGH,
          "an unlisted redirect is left to the HTTP client's redirect handling",
          "A redirect code this table does not list. Leave it to the client's redirect"
              + " handling, or read the Location header yourself.");
      case 4 -> new StatusEntry(code, name, NEVER,
          "a client error: the request must change before it can succeed",
          "A client error code this table does not list: the server rejected the request."
              + " Read the response body and change the request before sending it again.");
      default -> new StatusEntry(code, name, WHEN_SAFE,
          "a server failure that may pass, but the server may have acted; safe only for"
              + " idempotent or keyed requests",
          "A server error code this table does not list. It may be transient; repeat only"
              + " requests that are safe to repeat.");
    };
  }

  /** Returns the entry for a code outside 100..599, which HTTP gives no meaning. */
  static StatusEntry invalid(int code) {
    return new StatusEntry(code, INVALID_NAME, NEVER,
        "outside 100..599, so it carries no HTTP meaning to act on",
        "The server sent a status code outside the range HTTP defines (100 to 599), so"
            + " nothing can be concluded from it. Check the server or any proxy in between.");
  }
}
