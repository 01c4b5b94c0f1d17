package dev.stoic.spi;

import dev.stoic.LivePolicy;
import dev.stoic.RetryRoutes;

/**
 * How {@link Adapters} finds Stoic's engine: core provides the one implementation as a service.
 * Adapters never implement or call it; they call {@link Adapters#router}.
 */
public interface EngineProvider {
  /** A router for {@code routes}, spending their budget. */
  Router router(RetryRoutes routes);

  /** A router following {@code live}: each call takes the routes current when it is routed. */
  Router router(LivePolicy live);
}
