package dev.stoic.spi;

import dev.stoic.LivePolicy;
import dev.stoic.RetryPolicy;
import dev.stoic.RetryRoutes;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Where an adapter gets Stoic's engine: a {@link Router} for the policy or routes its client was
 * built with, kept for the client's life.
 *
 * <pre>{@code
 * private final Router router = Adapters.router(policy);
 * }</pre>
 */
public final class Adapters {
  /** Contract version: raised when a type of this package changes incompatibly. */
  public static final int SPI_VERSION = 2;

  private static final EngineProvider ENGINE = load();

  private Adapters() {}

  /** A router for a client built with one policy: every call follows it and spends its budget. */
  public static Router router(RetryPolicy policy) {
    Objects.requireNonNull(policy, "policy == null");
    return ENGINE.router(RetryRoutes.builder().otherwise(policy).build());
  }

  /** A router for a client built with routes: they share the routes' budget. */
  public static Router router(RetryRoutes routes) {
    Objects.requireNonNull(routes, "routes == null");
    return ENGINE.router(routes);
  }

  /**
   * A router for a client following {@code live}: each call takes the routes current when the
   * adapter routes it and keeps their policy to its last attempt. Adapters route once per call.
   */
  public static Router router(LivePolicy live) {
    Objects.requireNonNull(live, "live == null");
    return ENGINE.router(live);
  }

  private static EngineProvider load() {
    for (EngineProvider provider :
        ServiceLoader.load(EngineProvider.class, EngineProvider.class.getClassLoader())) {
      return provider;
    }
    throw new IllegalStateException("Stoic's engine is missing: dev.stoic.engine.Engine is not"
        + " registered as a dev.stoic.spi.EngineProvider (a repackaged jar that dropped"
        + " META-INF/services?)");
  }
}
