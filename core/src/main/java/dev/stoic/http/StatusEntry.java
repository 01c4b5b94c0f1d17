package dev.stoic.http;

import java.util.Objects;

/**
 * One row of the {@link StatusTable}: a status code, its name, how it is treated when deciding
 * on a retry, and why.
 *
 * <p>{@code reason} is a single line that justifies the {@link Retryability}; {@code meaning} is
 * one or two sentences telling a person what the code means and what to do about it, and is what
 * {@link StatusGuide} shows when retries end in failure.
 *
 * <pre>{@code
 * StatusEntry entry = StatusTable.defaults().lookup(503);
 * entry.retryability();   // WHEN_SAFE
 * entry.reason();         // why it is retried only when safe
 * }</pre>
 *
 * <p>Instances are immutable and safe to share between threads.
 *
 * @param code the status code; codes outside 100..599 appear only in synthesized "Invalid
 *     status" entries
 * @param name the reason phrase, such as {@code "Service Unavailable"}
 * @param retryability how the code is treated when deciding whether to send the request again
 * @param reason one line saying why the code gets this treatment
 * @param meaning what the code means and what the caller should do, in one or two sentences
 */
public record StatusEntry(
    int code, String name, Retryability retryability, String reason, String meaning) {

  /**
   * Validates the components.
   *
   * @throws NullPointerException if any reference component is null
   * @throws IllegalArgumentException if {@code name} or {@code reason} is blank or spans more
   *     than one line, or {@code meaning} is blank
   */
  public StatusEntry {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(retryability, "retryability == null");
    Objects.requireNonNull(reason, "reason == null");
    Objects.requireNonNull(meaning, "meaning == null");
    requireOneLine(code, "name", name);
    requireOneLine(code, "reason", reason);
    if (meaning.isBlank()) {
      throw new IllegalArgumentException("meaning is blank for status " + code);
    }
  }

  private static void requireOneLine(int code, String component, String value) {
    if (value.isBlank()) {
      throw new IllegalArgumentException(component + " is blank for status " + code);
    }
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      throw new IllegalArgumentException(
          component + " spans more than one line for status " + code + ": " + value);
    }
  }
}
