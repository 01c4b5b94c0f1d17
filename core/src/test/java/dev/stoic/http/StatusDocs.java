package dev.stoic.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the status-code documentation page, {@code docs/status-codes.md}, from {@link
 * StatusTable#defaults()}.
 *
 * <p>Not part of the API. Run it from the repository root after changing the table:
 *
 * <pre>
 * mvn -q -B -ntp -pl core compile &amp;&amp; \
 *     java -cp core/target/classes dev.stoic.http.StatusDocs docs/status-codes.md
 * </pre>
 *
 * <p>{@code StatusDocsTest} fails while the checked-in page differs from the table. Stateless.
 */
public final class StatusDocs {
  private StatusDocs() {}

  /**
   * Writes the page to the path in {@code args[0]}, creating missing parent directories.
   *
   * @throws IOException if the file cannot be written
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: StatusDocs <output.md>");
    }
    Path target = Path.of(args[0]).toAbsolutePath();
    Path parent = target.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(target, StatusTable.defaults().toMarkdown(), StandardCharsets.UTF_8);
  }
}
