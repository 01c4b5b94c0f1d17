package dev.stoic.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.RetryRoutes;
import dev.stoic.okhttp.StoicCallFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateCustomizer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Startup with bad properties fails naming the key; each part can be switched off. */
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
