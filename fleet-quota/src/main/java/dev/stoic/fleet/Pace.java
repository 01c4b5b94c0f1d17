package dev.stoic.fleet;

import io.github.bucket4j.BucketConfiguration;
import java.time.Duration;

/**
 * The shared bucket's configuration: {@code perWindow} tokens refilled evenly over {@code
 * windowMillis}, holding at most {@code capacity} when nobody takes them; {@code version} orders
 * configurations, so that a bucket made for an older quota is reconfigured for a newer one.
 */
record Pace(long perWindow, long windowMillis, long capacity, long version) {
  /** Past this many windows a learned quota has long reached its thousandfold bound. */
  private static final long MAX_STEPS = 1000;

  /**
   * The pace for {@code quota}, aiming at {@code targetUse} of it. The bucket holds one token at
   * most: a server counting fixed windows refuses what a bucket saved up during a quiet spell or
   * a hold, when the saved tokens and the next window's arrive together.
   */
  static Pace of(FleetState quota, double targetUse, long nowMillis) {
    long steps = quota.learning() ? steps(quota, nowMillis) : 0;
    double limit = quota.learning() ? learnedLimit(quota, nowMillis) : quota.limit();
    long perWindow = Math.max(1, (long) Math.floor(limit * targetUse));
    // Each step of a learned quota is a version of its own, so that the bucket follows it.
    return new Pace(perWindow, quota.windowMillis(), 1, quota.version() + steps);
  }

  /**
   * The quota a learned one has grown to at {@code nowMillis}, before targetUse: growth% more
   * for each whole window since it was learned, up to a thousandfold. The next 429 says when it
   * went past the server's.
   */
  static double learnedLimit(FleetState quota, long nowMillis) {
    return Math.min(quota.limit() * 1000.0,
        quota.limit() * Math.pow(1 + quota.growth() / 100.0, steps(quota, nowMillis)));
  }

  private static long steps(FleetState quota, long nowMillis) {
    return Math.min(MAX_STEPS, Math.max(0, (nowMillis - quota.version()) / quota.windowMillis()));
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
