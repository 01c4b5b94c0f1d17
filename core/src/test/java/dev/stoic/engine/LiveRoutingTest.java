package dev.stoic.engine;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.stoic.Hedging;
import dev.stoic.LivePolicy;
import dev.stoic.RetryPolicy;
import dev.stoic.spi.Adapters;
import dev.stoic.spi.Router;
import org.junit.jupiter.api.Test;

/** What the engine's live routing carries over a swap. */
class LiveRoutingTest {
  static RetryPolicy.Builder policy(int maxAttempts) {
    return RetryPolicy.builder().maxAttempts(maxAttempts);
  }

  @Test
  void aSwapKeepsTheHedgeLatenciesOfEqualHedging() {
    Hedging hedging = Hedging.atPercentile(0.9);
    LivePolicy live = LivePolicy.of(policy(3).hedging(hedging).build());
    Router router = Adapters.router(live);
    HedgeDelays before = latencies(router);

    live.set(policy(4).hedging(Hedging.atPercentile(0.9)).build());
    assertSame(before, latencies(router), "equal hedging: the window stays");

    live.set(policy(4).hedging(Hedging.atPercentile(0.95)).build());
    assertNotSame(before, latencies(router));
  }

  /** The hedge latencies of the router's current executor. */
  static HedgeDelays latencies(Router router) {
    return ((RetryExecutor) router.route(null, "h", "/")).hedgeDelays;
  }

}
