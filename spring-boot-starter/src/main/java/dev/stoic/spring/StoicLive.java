package dev.stoic.spring;

import dev.stoic.LivePolicy;
import dev.stoic.RetryPolicy;
import org.springframework.core.env.Environment;

/**
 * The starter's live policy and what it was read from: the {@code stoic.*} keys now in force and,
 * after a refresh whose keys were refused, why. A refresh re-reads the environment's keys over the
 * same base policy (observers and the starter's own parts) that startup used; a refused refresh
 * leaves the policy as it was. An application that defines its own {@code RetryRoutes} bean owns
 * its policy: nothing here changes it ({@code base} is null).
 *
 * <p>Thread-safe.
 */
final class StoicLive {
  private static final System.Logger LOG = System.getLogger("dev.stoic.spring");

  final LivePolicy live;
  /** The policy the keys apply over; null when the application's own routes are live. */
  private final RetryPolicy base;
  private volatile StoicEnvironment keys;
  private volatile String refused;
  private volatile int refreshes;

  StoicLive(LivePolicy live, RetryPolicy base, StoicEnvironment keys) {
    this.live = live;
    this.base = base;
    this.keys = keys;
  }

  /** The keys in force, with where each was set. */
  StoicEnvironment keys() {
    return keys;
  }

  /** Why the last refresh was refused, every problem named; null if it was applied. */
  String refused() {
    return refused;
  }

  /** How many refreshes were applied. */
  int refreshes() {
    return refreshes;
  }

  /** Re-reads {@code environment}'s keys and swaps the live policy to them, or keeps it. */
  synchronized void refresh(Environment environment) {
    if (base == null) return;
    StoicEnvironment read = StoicEnvironment.read(environment);
    try {
      live.set(read.routes(base));
    } catch (StoicConfigurationException e) {
      refused = "the refreshed stoic.* keys were refused, the policy is unchanged: "
          + e.getMessage();
      LOG.log(System.Logger.Level.WARNING, refused);
      return;
    }
    keys = read;
    refused = null;
    refreshes++;
  }
}
