package dev.stoic.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.LivePolicy;
import dev.stoic.RetryPolicy;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.core.env.MapPropertySource;

/** A refreshed environment swaps the live policy every client follows, or is refused whole. */
class StoicRefreshTest {
  final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(StoicAutoConfiguration.class))
      .withPropertyValues("stoic.max-attempts=3", "management.endpoints.web.exposure.include=stoic");

  /** Puts {@code keys} first in the environment and publishes Spring Cloud's change event. */
  static void refresh(org.springframework.context.ConfigurableApplicationContext context,
      Map<String, Object> keys) {
    context.getEnvironment().getPropertySources()
        .addFirst(new MapPropertySource("refreshed", keys));
    context.publishEvent(new EnvironmentChangeEvent(context, Set.copyOf(keys.keySet())));
  }

  @Test
  void aRefreshedKeySwapsTheLivePolicy() {
    runner.run(context -> {
      LivePolicy live = context.getBean(LivePolicy.class);
      assertEquals(3, live.policy().maxAttempts());

      refresh(context, Map.of("stoic.max-attempts", "5"));

      assertEquals(5, live.policy().maxAttempts());
      assertEquals(1, live.swaps());
      StoicEndpoint endpoint = context.getBean(StoicEndpoint.class);
      @SuppressWarnings("unchecked")
      Map<String, Object> otherwise = (Map<String, Object>) endpoint.stoic().get("otherwise");
      assertTrue(otherwise.toString().contains("max-attempts={value=5, set=true, source=property source 'refreshed'}"),
          otherwise.toString());
    });
  }

  @Test
  void aRefreshWithABadKeyIsRefusedWholeAndThePolicyStays() {
    runner.run(context -> {
      LivePolicy live = context.getBean(LivePolicy.class);

      refresh(context, Map.of("stoic.max-attempts", "9", "stoic.backoff.base", "soon"));

      assertEquals(3, live.policy().maxAttempts(), "nothing of the refused keys applies");
      assertEquals(0, live.swaps());
      @SuppressWarnings("unchecked")
      Map<String, Object> state = (Map<String, Object>) context.getBean(StoicEndpoint.class)
          .stoic().get("live");
      assertTrue(String.valueOf(state.get("refused")).contains("stoic.backoff.base"),
          state.toString());
    });
  }

  @Test
  void otherKeysChangingLeaveThePolicyAlone() {
    runner.run(context -> {
      refresh(context, Map.of("server.port", "9090"));
      assertEquals(0, context.getBean(LivePolicy.class).swaps());
    });
  }

  @Test
  void anApplicationsOwnRoutesAreNeverReplacedByARefresh() {
    runner.withBean(dev.stoic.RetryRoutes.class, () -> dev.stoic.RetryRoutes.builder()
            .otherwise(RetryPolicy.builder().maxAttempts(2).build()).build())
        .run(context -> {
          refresh(context, Map.of("stoic.max-attempts", "5"));
          LivePolicy live = context.getBean(LivePolicy.class);
          assertEquals(2, live.policy().maxAttempts());
          assertFalse(live.swaps() > 0);
          assertNull(live.shadowReport());
        });
  }
}
