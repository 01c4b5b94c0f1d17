package dev.stoic.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusDocsTest {
  private final String markdown = StatusTable.defaults().toMarkdown();

  @Test
  void checkedInPageMatchesTheTable() throws IOException {
    Path page = repositoryRoot().resolve("docs/status-codes.md");
    assertTrue(Files.isRegularFile(page), () -> page + " is missing; create it with: "
        + StatusMarkdown.REGENERATE_COMMAND);
    // Tolerate a checkout that turned \n into \r\n; any other difference is drift.
    String checkedIn = Files.readString(page, UTF_8).replace("\r\n", "\n");
    assertTrue(markdown.equals(checkedIn), () -> page + " is out of date with StatusTable ("
        + firstDifference(markdown, checkedIn) + "); regenerate it from the repository root with: "
        + StatusMarkdown.REGENERATE_COMMAND);
  }

  @Test
  void pageHasOneRowPerListedCode() {
    for (StatusEntry entry : StatusTable.defaults().entries()) {
      String row = "| " + entry.code() + " | " + entry.name() + " | `"
          + entry.retryability().name() + "` | " + entry.reason() + " |\n";
      assertTrue(markdown.contains(row), () -> "no row for " + entry.code());
    }
  }

  @Test
  void pageExplainsEveryTreatmentAndEveryUnknownClass() {
    for (Retryability retryability : Retryability.values()) {
      assertTrue(markdown.contains("| `" + retryability.name() + "` | "), retryability::name);
    }
    for (String statusClass : new String[] {"1xx", "2xx", "3xx", "4xx", "5xx"}) {
      assertTrue(markdown.contains("| " + statusClass + " | Unknown " + statusClass + " | "),
          statusClass);
    }
    assertTrue(markdown.contains("`Invalid status` and treated as `NEVER`"));
  }

  @Test
  void pageSaysItIsGeneratedAndHowToRegenerateIt() {
    assertTrue(markdown.startsWith("<!-- Generated from StatusTable.defaults().toMarkdown();"));
    assertTrue(markdown.contains("```sh\n" + StatusMarkdown.REGENERATE_COMMAND + "\n```\n"));
  }

  @Test
  void renderingIsTheSameOnEveryCall() {
    assertEquals(markdown, StatusTable.defaults().toMarkdown());
  }

  @Test
  void docsMainWritesThePageToTheGivenPath(@TempDir Path dir) throws IOException {
    Path target = dir.resolve("nested/status-codes.md");
    StatusDocs.main(new String[] {target.toString()});
    assertEquals(markdown, Files.readString(target, UTF_8));
  }

  /** Describes the first line where the two texts differ, instead of dumping whole pages. */
  private static String firstDifference(String expected, String actual) {
    String[] want = expected.split("\n", -1);
    String[] got = actual.split("\n", -1);
    for (int i = 0; i < Math.min(want.length, got.length); i++) {
      if (!want[i].equals(got[i])) {
        return "line " + (i + 1) + " should be \"" + want[i] + "\" but is \"" + got[i] + "\"";
      }
    }
    return "expected " + want.length + " lines but found " + got.length;
  }

  /** Walks up from the working directory (the module, under Maven) to the multi-module root. */
  private static Path repositoryRoot() {
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("docs")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
    }
    throw new AssertionError("no directory holding docs/ and pom.xml above " + start);
  }
}
