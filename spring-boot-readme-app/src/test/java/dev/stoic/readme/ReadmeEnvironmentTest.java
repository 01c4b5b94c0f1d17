package dev.stoic.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's application in its own JVM with real environment variables, as a container sets
 * them: read through Boot's relaxed binding, and a misspelt one fails startup with one report.
 */
class ReadmeEnvironmentTest {
  private record Run(int exitCode, String output) {}

  private static Run run(Map<String, String> variables, Class<?> main) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), main.getName(),
        "--spring.main.web-application-type=none", "--spring.main.banner-mode=off"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.toUpperCase(Locale.ROOT).startsWith("STOIC"));
    builder.environment().putAll(variables);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(process.waitFor(), output);
  }

  @Test
  void environmentVariablesSetKeysNoFileNames() throws Exception {
    Run run = run(Map.of("STOIC_BACKOFF_BASE", "100ms", "STOIC_MAX_ATTEMPTS", "6",
        "STOIC_ROUTES_PAYMENTS_HOST", "payments.example.com"), PrintSettings.class);
    assertEquals(0, run.exitCode(), run.output());
    assertTrue(run.output().contains("\nbackoff.base = 100ms (set)\n"), run.output());
    assertTrue(run.output().contains("\nmax-attempts = 6 (set)\n"), run.output());
    assertTrue(run.output().contains("\nroutes.payments.host = payments.example.com (set)\n"),
        run.output());
  }

  @Test
  void aMisspeltVariableFailsStartupWithOneReportNamingIt() throws Exception {
    Run run = run(Map.of("STOIC_MAX_ATEMPTS", "7"), ReadmeApp.class);
    assertNotEquals(0, run.exitCode(), run.output());
    String output = run.output();
    assertTrue(output.contains("APPLICATION FAILED TO START"), output);
    assertTrue(output.contains(
        "STOIC_MAX_ATEMPTS: unknown variable (did you mean STOIC_MAX_ATTEMPTS?)"), output);
    assertTrue(output.contains("set in environment variable STOIC_MAX_ATEMPTS"), output);
    assertTrue(output.contains("https://"), "a reference a jar user can open: " + output);
    assertFalse(output.contains("\tat "), "no stack trace: " + output);
    assertFalse(output.contains("Exception"), "no exception chain: " + output);
  }

  @Test
  void aBadValueInAVariableFailsStartupNamingKeyAndVariable() throws Exception {
    Run run = run(Map.of("STOIC_BACKOFF_JITTER", "sometimes"), ReadmeApp.class);
    assertNotEquals(0, run.exitCode(), run.output());
    assertTrue(run.output().contains("stoic.backoff.jitter = \"sometimes\": not one of the values"
        + " allowed; must be one of: none, full, equal, decorrelated\n"
        + "    set in environment variable STOIC_BACKOFF_JITTER"), run.output());
  }
}
