package dev.stoic.fleet;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.stoic.RetryClock;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.grid.hazelcast.Bucket4jHazelcast;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The shared state in two Hazelcast maps: Bucket4j's buckets, and the announced state. */
final class HazelcastStore extends QuotaStore {
  /** A bucket used as a counter: empty at first, one token a century. */
  private static final CompletableFuture<BucketConfiguration> COUNTER =
      CompletableFuture.completedFuture(BucketConfiguration.builder()
          .addLimit(limit -> limit.capacity(1L << 50)
              .refillIntervally(1, Duration.ofDays(36_500)).initialTokens(0))
          .build());

  private final HazelcastInstance hazelcast;

  HazelcastStore(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
  }

  @Override
  StoreSession open(RetryClock clock) {
    IMap<String, byte[]> bucketMap = hazelcast.getMap(PREFIX + "-buckets");
    IMap<String, String> stateMap = hazelcast.getMap(PREFIX + "-state");
    AsyncProxyManager<String> buckets = Bucket4jHazelcast.entryProcessorBasedBuilder(bucketMap)
        .clientClock(Bucket4jSession.timeMeter(clock))
        .build()
        .asAsync();
    return new Bucket4jSession(buckets, new Bucket4jSession.StateValues() {
      @Override
      public CompletableFuture<String> get(String key) {
        return stateMap.getAsync(key).toCompletableFuture();
      }

      @Override
      public CompletableFuture<Void> set(String key, String value, long ttlMillis) {
        return stateMap.setAsync(key, value, ttlMillis, TimeUnit.MILLISECONDS)
            .toCompletableFuture();
      }

      @Override
      public CompletableFuture<Long> add(String key, long delta) {
        // Hazelcast's atomic long needs an Enterprise licence (CP subsystem): the count is a
        // Bucket4j bucket that starts empty and, in practice, never refills on its own.
        AsyncBucketProxy counter = buckets.builder().build(key, () -> COUNTER);
        if (delta <= 0) return counter.getAvailableTokens();
        return counter.addTokens(delta).thenCompose(added -> counter.getAvailableTokens());
      }

      @Override
      public void forget(String key) {
        bucketMap.removeAsync(key);
      }
    });
  }

  @Override
  public String toString() {
    return "QuotaStore.hazelcast(" + hazelcast.getName() + ")";
  }
}
