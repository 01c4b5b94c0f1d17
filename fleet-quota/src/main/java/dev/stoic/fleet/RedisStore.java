package dev.stoic.fleet;

import dev.stoic.RetryClock;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** The shared state in Redis through one Lettuce connection: buckets and state values. */
final class RedisStore extends QuotaStore {
  /** An idle bucket is dropped this long after it would be full again: nothing is lost. */
  private static final Duration KEEP_FULL_BUCKET = Duration.ofMinutes(1);

  /** The fleet's counts of answers (Learning) expire this long after their last change. */
  private static final Duration COUNT_TTL = Duration.ofMinutes(1);

  private final StatefulRedisConnection<byte[], byte[]> connection;

  RedisStore(StatefulRedisConnection<byte[], byte[]> connection) {
    this.connection = connection;
  }

  @Override
  StoreSession open(RetryClock clock) {
    AsyncProxyManager<String> buckets = Bucket4jLettuce.casBasedBuilder(connection)
        .clientClock(Bucket4jSession.timeMeter(clock))
        .expirationAfterWrite(
            ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_FULL_BUCKET))
        .build()
        .asAsync()
        .withMapper(RedisStore::bytes);
    RedisAsyncCommands<byte[], byte[]> commands = connection.async();
    return new Bucket4jSession(buckets, new Bucket4jSession.StateValues() {
      @Override
      public CompletableFuture<String> get(String key) {
        return commands.get(bytes(key)).toCompletableFuture()
            .thenApply(value -> value == null ? null : new String(value, StandardCharsets.UTF_8));
      }

      @Override
      public CompletableFuture<Void> set(String key, String value, long ttlMillis) {
        return commands.set(bytes(key), bytes(value), SetArgs.Builder.px(ttlMillis))
            .toCompletableFuture().thenApply(ok -> null);
      }

      @Override
      public CompletableFuture<Long> add(String key, long delta) {
        CompletableFuture<Long> sum = commands.incrby(bytes(key), delta).toCompletableFuture();
        commands.pexpire(bytes(key), COUNT_TTL.toMillis()); // pipelined: no wait for it
        return sum;
      }

      @Override
      public void forget(String key) {
        commands.del(bytes(key));
      }
    });
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "QuotaStore.redis";
  }
}
