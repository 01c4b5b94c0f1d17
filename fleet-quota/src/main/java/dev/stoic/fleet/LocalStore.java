package dev.stoic.fleet;

import dev.stoic.RetryClock;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.local.LocalBucket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Buckets and state in this process: one instance alone. Answers at once. */
final class LocalStore extends QuotaStore {
  @Override
  StoreSession open(RetryClock clock) {
    return new StoreSession() {
      private final Map<String, LocalBucket> buckets = new ConcurrentHashMap<>();
      private final Map<String, Long> versions = new ConcurrentHashMap<>();
      private final Map<String, FleetState> states = new ConcurrentHashMap<>();
      private final Map<String, long[]> counts = new ConcurrentHashMap<>();

      @Override
      public CompletableFuture<Long> reserve(String key, long tokens, Pace pace) {
        LocalBucket bucket = buckets.computeIfAbsent(key, k -> Bucket.builder()
            .addLimit(pace.configuration().getBandwidths()[0])
            .withCustomTimePrecision(Bucket4jSession.timeMeter(clock))
            .build());
        synchronized (bucket) {
          if (versions.getOrDefault(key, pace.version()) < pace.version()) {
            bucket.replaceConfiguration(pace.configuration(), TokensInheritanceStrategy.AS_IS);
          }
          versions.put(key, pace.version());
          return CompletableFuture.completedFuture(bucket.consumeIgnoringRateLimits(tokens));
        }
      }

      @Override
      public CompletableFuture<Void> restart(String key, Pace pace) {
        LocalBucket bucket = buckets.get(key);
        if (bucket != null) bucket.reset();
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public CompletableFuture<FleetState> read(String key) {
        return CompletableFuture.completedFuture(states.getOrDefault(key, FleetState.NONE));
      }

      @Override
      public CompletableFuture<Void> count(String key, long window, long[] added) {
        long[] totals = counts.computeIfAbsent(key + ":" + window, k -> new long[3]);
        synchronized (totals) {
          for (int i = 0; i < 3; i++) totals[i] += added[i];
        }
        counts.remove(key + ":" + (window - Bucket4jSession.KEPT_WINDOWS));
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public CompletableFuture<long[]> counts(String key, long window) {
        long[] totals = counts.getOrDefault(key + ":" + window, new long[3]);
        synchronized (totals) {
          return CompletableFuture.completedFuture(totals.clone());
        }
      }

      @Override
      public CompletableFuture<Void> write(String key, FleetState state, long ttlMillis) {
        states.put(key, state);
        return CompletableFuture.completedFuture(null);
      }
    };
  }

  @Override
  public String toString() {
    return "QuotaStore.local()";
  }
}
