/**
 * Stoic's fleet-wide quota: a throttle whose quota state is shared by every instance through
 * Bucket4j on Hazelcast, or on Redis through Lettuce. Bring the store you use; the other's
 * libraries are not needed.
 */
module dev.stoic.fleet {
  requires transitive dev.stoic;
  requires io.github.bucket4j.core;
  requires static io.github.bucket4j.hazelcast;
  requires static com.hazelcast.core;
  requires static io.github.bucket4j.lettuce;
  requires static lettuce.core;

  exports dev.stoic.fleet;
}
