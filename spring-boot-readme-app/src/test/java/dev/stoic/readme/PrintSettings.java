package dev.stoic.readme;

import dev.stoic.RetryRoutes;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the README's application, prints its effective Stoic settings and stops. */
public final class PrintSettings {
  private PrintSettings() {}

  public static void main(String[] args) {
    try (ConfigurableApplicationContext context = SpringApplication.run(ReadmeApp.class, args)) {
      System.out.println(context.getBean(RetryRoutes.class).describe());
    }
  }
}
