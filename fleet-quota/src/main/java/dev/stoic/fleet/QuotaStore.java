package dev.stoic.fleet;

import com.hazelcast.core.HazelcastInstance;
import dev.stoic.RetryClock;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.Objects;

/**
 * Where a {@link FleetQuota} keeps what every instance shares: a Bucket4j bucket per quota key
 * and, beside it, the quota and hold the server announced.
 *
 * <pre>{@code
 * QuotaStore onHazelcast = QuotaStore.hazelcast(hazelcastInstance);   // a member or a client
 * QuotaStore onRedis = QuotaStore.redis(
 *     RedisClient.create("redis://cache:6379").connect(ByteArrayCodec.INSTANCE));
 * QuotaStore alone = QuotaStore.local();                               // this process only
 * }</pre>
 *
 * <p>Only the library of the store you pick needs to be on the class path: Hazelcast with {@code
 * bucket4j_jdk17-hazelcast}, or Lettuce with {@code bucket4j_jdk17-lettuce}. Immutable; one store
 * may serve several throttles.
 */
public abstract class QuotaStore {
  /** The prefix of every key and map name Stoic writes, so that they are easy to find and drop. */
  static final String PREFIX = "stoic-fleet";

  QuotaStore() {}

  /**
   * Keeps the shared state in two maps of {@code hazelcast}, {@code stoic-fleet-buckets} and
   * {@code stoic-fleet-state}. Buckets change through Bucket4j's entry processor, so with a
   * client the cluster's members need {@code bucket4j_jdk17-hazelcast} on their class path (an
   * embedded member has it already).
   *
   * @throws NullPointerException if {@code hazelcast} is null
   */
  public static QuotaStore hazelcast(HazelcastInstance hazelcast) {
    return new HazelcastStore(Objects.requireNonNull(hazelcast, "hazelcast == null"));
  }

  /**
   * Keeps the shared state in Redis through {@code connection}: a bucket under {@code
   * stoic-fleet:<key>:bucket} and the announced state under {@code stoic-fleet:<key>:state}, both
   * expiring when unused. Lettuce reconnects on its own after the server restarts.
   *
   * @throws NullPointerException if {@code connection} is null
   */
  public static QuotaStore redis(StatefulRedisConnection<byte[], byte[]> connection) {
    return new RedisStore(Objects.requireNonNull(connection, "connection == null"));
  }

  /**
   * Keeps the state in this throttle only: what an instance does alone, without a fleet. For a
   * single process, for tests, and to compare with.
   */
  public static QuotaStore local() {
    return new LocalStore();
  }

  /** Connects a throttle that reads time from {@code clock}. */
  abstract StoreSession open(RetryClock clock);
}
