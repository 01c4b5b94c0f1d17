package dev.stoic.spring;

import dev.stoic.RetryPolicy;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Checks the {@code stoic.*} keys as soon as Boot has read every property source, before any bean
 * is made, so a bad key fails startup with one report rather than a chain of bean creation
 * failures. The auto-configuration reads the keys again for the contexts Boot makes without this
 * step (tests' context runners). Registered in {@code META-INF/spring.factories}.
 *
 * <pre>{@code
 * STOIC_MAX_ATEMPTS=7 java -jar app.jar   # APPLICATION FAILED TO START, naming the variable
 * }</pre>
 */
class StoicEnvironmentCheck implements EnvironmentPostProcessor, Ordered {
  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    if ("false".equalsIgnoreCase(environment.getProperty("stoic.spring.enabled"))) return;
    String excluded = environment.getProperty("spring.autoconfigure.exclude", "");
    if (excluded.contains(StoicAutoConfiguration.class.getName())) return;
    StoicEnvironment.read(environment).routes(RetryPolicy.defaults());
  }

  /** After every other post-processor: the property sources are all there. */
  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
