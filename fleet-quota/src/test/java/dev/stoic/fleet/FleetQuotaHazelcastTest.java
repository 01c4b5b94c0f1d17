package dev.stoic.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import dev.stoic.http.ServerHints;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Instances on an embedded Hazelcast cluster of three real members share what the server told
 * one of them. Runs in the default build: Hazelcast is a jar.
 */
@Timeout(120)
class FleetQuotaHazelcastTest {
  private static final String HOST = "api.example.com";
  private static HazelcastCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new HazelcastCluster(3);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) cluster.close();
  }

  static FleetQuota.Builder on(HazelcastCluster cluster, int member, String quotaKey) {
    return FleetQuota.builder(QuotaStore.hazelcast(cluster.member(member)))
        .quotaKey(host -> quotaKey)
        .refreshInterval(Duration.ofMillis(20))
        .maxStoreWait(Duration.ofMillis(200)); // a loaded CI machine; the fault tests use less
  }

  private static FleetQuota.Builder on(int member, String quotaKey) {
    return on(cluster, member, quotaKey);
  }

  static ServerHints hints(Map<String, String> headers) {
    return ServerHints.of(name -> {
      for (Map.Entry<String, String> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) return List.of(e.getValue());
      }
      return List.of();
    }, Instant.now());
  }

  @Test
  void theFleetsCountsOfAWindowAddUpAcrossMembersAndOldOnesAreDropped() throws Exception {
    String key = QuotaStore.PREFIX + ":count-" + UUID.randomUUID();
    FleetQuota first = on(0, key).build();
    FleetQuota second = on(2, key).build();
    first.session.count(key, 7, new long[] {3, 1, 1}).get(5, TimeUnit.SECONDS);
    second.session.count(key, 7, new long[] {4, 0, 1}).get(5, TimeUnit.SECONDS);
    assertArrayEquals(new long[] {7, 1, 2}, first.session.counts(key, 7).get(5, TimeUnit.SECONDS));
    second.session.count(key, 7 + Bucket4jSession.KEPT_WINDOWS, new long[] {1, 0, 1})
        .get(5, TimeUnit.SECONDS);
    Thread.sleep(100); // the drop is not waited for
    assertArrayEquals(new long[] {0, 0, 0}, first.session.counts(key, 7).get(5, TimeUnit.SECONDS));
  }

  @Test
  void aRetryAfterToldToOneMemberHoldsAnInstanceOnAnother() throws Exception {
    String key = "hold-" + UUID.randomUUID();
    FleetQuota told = on(0, key).build();
    FleetQuota other = on(1, key).build();
    assertEquals(0, other.permitNanos(HOST, true), "nothing announced: no wait");

    told.onResponse(HOST, 429, hints(Map.of("Retry-After", "3")));

    long wait = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (wait == 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
      wait = other.permitNanos(HOST, true);
    }
    assertTrue(wait > Duration.ofMillis(2500).toNanos() && wait <= Duration.ofSeconds(3).toNanos(),
        "the other instance waits out the hold: " + wait);
  }

  @Test
  void twoInstancesOnDifferentMembersPaceToOneBucket() throws Exception {
    String key = "pace-" + UUID.randomUUID();
    FleetQuota a = on(0, key).targetUse(1).batch(5).build();
    FleetQuota b = on(2, key).targetUse(1).batch(5).build();
    a.onResponse(HOST, 200, hints(Map.of("RateLimit-Policy", "\"q\";q=50;w=1")));
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!b.hostQuota(HOST).state().paced() && System.nanoTime() < deadline) {
      b.permitNanos(HOST, true); // a refresh, due every 20 ms
      Thread.sleep(5);
    }
    assertTrue(b.hostQuota(HOST).state().paced(), "b learned the quota from the store");

    // 50 permits each, a then b, as fast as they are asked: one bucket of 50 a second for both.
    List<Long> slots = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < 50; i++) {
      for (FleetQuota quota : List.of(a, b)) {
        long now = System.nanoTime();
        slots.add(now + quota.permitNanos(HOST, true) - start);
        Thread.sleep(1); // leases arrive in the background
      }
    }
    long last = slots.stream().mapToLong(Long::longValue).max().orElseThrow();
    // Alone, each would pace its own 50 within a second; together they take two.
    assertTrue(last >= Duration.ofMillis(1700).toNanos(),
        "100 permits at 50 a second fleet-wide end after ~2 s, not 1 s: " + last / 1_000_000);
  }

  @Test
  void eightInstancesShareOneQuotaWithFewRefusals() throws Exception {
    int limit = 200;
    int windows = 6;
    FleetRun.Figures fleet;
    try (QuotaServer server = new QuotaServer(limit, 1)) {
      String key = "run-" + UUID.randomUUID();
      List<FleetQuota> throttles = new ArrayList<>();
      for (int i = 0; i < 8; i++) throttles.add(on(i % cluster.size(), key).build());
      fleet = FleetRun.run("hazelcast fleet", server, limit, throttles, 4, windows);
    }
    FleetRun.Figures alone;
    try (QuotaServer server = new QuotaServer(limit, 1)) {
      List<FleetQuota> throttles = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        throttles.add(FleetQuota.builder(QuotaStore.local()).build());
      }
      alone = FleetRun.run("each alone", server, limit, throttles, 4, windows);
    }
    FleetRun.report(fleet.toString());
    FleetRun.report(alone.toString());
    assertTrue(fleet.refusedShare() < 0.01, fleet.toString());
    // The goal is 95% (97% in steady state, the bucket's targetUse); the bound leaves room for a
    // loaded machine, where slow leases lengthen the first windows' convergence.
    assertTrue(fleet.quotaUsed() >= 0.90, fleet.toString());
    assertTrue(fleet.maxMinShare() <= 1.5, fleet.toString());
    assertTrue(alone.refusedShare() > 10 * Math.max(fleet.refusedShare(), 0.001),
        "alone, each instance meets the quota others spent: " + alone);
  }
}
