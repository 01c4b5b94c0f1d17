package dev.stoic.http;

/**
 * Explains a status code in one line of plain language: its number, its name, what it means and
 * what the caller should do.
 *
 * <p>Used to describe the final failure when retries end, so that a log line or exception message
 * tells the reader more than a bare number.
 *
 * <pre>{@code
 * StatusGuide.explain(503);
 * // "503 Service Unavailable: The server cannot serve right now because of overload, ..."
 * }</pre>
 *
 * <p>Stateless and safe to use from any thread.
 */
public final class StatusGuide {
  private StatusGuide() {}

  /**
   * Returns {@code "<code> <name>: <meaning>"} for {@code code}, taken from {@link
   * StatusTable#defaults()}.
   *
   * <p>Every int has an explanation: an unlisted code in 100..599 is explained by its class (for
   * example "432 Unknown 4xx: ..."), and a code outside that range as an "Invalid status".
   */
  public static String explain(int code) {
    StatusEntry entry = StatusTable.defaults().lookup(code);
    return code + " " + entry.name() + ": " + entry.meaning();
  }
}
