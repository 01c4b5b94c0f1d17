package dev.stoic.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.testing.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Learning a quota nobody announced, in virtual time on the in-process store: exact waits. */
class LearningTest {
  private static final String HOST = "api.example.com";
  private static final long MS = 1_000_000L;

  private final VirtualClock clock = new VirtualClock();
  private final FleetQuota quota =
      FleetQuota.builder(QuotaStore.local()).clock(clock).batch(5).targetUse(1).build();

  private void answer(int status, String... headers) {
    Map<String, String> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < headers.length; i += 2) map.put(headers[i], headers[i + 1]);
    quota.onResponse(HOST, status, FleetQuotaHazelcastTest.hints(map));
  }

  private long permitMillis() throws Exception {
    return quota.permitNanos(HOST, true) / MS;
  }

  private FleetState state() {
    return quota.hostQuota(HOST).state();
  }

  /** {@code perStep} answers accepted every 100 ms for {@code steps} steps, each after a permit. */
  private void acceptedFor(int steps, int perStep) throws Exception {
    for (int i = 0; i < steps; i++) {
      assertEquals(0, permitMillis(), "not paced while measuring");
      for (int j = 0; j < perStep; j++) answer(200);
      clock.sleep(Duration.ofMillis(100));
    }
  }

  @Test
  void aFirst429WithNothingAnnouncedHoldsTheFleetAndStartsMeasuring() throws Exception {
    answer(429, "Retry-After", "1");
    assertEquals(1000, permitMillis());
    assertTrue(state().learning());
    assertFalse(state().paced(), "nothing is paced before the rate is measured");
  }

  @Test
  void a429AfterAWindowOfMeasuringPacesTheFleetAtTheRateTheServerLetThrough() throws Exception {
    answer(429, "Retry-After", "1");
    clock.sleep(Duration.ofMillis(1000));
    acceptedFor(12, 2); // 20 a second
    answer(429, "Retry-After", "1");
    assertEquals(20, state().limit());
    assertEquals(Learning.FAST_GROWTH_PERCENT, state().growth());
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < 6; i++) waits.add(permitMillis());
    assertEquals(List.of(0L, 50L, 100L, 150L, 200L, 250L), waits,
        "paced at 20 a second, not held for the Retry-After");
  }

  @Test
  void a429BeforeAWholeWindowWasMeasuredChangesNothing() throws Exception {
    answer(429, "Retry-After", "1");
    clock.sleep(Duration.ofMillis(1000));
    acceptedFor(5, 2);
    FleetState measuring = state();
    answer(429, "Retry-After", "1");
    assertEquals(measuring, state());
    assertEquals(0, permitMillis(), "not held again either");
  }

  @Test
  void aLearnedQuotaGrowsEachWindowUntilA429LowersIt() {
    long t0 = 1_800_000_000_000L;
    FleetState learned = new FleetState(20, 1000, 0, t0, Learning.FAST_GROWTH_PERCENT);
    assertEquals(20.0, Pace.learnedLimit(learned, t0 + 999));
    assertEquals(40.0, Pace.learnedLimit(learned, t0 + 1000));
    assertEquals(80.0, Pace.learnedLimit(learned, t0 + 2500));
    assertEquals(t0 + 2, Pace.of(learned, 1, t0 + 2500).version(), "a version per step");
    // At 80 a window: back to the step before, 40, growing slowly from then on.
    assertEquals(new FleetState(40, 1000, 0, t0 + 2500, Learning.GROWTH_PERCENT),
        Learning.after429(learned, t0 + 3500, t0 + 2500, 21.4));
    // Unless 95% of what the server let through is more (and 90% at most).
    assertEquals(57, Learning.after429(learned, 0, t0 + 2500, 60).limit());
    assertEquals(72, Learning.after429(learned, 0, t0 + 2500, 99).limit());
    // Growing slowly: 10% lower at least. What was measured does not matter.
    FleetState slow = new FleetState(20, 1000, 0, t0, Learning.GROWTH_PERCENT);
    assertEquals(22.05, Pace.learnedLimit(slow, t0 + 2000), 1e-9);
    assertEquals(19, Learning.after429(slow, 0, t0 + 2000, 0).limit());
    assertEquals(19, Learning.after429(slow, 0, t0 + 2000, 3).limit());
    // Within a window of the last change: an answer to an attempt sent before it.
    assertEquals(learned, Learning.after429(learned, 0, t0 + 999, 5));
  }

  @Test
  void anAnnouncedQuotaReplacesALearnedOneAndIsNotLearnedOver() throws Exception {
    answer(429, "Retry-After", "1");
    clock.sleep(Duration.ofMillis(1000));
    answer(200, "RateLimit-Policy", "\"q\";q=10;w=1");
    assertTrue(state().announced());
    answer(429, "Retry-After", "2");
    assertEquals(10, state().limit());
    assertEquals(2000, permitMillis(), "a 429 holds the fleet when the quota is announced");
    FleetState learnedLater = new FleetState(99, 1000, 0, Long.MAX_VALUE / 2, 5);
    assertEquals(10, state().merge(learnedLater).limit(), "announced wins a merge");
  }

  @Test
  void a503IsNotARateLimitAndLearnsNothing() throws Exception {
    answer(503, "Retry-After", "1");
    assertEquals(1000, permitMillis());
    assertFalse(state().learning());
  }
}
