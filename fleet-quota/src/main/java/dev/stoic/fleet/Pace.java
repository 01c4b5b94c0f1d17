package dev.stoic.fleet;

import io.github.bucket4j.BucketConfiguration;
import java.time.Duration;

/**
 * The shared bucket's configuration: {@code perWindow} tokens refilled evenly over {@code
 * windowMillis}, holding at most {@code capacity} when nobody takes them; {@code version} orders
 * configurations, so that a bucket made for an older quota is reconfigured for a newer one.
 */
record Pace(long perWindow, long windowMillis, long capacity, long version) {
  /**
   * The pace for {@code quota}, aiming at {@code targetUse} of it. The bucket holds one token at
   * most: a server counting fixed windows refuses what a bucket saved up during a quiet spell or
   * a hold, when the saved tokens and the next window's arrive together. A learned quota is
   * paced as {@link Learning#paced} says.
   */
  static Pace of(FleetState quota, double targetUse) {
    long perWindow = quota.learned() ? Learning.paced(quota)
        : Math.max(1, (long) Math.floor(quota.limit() * targetUse));
    return new Pace(perWindow, quota.windowMillis(), 1, quota.version());
  }

  /** Nanoseconds between two tokens. */
  long spacingNanos() {
    return Math.max(1, windowMillis * 1_000_000L / perWindow);
  }

  BucketConfiguration configuration() {
    return BucketConfiguration.builder()
        .addLimit(limit -> limit.capacity(capacity)
            .refillGreedy(perWindow, Duration.ofMillis(windowMillis)))
        .build();
  }
}
