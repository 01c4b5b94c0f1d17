package dev.stoic.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.RetryPolicy;
import dev.stoic.RetryRoutes;
import dev.stoic.http.Retryability;
import dev.stoic.okhttp.StoicCallFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateCustomizer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Startup with bad keys fails naming each, from any property source, environment variables
 * included; each part can be switched off.
 */
class StoicStartupTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(StoicAutoConfiguration.class));

  private static String rootMessage(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null) t = t.getCause();
    return t.getMessage();
  }

  @Test
  void badValueFailsStartupNamingTheKey() {
    runner.withPropertyValues("stoic.max-attempts=0").run(context -> {
      assertNotNull(context.getStartupFailure());
      String message = rootMessage(context.getStartupFailure());
      assertTrue(message.contains("stoic.max-attempts"), message);
      assertTrue(message.contains("1 to 100"), message);
    });
  }

  @Test
  void unknownKeyFailsStartupNamingIt() {
    runner.withPropertyValues("stoic.max-atempts=3").run(context -> {
      String message = rootMessage(context.getStartupFailure());
      assertTrue(message.contains("stoic.max-atempts"), message);
    });
  }

  @Test
  void badRouteValueNamesTheRouteKey() {
    runner.withPropertyValues(
            "stoic.routes.pay.host=pay.example", "stoic.routes.pay.backoff.base=500")
        .run(context -> {
          String message = rootMessage(context.getStartupFailure());
          assertTrue(message.contains("stoic.routes.pay.backoff.base"), message);
        });
  }

  @Test
  void goodPropertiesMakeTheRoutes() {
    runner.withPropertyValues("stoic.max-attempts=2", "stoic.routes.pay.host=pay.example",
            "stoic.routes.pay.max-attempts=6")
        .run(context -> {
          RetryRoutes routes = context.getBean(RetryRoutes.class);
          assertEquals(2, routes.policyFor("other.example", "/").maxAttempts());
          assertEquals(6, routes.policyFor("pay.example", "/").maxAttempts());
        });
  }

  /** A context whose environment variables are {@code variables} (above every other source). */
  private ApplicationContextRunner withVariables(Map<String, Object> variables) {
    return runner.withInitializer(context -> context.getEnvironment().getPropertySources()
        .addFirst(new SystemEnvironmentPropertySource("test-variables", variables)));
  }

  private static StoicConfigurationException failure(AssertableApplicationContext context) {
    Throwable failure = context.getStartupFailure();
    assertNotNull(failure, "startup should have failed");
    Throwable t = failure;
    while (t != null && !(t instanceof StoicConfigurationException)) t = t.getCause();
    assertNotNull(t, () -> "no StoicConfigurationException in " + failure);
    return (StoicConfigurationException) t;
  }

  @Test
  void anEnvironmentVariableSetsAKeyNoFileNames() {
    withVariables(Map.of("STOIC_BACKOFF_BASE", "100ms", "STOIC_ROUTES_PAY_HOST", "pay.example",
            "STOIC_ROUTES_PAY_MAXATTEMPTS", "6"))
        .run(context -> {
          RetryRoutes routes = context.getBean(RetryRoutes.class);
          assertEquals(Duration.ofMillis(100), routes.policyFor("other.example", "/").backoff().base());
          assertEquals(6, routes.policyFor("pay.example", "/").maxAttempts());
        });
  }

  @Test
  void anEnvironmentVariableOverridesTheSameKeyInAFile() {
    withVariables(Map.of("STOIC_MAX_ATTEMPTS", "4"))
        .withPropertyValues("stoic.max-attempts=2")
        .run(context -> assertEquals(4,
            context.getBean(RetryRoutes.class).policyFor("x", "/").maxAttempts()));
  }

  @Test
  void aMisspeltEnvironmentVariableFailsStartupNamingItAndTheOneItMeant() {
    withVariables(Map.of("STOIC_MAX_ATEMPTS", "7")).run(context -> {
      StoicConfigurationException e = failure(context);
      assertEquals(1, e.problems().size(), e.getMessage());
      StoicConfigurationException.Problem problem = e.problems().get(0);
      assertTrue(problem.message().startsWith(
          "STOIC_MAX_ATEMPTS: unknown variable (did you mean STOIC_MAX_ATTEMPTS?)"), problem.message());
      assertEquals("environment variable STOIC_MAX_ATEMPTS", problem.origin());
    });
  }

  @Test
  void aBadValueInAnEnvironmentVariableFailsStartupNamingKeyAndVariable() {
    withVariables(Map.of("STOIC_BACKOFF_JITTER", "sometimes", "STOIC_BACKOFF_BASE", "100"))
        .run(context -> {
          StoicConfigurationException e = failure(context);
          assertEquals(2, e.problems().size(), e.getMessage());
          assertTrue(e.getMessage().contains("stoic.backoff.jitter = \"sometimes\": not one of the"
              + " values allowed; must be one of: none, full, equal, decorrelated\n    set in"
              + " environment variable STOIC_BACKOFF_JITTER"), e.getMessage());
          assertTrue(e.getMessage().contains("stoic.backoff.base = \"100\": not a duration"),
              e.getMessage());
        });
  }

  @Test
  void twoVariablesForOneKeyFailStartup() {
    withVariables(Map.of("STOIC_MAX_ATTEMPTS", "3", "STOIC_MAXATTEMPTS", "4")).run(context -> {
      StoicConfigurationException e = failure(context);
      assertTrue(e.getMessage().contains(
          "STOIC_MAX_ATTEMPTS: sets stoic.max-attempts, as STOIC_MAXATTEMPTS does; keep one"),
          e.getMessage());
    });
  }

  @Test
  void theStartersOwnSwitchesAreNotRetryKeys() {
    withVariables(Map.of("STOIC_SPRING_OKHTTP_ENABLED", "false")).run(context -> {
      assertNull(context.getStartupFailure());
      assertTrue(context.getBeansOfType(StoicCallFactory.class).isEmpty());
    });
  }

  @Test
  void aListWrittenItemByItemAsYamlWritesItIsOneKey() {
    runner.withPropertyValues("stoic.retry-on-status[0]=418", "stoic.retry-on-status[1]=420")
        .run(context -> {
          RetryPolicy policy = context.getBean(RetryRoutes.class).policyFor("x", "/");
          assertEquals(Retryability.WHEN_SAFE, policy.retryability(418));
          assertEquals(Retryability.WHEN_SAFE, policy.retryability(420));
        });
    withVariables(Map.of("STOIC_RETRY_ON_STATUS", "420"))
        .withPropertyValues("stoic.retry-on-status[0]=418")
        .run(context -> {
          RetryPolicy policy = context.getBean(RetryRoutes.class).policyFor("x", "/");
          assertEquals(Retryability.WHEN_SAFE, policy.retryability(420));
          assertEquals(RetryPolicy.defaults().retryability(418), policy.retryability(418),
              "the variable replaces the whole list");
        });
  }

  @Test
  void aMisspeltSwitchFailsStartup() {
    runner.withPropertyValues("stoic.spring.okhtp.enabled=false").run(context -> {
      StringBuilder chain = new StringBuilder();
      for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
        chain.append(t.getMessage()).append('\n');
      }
      assertTrue(chain.toString().contains("stoic.spring.okhtp.enabled"), chain.toString());
    });
    withVariables(Map.of("STOIC_SPRING_OKHTP_ENABLED", "false")).run(context ->
        assertTrue(failure(context).getMessage().contains(
            "STOIC_SPRING_OKHTP_ENABLED: unknown variable; the starter's switches are")));
  }

  @Test
  void eachClientCanBeTurnedOff() {
    runner.run(context -> {
      assertEquals(1, context.getBeansOfType(RestClientCustomizer.class).size());
      assertEquals(1, context.getBeansOfType(RestTemplateCustomizer.class).size());
      assertEquals(1, context.getBeansOfType(StoicCallFactory.class).size());
    });
    runner.withPropertyValues("stoic.spring.rest-client.enabled=false",
            "stoic.spring.rest-template.enabled=false", "stoic.spring.okhttp.enabled=false")
        .run(context -> {
          assertNotNull(context.getBean(RetryRoutes.class));
          assertTrue(context.getBeansOfType(RestClientCustomizer.class).isEmpty());
          assertTrue(context.getBeansOfType(RestTemplateCustomizer.class).isEmpty());
          assertTrue(context.getBeansOfType(StoicCallFactory.class).isEmpty());
        });
    runner.withPropertyValues("stoic.spring.enabled=false")
        .run(context -> assertFalse(context.containsBean("stoicRetryRoutes")));
  }
}
