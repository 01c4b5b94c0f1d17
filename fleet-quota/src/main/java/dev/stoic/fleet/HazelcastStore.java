package dev.stoic.fleet;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.stoic.RetryClock;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.grid.hazelcast.Bucket4jHazelcast;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The shared state in two Hazelcast maps: Bucket4j's buckets, and the announced state. */
final class HazelcastStore extends QuotaStore {
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
    });
  }

  @Override
  public String toString() {
    return "QuotaStore.hazelcast(" + hazelcast.getName() + ")";
  }
}
