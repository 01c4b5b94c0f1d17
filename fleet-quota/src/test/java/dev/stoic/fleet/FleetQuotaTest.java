package dev.stoic.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.testing.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The throttle's rules in virtual time, on the in-process store: exact waits. */
class FleetQuotaTest {
  private static final String HOST = "api.example.com";
  private static final long MS = 1_000_000L;

  private final VirtualClock clock = new VirtualClock();

  private FleetQuota quota(int batch) {
    return FleetQuota.builder(QuotaStore.local()).clock(clock).batch(batch).targetUse(1).build();
  }

  private static Map<String, String> headers(String... pairs) {
    Map<String, String> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) map.put(pairs[i], pairs[i + 1]);
    return map;
  }

  private List<Long> waits(FleetQuota quota, int n) throws Exception {
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < n; i++) waits.add(quota.permitNanos(HOST, true) / MS);
    return waits;
  }

  @Test
  void nothingAnnouncedMeansNoWait() throws Exception {
    FleetQuota quota = quota(5);
    assertEquals(List.of(0L, 0L, 0L), waits(quota, 3));
    quota.onResponse(HOST, 200, FleetQuotaHazelcastTest.hints(Map.of()));
    assertEquals(0, quota.permitNanos(HOST, true));
  }

  @Test
  void anAnnouncedQuotaPacesAttemptsEvenly() throws Exception {
    FleetQuota quota = quota(5);
    quota.onResponse(HOST, 200, FleetQuotaHazelcastTest.hints(
        headers("RateLimit-Policy", "\"q\";q=10;w=1", "RateLimit", "\"q\";r=9;t=1")));
    // 10 a second, one every 100 ms, asked for all at once.
    assertEquals(List.of(0L, 100L, 200L, 300L, 400L, 500L, 600L, 700L, 800L, 900L, 1000L, 1100L),
        waits(quota, 12));
  }

  @Test
  void targetUseLeavesRoomBelowTheQuota() throws Exception {
    FleetQuota quota = FleetQuota.builder(QuotaStore.local()).clock(clock).batch(4)
        .targetUse(0.5).build();
    quota.onResponse(HOST, 200, FleetQuotaHazelcastTest.hints(
        headers("RateLimit-Policy", "\"q\";q=10;w=1")));
    assertEquals(List.of(0L, 200L, 400L, 600L, 800L), waits(quota, 5));
  }

  @Test
  void a429WithRetryAfterHoldsEveryAttemptUntilThen() throws Exception {
    FleetQuota quota = quota(5);
    quota.onResponse(HOST, 429, FleetQuotaHazelcastTest.hints(headers("Retry-After", "2")));
    assertEquals(List.of(2000L, 2000L), waits(quota, 2));
    clock.sleep(Duration.ofMillis(1500));
    assertEquals(500, quota.permitNanos(HOST, true) / MS);
    clock.sleep(Duration.ofMillis(500));
    assertEquals(0, quota.permitNanos(HOST, true));
  }

  @Test
  void aShortRetryAfterWithNothingAnnouncedHoldsNoOtherAttemptAndTheRateIsLearned()
      throws Exception {
    FleetQuota quota = FleetQuota.builder(QuotaStore.local()).clock(clock).build();
    quota.onResponse(HOST, 429, FleetQuotaHazelcastTest.hints(headers("Retry-After", "1")));
    assertEquals(0, quota.permitNanos(HOST, true), "only the refused attempt waits its second");
    // A server that takes 20 a second, asked every 10 ms or as paced: it learns 20 (after a
    // window paced at four times a first measure), and then paces a fifth above it.
    Map<Long, Integer> taken = new java.util.HashMap<>();
    for (int i = 0; i < 400; i++) {
      clock.sleep(Duration.ofMillis(10));
      clock.sleep(Duration.ofNanos(quota.permitNanos(HOST, true)));
      long second = clock.instant().toEpochMilli() / 1000;
      boolean accepted = taken.merge(second, 1, Integer::sum) <= 20;
      quota.onResponse(HOST, accepted ? 200 : 429,
          FleetQuotaHazelcastTest.hints(accepted ? Map.of() : headers("Retry-After", "1")));
    }
    assertEquals(new FleetState(20, 1000, 0, quota.hostQuota(HOST).state().version(), true, true),
        quota.hostQuota(HOST).state());
    clock.sleep(Duration.ofSeconds(1));
    assertEquals(List.of(0L, 41L, 83L, 124L), waits(quota, 4), "24 a second");
  }

  @Test
  void hostsBeyondTheBoundAreLeftUnpacedAndLoggedOnce() throws Exception {
    FleetQuota quota = quota(5);
    for (int i = 0; i < FleetQuota.MAX_HOSTS; i++) quota.permitNanos("h" + i + ".example", true);
    try (LogRecords logs = new LogRecords()) {
      for (String host : List.of("h0.example", "extra.example")) {
        quota.onResponse(host, 429, FleetQuotaHazelcastTest.hints(headers("Retry-After", "2")));
      }
      assertEquals(2000, quota.permitNanos("h0.example", true) / MS, "a kept host is held");
      assertEquals(0, quota.permitNanos("extra.example", true), "a host past the bound is not");
      assertEquals(0, quota.permitNanos("extra2.example", true));
      assertEquals(1, logs.count("hosts at most"), logs.all().toString());
    }
  }

  @Test
  void a503WithRetryAfterMsHoldsToo() throws Exception {
    FleetQuota quota = quota(5);
    quota.onResponse(HOST, 503, FleetQuotaHazelcastTest.hints(headers("retry-after-ms", "250")));
    assertEquals(250, quota.permitNanos(HOST, true) / MS);
  }

  @Test
  void aRetryAfterOnAnotherStatusIsNotAHold() throws Exception {
    FleetQuota quota = quota(5);
    quota.onResponse(HOST, 301, FleetQuotaHazelcastTest.hints(headers("Retry-After", "5")));
    assertEquals(0, quota.permitNanos(HOST, true));
  }

  @Test
  void nothingRemainingHoldsUntilTheResetLessTheSecondItWasRoundedUp() throws Exception {
    FleetQuota quota = quota(5);
    quota.onResponse(HOST, 200, FleetQuotaHazelcastTest.hints(headers("RateLimit", "\"q\";r=0;t=5")));
    assertEquals(4000, quota.permitNanos(HOST, true) / MS);
  }

  @Test
  void anOlderDraftsRemainingZeroHoldsToo() throws Exception {
    FleetQuota quota = quota(5);
    quota.onResponse(HOST, 200, FleetQuotaHazelcastTest.hints(
        headers("X-RateLimit-Limit", "100", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "3")));
    assertEquals(2000, quota.permitNanos(HOST, true) / MS);
  }

  @Test
  void afterAHoldAttemptsResumePacedNotAsOneBurst() throws Exception {
    FleetQuota quota = quota(5);
    quota.onResponse(HOST, 429, FleetQuotaHazelcastTest.hints(headers(
        "Retry-After", "1", "RateLimit-Policy", "\"q\";q=10;w=1", "RateLimit", "\"q\";r=0;t=1")));
    List<Long> waits = waits(quota, 4);
    assertEquals(1000L, waits.get(0));
    for (int i = 1; i < waits.size(); i++) {
      assertTrue(waits.get(i) - waits.get(i - 1) >= 100, "paced after the hold: " + waits);
    }
  }

  @Test
  void hostsHaveQuotasOfTheirOwnUnlessMappedToOneName() throws Exception {
    FleetQuota quota = quota(5);
    quota.onResponse(HOST, 429, FleetQuotaHazelcastTest.hints(headers("Retry-After", "2")));
    assertEquals(0, quota.permitNanos("other.example.com", true));

    FleetQuota shared = FleetQuota.builder(QuotaStore.local()).clock(clock)
        .quotaKey(host -> "one-api-key-quota").build();
    shared.onResponse(HOST, 429, FleetQuotaHazelcastTest.hints(headers("Retry-After", "2")));
    assertEquals(2000, shared.permitNanos("other.example.com", true) / MS);
  }

  @Test
  void badSettingsAreRefusedNamingTheSetting() {
    FleetQuota.Builder builder = FleetQuota.builder(QuotaStore.local());
    assertMessage("batch", assertThrows(IllegalArgumentException.class, () -> builder.batch(0)));
    assertMessage("batch", assertThrows(IllegalArgumentException.class, () -> builder.batch(-3)));
    assertMessage("targetUse",
        assertThrows(IllegalArgumentException.class, () -> builder.targetUse(0)));
    assertMessage("targetUse",
        assertThrows(IllegalArgumentException.class, () -> builder.targetUse(1.01)));
    assertMessage("targetUse",
        assertThrows(IllegalArgumentException.class, () -> builder.targetUse(Double.NaN)));
    assertMessage("maxStoreWait",
        assertThrows(IllegalArgumentException.class, () -> builder.maxStoreWait(Duration.ZERO)));
    assertMessage("refreshInterval", assertThrows(IllegalArgumentException.class,
        () -> builder.refreshInterval(Duration.ofMillis(-1))));
    assertMessage("maxStoreWait",
        assertThrows(NullPointerException.class, () -> builder.maxStoreWait(null)));
    assertMessage("quotaKey", assertThrows(NullPointerException.class, () -> builder.quotaKey(null)));
    assertMessage("store", assertThrows(NullPointerException.class, () -> FleetQuota.builder(null)));
    assertMessage("hazelcast",
        assertThrows(NullPointerException.class, () -> QuotaStore.hazelcast(null)));
    assertMessage("connection",
        assertThrows(NullPointerException.class, () -> QuotaStore.redis(null)));
  }

  @Test
  void aBadQuotaKeyIsRefusedWithoutRepeatingIt() {
    String secret = "Bearer sk_live_51Hx";
    for (String key : new String[] {secret, "", "x".repeat(201), "naïve"}) {
      FleetQuota quota = FleetQuota.builder(QuotaStore.local()).quotaKey(host -> key).build();
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> quota.permitNanos(HOST, true));
      assertMessage("quotaKey", e);
      assertFalse(e.getMessage().contains("sk_live"), e.getMessage());
    }
    FleetQuota nulls = FleetQuota.builder(QuotaStore.local()).quotaKey(host -> null).build();
    assertMessage("quotaKey",
        assertThrows(IllegalArgumentException.class, () -> nulls.permitNanos(HOST, true)));
  }

  @Test
  void theStoredStateReadsBackAndAnythingElseReadsAsNothing() {
    FleetState state = new FleetState(100, 60_000, 1_796_000_000_000L, 1_795_999_999_000L);
    assertEquals(state, FleetState.decode(state.encode()));
    for (String junk : new String[] {null, "", "1;2;3", "2;1;1;1;1", "1;a;1;1;1", "1;-1;1;1;1",
        "1;1;1;1;1;1", "1;99999999999999999999;1;1;1"}) {
      assertEquals(FleetState.NONE, FleetState.decode(junk), String.valueOf(junk));
    }
  }

  @Test
  void theLaterHoldAndTheNewerQuotaWinAMerge() {
    FleetState older = new FleetState(100, 1000, 5000, 10);
    FleetState newer = new FleetState(50, 2000, 3000, 20);
    assertEquals(new FleetState(50, 2000, 5000, 20), older.merge(newer));
    assertEquals(new FleetState(50, 2000, 5000, 20), newer.merge(older));
  }

  private static void assertMessage(String setting, RuntimeException e) {
    assertTrue(e.getMessage() != null && e.getMessage().contains(setting),
        "names " + setting + ": " + e.getMessage());
  }
}
