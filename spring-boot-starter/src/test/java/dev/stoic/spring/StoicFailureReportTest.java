package dev.stoic.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A bad key fails a real application's startup with one report naming key, source and reference. */
@ExtendWith(OutputCaptureExtension.class)
class StoicFailureReportTest {
  /** An application with nothing but auto-configuration. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}

  private static StoicConfigurationException run(String... args) {
    SpringApplication application = new SpringApplication(App.class);
    application.setWebApplicationType(WebApplicationType.NONE);
    return assertThrows(StoicConfigurationException.class, () -> application.run(args).close());
  }

  @Test
  void aMisspeltKeyInAFilePrintsOneReportNamingTheFileAndLine(CapturedOutput output) {
    StoicConfigurationException e = run("--spring.config.location=classpath:stoic-bad.properties");
    assertEquals(1, e.problems().size(), e.getMessage());
    String printed = output.getAll();
    assertTrue(printed.contains("APPLICATION FAILED TO START"), printed);
    assertTrue(printed.contains("stoic.max-atempts: unknown key (did you mean stoic.max-attempts?)"),
        printed);
    assertTrue(printed.contains("set in class path resource [stoic-bad.properties], line 2"), printed);
    assertTrue(printed.contains(StoicConfigurationException.REFERENCE), printed);
    assertEquals(1, printed.split("max-atempts", -1).length - 1, "named once: " + printed);
    assertFalse(printed.contains("Exception"), "no stack trace, no exception chain: " + printed);
  }

  @Test
  void aBadValueOnTheCommandLineIsNamedWithItsSource(CapturedOutput output) {
    StoicConfigurationException e = run("--stoic.backoff.jitter=sometimes");
    assertEquals("stoic.backoff.jitter = \"sometimes\": not one of the values allowed; must be one"
        + " of: none, full, equal, decorrelated", e.problems().get(0).message());
    assertEquals("command-line argument --stoic.backoff.jitter", e.problems().get(0).origin());
    assertTrue(output.getAll().contains("APPLICATION FAILED TO START"), output.getAll());
  }

  @Test
  void theAnalysisNamesTheKeyItsSourceAndWhereTheKeysAreListed() {
    StoicConfigurationException e = run("--spring.config.location=classpath:stoic-bad.properties");
    FailureAnalysis analysis = new StoicFailureAnalyzer().analyze(new IllegalStateException(e));
    assertEquals("1 problem in the Stoic configuration:\n"
        + "stoic.max-atempts: unknown key (did you mean stoic.max-attempts?); the keys are listed in"
        + " docs/configuration.md\n"
        + "    set in class path resource [stoic-bad.properties], line 2",
        analysis.getDescription());
    assertTrue(analysis.getAction().endsWith(StoicConfigurationException.REFERENCE),
        analysis.getAction());
  }

  @Test
  void noCheckWhenTheStarterIsOff() {
    SpringApplication application = new SpringApplication(App.class);
    application.setWebApplicationType(WebApplicationType.NONE);
    application.run("--spring.config.location=classpath:stoic-bad.properties",
        "--stoic.spring.enabled=false").close();
  }
}
