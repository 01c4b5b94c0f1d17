package dev.stoic.fleet;

import dev.stoic.RetryClock;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * A session on a Bucket4j distributed backend, plus the announced state kept beside each bucket
 * by {@code read} and {@code write} functions of the store. Thread-safe.
 */
final class Bucket4jSession implements StoreSession {
  /** Write-behind functions for the state value: (key) → value, and (key, value, ttl). */
  interface StateValues {
    CompletableFuture<String> get(String key);

    CompletableFuture<Void> set(String key, String value, long ttlMillis);

    /** Adds {@code delta} to the number at {@code key}, made if missing, and answers the sum. */
    CompletableFuture<Long> add(String key, long delta);

    /** Removes the number at {@code key}, if any, without waiting. */
    void forget(String key);
  }

  /** The names of a window's counts, after the key: accepted, refused, instances. */
  private static final String[] COUNTS = {":accepted:", ":refused:", ":instances:"};
  /** How many windows' counts are kept ({@link #count}); older ones are dropped. */
  static final int KEPT_WINDOWS = 10;

  private final AsyncProxyManager<String> buckets;
  private final StateValues values;

  Bucket4jSession(AsyncProxyManager<String> buckets, StateValues values) {
    this.buckets = buckets;
    this.values = values;
  }

  @Override
  public CompletableFuture<Long> reserve(String key, long tokens, Pace pace) {
    return bucket(key, pace).consumeIgnoringRateLimits(tokens);
  }

  private AsyncBucketProxy bucket(String key, Pace pace) {
    CompletableFuture<BucketConfiguration> config =
        CompletableFuture.completedFuture(pace.configuration());
    // A newer quota's pace replaces an older one in place; the debt of reservations is kept.
    return buckets.builder()
        .withImplicitConfigurationReplacement(pace.version(), TokensInheritanceStrategy.AS_IS)
        .build(key + ":bucket", () -> config);
  }

  @Override
  public CompletableFuture<Void> restart(String key, Pace pace) {
    return bucket(key, pace).reset();
  }

  @Override
  public CompletableFuture<FleetState> read(String key) {
    return values.get(key + ":state").thenApply(FleetState::decode);
  }

  @Override
  public CompletableFuture<Void> count(String key, long window, long[] counts) {
    CompletableFuture<?>[] added = new CompletableFuture<?>[COUNTS.length];
    for (int i = 0; i < COUNTS.length; i++) {
      // Each report also drops a count of a window long past: counts are read once, soon after.
      values.forget(key + COUNTS[i] + (window - KEPT_WINDOWS));
      added[i] = counts[i] == 0 ? CompletableFuture.completedFuture(null)
          : values.add(key + COUNTS[i] + window, counts[i]);
    }
    return CompletableFuture.allOf(added);
  }

  @Override
  public CompletableFuture<long[]> counts(String key, long window) {
    CompletableFuture<Long> accepted = values.add(key + COUNTS[0] + window, 0);
    CompletableFuture<Long> refused = values.add(key + COUNTS[1] + window, 0);
    CompletableFuture<Long> instances = values.add(key + COUNTS[2] + window, 0);
    return CompletableFuture.allOf(accepted, refused, instances).thenApply(done ->
        new long[] {accepted.join(), refused.join(), instances.join()});
  }

  @Override
  public CompletableFuture<Void> write(String key, FleetState state, long ttlMillis) {
    return values.set(key + ":state", state.encode(), ttlMillis);
  }

  /**
   * Bucket4j's clock for distributed buckets: wall-clock time, as instances on different machines
   * share no monotonic clock, in nanoseconds from {@code clock} (microseconds on Linux).
   */
  static TimeMeter timeMeter(RetryClock clock) {
    return new TimeMeter() {
      @Override
      public long currentTimeNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
      }

      @Override
      public boolean isWallClockBased() {
        return true;
      }
    };
  }


}
