package dev.stoic.fleet;

import static dev.stoic.fleet.FleetQuotaHazelcastTest.hints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A Hazelcast member stops in the middle of a run and starts again: a cluster of its own. */
@Timeout(120)
class HazelcastFaultTest {
  private static final String HOST = "api.example.com";
  private HazelcastCluster cluster;

  @BeforeEach
  void startCluster() throws Exception {
    cluster = new HazelcastCluster(3);
  }

  @AfterEach
  void stopCluster() {
    if (cluster != null) cluster.close();
  }

  private FleetQuota.Builder on(int member, String key) {
    return FleetQuotaHazelcastTest.on(cluster, member, key);
  }

  @Test
  void aMemberStopsMidRunItsInstanceGoesOnAloneTheOthersKeepSharingAndARestartedMemberSeesIt()
      throws Exception {
    String key = "outage-" + UUID.randomUUID();
    try (LogRecords logs = new LogRecords()) {
      FleetQuota onZero = on(0, key).build();
      FleetQuota onOne = on(1, key).build();
      FleetQuota onTwo = on(2, key).maxStoreWait(Duration.ofMillis(50)).build();
      onZero.onResponse(HOST, 200, hints(Map.of("RateLimit-Policy", "\"q\";q=1000;w=1")));
      for (FleetQuota quota : List.of(onOne, onTwo)) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!quota.hostQuota(HOST).state().paced() && System.nanoTime() < deadline) {
          quota.permitNanos(HOST, true);
          Thread.sleep(5);
        }
        assertTrue(quota.hostQuota(HOST).state().paced());
      }

      cluster.stop(2);
      try {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (onTwo.health.up() && System.nanoTime() < deadline) {
          long start = System.nanoTime();
          onTwo.permitNanos(HOST, true);
          assertTrue(System.nanoTime() - start < Duration.ofMillis(20).toNanos(), "never blocks");
          Thread.sleep(2);
        }
        assertFalse(onTwo.health.up(), "the instance on the stopped member paces alone");
        for (int i = 0; i < 20; i++) onTwo.permitNanos(HOST, true); // no exception, no new log
        assertEquals(1, logs.count("did not answer in time"), logs.all().toString());

        // The two left still share: a hold told on member 0 reaches member 1.
        onZero.onResponse(HOST, 429, hints(Map.of("Retry-After", "20")));
        long wait = 0;
        deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (wait < Duration.ofMillis(2000).toNanos() && System.nanoTime() < deadline) {
          Thread.sleep(5);
          wait = onOne.permitNanos(HOST, true);
        }
        assertTrue(wait >= Duration.ofMillis(2000).toNanos(), "shared on the two left: " + wait);
      } finally {
        cluster.restart(2);
      }
      // A new instance on the restarted member reads the hold the cluster kept in its backups.
      FleetQuota restarted = on(2, key).build();
      long wait = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (wait < Duration.ofSeconds(5).toNanos() && System.nanoTime() < deadline) {
        Thread.sleep(5);
        wait = restarted.permitNanos(HOST, true);
      }
      assertTrue(wait > Duration.ofSeconds(5).toNanos(), "the restarted member sees it: " + wait);
    }
  }

}
