package dev.stoic.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The configuration metadata IDEs read covers exactly the keys of docs/configuration.md. */
class StoicMetadataTest {
  @Test
  void metadataNamesEveryDocumentedKey() throws Exception {
    String doc = Files.readString(Path.of("../docs/configuration.md"));
    Set<String> documented = new TreeSet<>();
    Matcher row = Pattern.compile("(?m)^\\| `(stoic\\.[^`]+)` \\|").matcher(doc);
    while (row.find()) {
      // Map-valued keys are one entry: stoic.status.<code> is stoic.status, routes.<name>.* is routes.
      documented.add(row.group(1).replaceAll("\\.<code>$", "").replaceAll("\\.<name>\\..*$", ""));
    }
    assertTrue(documented.size() > 20, documented.toString());

    String json;
    try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertNotNull(in, "the configuration processor wrote no metadata");
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Set<String> inMetadata = new TreeSet<>();
    Set<String> switches = new TreeSet<>();
    Matcher name = Pattern.compile("\"name\"\\s*:\\s*\"(stoic\\.[^\"]+)\"").matcher(json);
    while (name.find()) {
      if (name.group(1).startsWith("stoic.spring")) {
        switches.add(name.group(1));
      } else {
        inMetadata.add(name.group(1));
      }
    }
    assertEquals(documented, inMetadata);
    assertTrue(switches.containsAll(Set.of("stoic.spring.enabled",
        "stoic.spring.rest-client.enabled", "stoic.spring.rest-template.enabled",
        "stoic.spring.okhttp.enabled", "stoic.spring.metrics.enabled")), switches.toString());
    // The variables checked for misspellings are the switches' names as Boot binds variables.
    Set<String> variables = new TreeSet<>();
    for (String key : switches) if (key.endsWith(".enabled")) variables.add(key.toUpperCase().replace('.', '_').replace('-', '_'));
    assertEquals(variables, new TreeSet<>(StoicEnvironment.OWN_VARIABLES));
  }
}
