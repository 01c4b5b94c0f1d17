package dev.stoic.engine;

import dev.stoic.LivePolicy;
import dev.stoic.RetryRoutes;
import dev.stoic.spi.EngineProvider;
import dev.stoic.spi.Router;

/** The engine as {@link dev.stoic.spi.Adapters} finds it: a service of core's own. Not API. */
public final class Engine implements EngineProvider {
  @Override
  public Router router(RetryRoutes routes) {
    return new Routing(routes);
  }

  @Override
  public Router router(LivePolicy live) {
    return new LiveRouting(live);
  }
}
