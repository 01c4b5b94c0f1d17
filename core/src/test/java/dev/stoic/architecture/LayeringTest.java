package dev.stoic.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layers show in the package tree and imports point down: each published package may import
 * only from its own package or from a lower layer, so there are no import cycles between packages.
 * Read from the sources of every published module.
 */
class LayeringTest {
  /**
   * Lowest first. The adapter contract sits on the API; the engine implements it; adapters sit on
   * the contract (never the engine) and their entry points on their internals.
   */
  static final Map<String, Integer> LAYERS = Map.ofEntries(
      Map.entry("dev.stoic.http", 0),
      // Core's bridges to what users must not call (budget accounting); imports nothing of Stoic.
      Map.entry("dev.stoic.internal", 0),
      Map.entry("dev.stoic", 1),
      Map.entry("dev.stoic.spi", 2),
      // Configuration from text: reads and writes policies and routes, which cannot import it.
      Map.entry("dev.stoic.config", 2),
      Map.entry("dev.stoic.engine", 3),
      Map.entry("dev.stoic.okhttp.internal", 4),
      Map.entry("dev.stoic.jdk.internal", 4),
      Map.entry("dev.stoic.apache.internal", 4),
      Map.entry("dev.stoic.resilience4j.internal", 4),
      Map.entry("dev.stoic.okhttp", 5),
      Map.entry("dev.stoic.jdk", 5),
      Map.entry("dev.stoic.webclient", 5),
      Map.entry("dev.stoic.apache", 5),
      Map.entry("dev.stoic.resilience4j", 5),
      // The fleet-wide quota is a Throttle on the public SPI; it needs no engine.
      Map.entry("dev.stoic.fleet", 5),
      Map.entry("dev.stoic.micrometer", 5),
      Map.entry("dev.stoic.opentelemetry", 5),
      // The starter wires the adapters and meters together, so it sits above them.
      Map.entry("dev.stoic.spring", 6));

  static final List<String> MODULES =
      List.of("core", "okhttp-interceptor", "jdk-httpclient-adapter", "webclient-adapter",
          "apache-httpclient-adapter", "resilience4j", "micrometer", "opentelemetry", "spring-boot-starter", "fleet-quota");

  private static final Pattern PACKAGE = Pattern.compile("(?m)^package ([\\w.]+);");
  private static final Pattern IMPORT = Pattern.compile("(?m)^import (?:static )?(dev\\.stoic[\\w.]*)\\.[\\w*]+;");

  @Test
  void everyImportPointsToTheSamePackageOrALowerLayer() throws IOException {
    List<String> violations = new ArrayList<>();
    int files = 0;
    for (Path source : sources()) {
      files++;
      String text = Files.readString(source);
      Matcher p = PACKAGE.matcher(text);
      if (!p.find()) continue; // module-info
      String own = p.group(1);
      Integer ownLayer = LAYERS.get(own);
      if (ownLayer == null) {
        violations.add(source + ": package " + own + " has no layer");
        continue;
      }
      Matcher i = IMPORT.matcher(text);
      while (i.find()) {
        String imported = packageOf(i.group(1));
        if (imported.equals(own)) continue;
        Integer layer = LAYERS.get(imported);
        if (layer == null || layer >= ownLayer) {
          violations.add(source.getFileName() + " (" + own + ") imports " + i.group(1));
        }
      }
    }
    assertTrue(files > 50, "found the sources: " + files);
    assertEquals(List.of(), violations);
  }

  @Test
  void outsideCoreNothingImportsTheEngine() throws IOException {
    List<String> violations = new ArrayList<>();
    for (Path source : sources()) {
      if (source.toString().contains("/core/")) continue;
      if (Files.readString(source).contains("import dev.stoic.engine.")) violations.add(source.toString());
    }
    assertEquals(List.of(), violations, "adapters run calls through dev.stoic.spi only");
  }

  @Test
  void coreHasThePackagesTheDesignNames() throws IOException {
    List<String> packages = new ArrayList<>();
    for (Path source : sources()) {
      if (!source.toString().contains("core")) continue;
      Matcher p = PACKAGE.matcher(Files.readString(source));
      if (p.find() && !packages.contains(p.group(1))) packages.add(p.group(1));
    }
    packages.sort(null);
    assertEquals(List.of("dev.stoic", "dev.stoic.config", "dev.stoic.engine", "dev.stoic.http",
        "dev.stoic.internal", "dev.stoic.spi"), packages);
  }

  /** An import names a class, or a nested class: its package is the lower-case prefix. */
  private static String packageOf(String qualified) {
    String[] parts = qualified.split("\\.");
    StringBuilder pkg = new StringBuilder();
    for (String part : parts) {
      if (Character.isUpperCase(part.charAt(0))) break;
      if (pkg.length() > 0) pkg.append('.');
      pkg.append(part);
    }
    return pkg.toString();
  }

  private static List<Path> sources() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent(); // tests run in core/
    List<Path> all = new ArrayList<>();
    for (String module : MODULES) {
      try (Stream<Path> walk = Files.walk(root.resolve(module).resolve("src/main/java"))) {
        walk.filter(f -> f.toString().endsWith(".java")).forEach(all::add);
      }
    }
    return all;
  }
}
