package dev.stoic.config;

import dev.stoic.*;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docs/configuration.md is the schema in the code, and lists every setting. */
class ConfigDocsTest {
  private final String markdown = ConfigDocs.markdown();

  @Test
  void checkedInPageMatchesTheSettings() throws IOException {
    Path page = repositoryRoot().resolve("docs/configuration.md");
    assertTrue(Files.isRegularFile(page), () -> page + " is missing; create it with: "
        + ConfigDocs.REGENERATE_COMMAND);
    String checkedIn = Files.readString(page, UTF_8).replace("\r\n", "\n");
    assertTrue(markdown.equals(checkedIn), () -> page + " is out of date with the settings;"
        + " regenerate it from the repository root with: " + ConfigDocs.REGENERATE_COMMAND);
  }

  @Test
  void everySettingHasARow() {
    for (Setting setting : Setting.values()) {
      String row = setting.configurable() ? "| `stoic." + setting.key + "` | " + setting.type
          : "| `" + setting.key + "` | ";
      assertTrue(markdown.contains(row), setting.key);
    }
    Set<Setting> inCode = EnumSet.noneOf(Setting.class);
    for (Setting setting : Setting.values()) if (!setting.configurable()) inCode.add(setting);
    assertEquals(inCode, ConfigDocs.IN_CODE.keySet());
  }

  @Test
  void defaultsComeFromTheDefaultPolicy() {
    assertTrue(markdown.contains("| `stoic.max-attempts` | integer | 1 to 100 | `5` |\n"));
    assertTrue(markdown.contains("| `stoic.backoff.cap` | duration | backoff.base to 1d | `30s` |\n"));
    assertTrue(markdown.contains("| `clock` | `clock(...)` | `system` |\n"));
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("core/pom.xml"))) dir = dir.getParent();
    if (dir == null) throw new IllegalStateException("not inside the repository");
    return dir;
  }
}
