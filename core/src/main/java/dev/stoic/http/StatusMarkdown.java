package dev.stoic.http;

/**
 * Renders a {@link StatusTable} as the Markdown page checked in at {@code docs/status-codes.md}.
 *
 * <p>The output depends only on the table, uses {@code \n} line endings whatever the platform, and
 * escapes {@code |} inside table cells. Stateless; safe for any thread.
 */
final class StatusMarkdown {
  /** Rebuilds {@code docs/status-codes.md}; run from the repository root. */
  static final String REGENERATE_COMMAND =
      "mvn -q -B -ntp -pl core test-compile && java -cp core/target/classes:core/target/test-classes"
          + " dev.stoic.http.StatusDocs docs/status-codes.md";

  private StatusMarkdown() {}

  static String render(StatusTable table) {
    StringBuilder out = new StringBuilder(16 * 1024);
    out.append("<!-- Generated from StatusTable.defaults().toMarkdown(); do not edit by hand."
        + " Regenerate from the repository root with: ").append(REGENERATE_COMMAND).append(" -->\n")
        .append('\n')
        .append("# HTTP status codes and retries\n")
        .append('\n')
        .append("Stoic decides what to do with each response from its status code, using the"
            + " default table in `dev.stoic.http.StatusTable`. This page is generated from that"
            + " table, so it cannot drift from what the library does. Do not edit it by hand;"
            + " regenerate it from the repository root with:\n")
        .append('\n')
        .append("```sh\n").append(REGENERATE_COMMAND).append("\n```\n")
        .append('\n')
        .append("## Treatments\n")
        .append('\n')
        .append("Every status code maps to one `Retryability` value:\n")
        .append('\n')
        .append("| Treatment | What happens |\n")
        .append("|---|---|\n");
    for (Retryability retryability : Retryability.values()) {
      row(out, "`" + retryability.name() + "`", describe(retryability));
    }
    out.append('\n')
        .append("A treatment says whether a retry is allowed. Whether one happens also depends on"
            + " the attempt limit, the deadline, `Retry-After` hints and the retry budget, and a"
            + " policy can override single codes with `retryOnStatus` and `neverRetryStatus`.\n")
        .append('\n')
        .append("## Listed codes\n")
        .append('\n')
        .append("| Code | Name | Treatment | Reason |\n")
        .append("|---:|---|---|---|\n");
    for (StatusEntry entry : table.entries()) {
      row(out, Integer.toString(entry.code()), entry.name(),
          "`" + entry.retryability().name() + "`", entry.reason());
    }
    out.append('\n')
        .append("## Unknown codes\n")
        .append('\n')
        .append("A code in ").append(UnknownStatuses.MIN_CODE).append("..")
        .append(UnknownStatuses.MAX_CODE)
        .append(" that the table does not list takes the treatment of its class:\n")
        .append('\n')
        .append("| Class | Name | Treatment | Reason |\n")
        .append("|---|---|---|---|\n");
    for (int statusClass = 1; statusClass <= 5; statusClass++) {
      StatusEntry entry = UnknownStatuses.byClass(statusClass * 100);
      row(out, statusClass + "xx", entry.name(),
          "`" + entry.retryability().name() + "`", entry.reason());
    }
    StatusEntry invalid = UnknownStatuses.invalid(0);
    out.append('\n')
        .append("Any other code is reported as `").append(invalid.name())
        .append("` and treated as `").append(invalid.retryability().name()).append("`: ")
        .append(invalid.reason()).append(".\n");
    return out.toString();
  }

  /*
   * A switch expression with no default: adding a Retryability value fails compilation here
   * until the page explains it.
   */
  private static String describe(Retryability retryability) {
    return switch (retryability) {
      case PASS_THROUGH -> "Not a failure. The response goes back to the caller as it is and is"
          + " never retried; following redirects and reading interim responses is the HTTP"
          + " client's job.";
      case ALWAYS -> "Retried for any method, POST included: the server says it did not process"
          + " the request.";
      case WHEN_SAFE -> "Retried only when repeating is safe: the method is idempotent (GET, HEAD,"
          + " OPTIONS, TRACE, PUT, DELETE) or the request carries an idempotency key.";
      case WITH_KEY -> "Retried only when the request carries an idempotency key.";
      case WITH_RETRY_AFTER -> "Retried only when the response carries a usable `Retry-After`"
          + " hint.";
      case AFTER_AUTH_REFRESH -> "Retried once with fresh credentials when an auth-refresh hook is"
          + " configured; otherwise never.";
      case NEVER -> "Never retried: the request has to change before it can succeed.";
    };
  }

  private static void row(StringBuilder out, String... cells) {
    out.append('|');
    for (String cell : cells) {
      out.append(' ').append(cell.replace("|", "\\|")).append(" |");
    }
    out.append('\n');
  }
}
