package dev.stoic.resilience4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.http.RateLimitStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The control law step by step, with exact limits and times. */
class AimdLawTest {
  static final long SECOND = 1_000_000_000L;
  static final RateLimitStatus NONE = quota();

  /** A status from header pairs: name, value, name, value... */
  static RateLimitStatus quota(String... pairs) {
    Map<String, List<String>> headers = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      headers.put(pairs[i].toLowerCase(), List.of(pairs[i + 1]));
    }
    return RateLimitStatus.parse(name -> headers.get(name.toLowerCase()), Instant.EPOCH);
  }

  /** 20 permits a second to begin with, floor 2, ceiling 20, permits wait at most 5 s. */
  final AimdLaw law = new AimdLaw(20, 2, 20, SECOND, 5 * SECOND);
  long granted;

  boolean answer(long now, int status) {
    return answer(now, status, NONE);
  }

  boolean answer(long now, int status, RateLimitStatus quota) {
    return law.onResponse(now, status, quota, -1, granted);
  }

  @Test
  void a429CutsTheRateByATenth() {
    assertTrue(answer(0, 429));
    assertEquals(18.0, law.rate(), 1e-9);
    assertEquals(18, law.limit());
  }

  @Test
  void a429SoonAfterThePreviousCutsHoldCutsByFourTenths() {
    law.onResponse(0, 429, NONE, SECOND, 0); // hold until 1 s
    assertEquals(18.0, law.rate(), 1e-9);
    // Refused again 1.5 s after the hold ended (within two probe intervals): still far too fast.
    law.onResponse(5 * SECOND / 2, 429, NONE, SECOND, 0);
    assertEquals(18 * 0.6, law.rate(), 1e-9);
    // Refused again 2.5 s after that hold (until 3.5 s) ended: a tenth.
    law.onResponse(6 * SECOND, 429, NONE, SECOND, 0);
    assertEquals(18 * 0.6 * 0.9, law.rate(), 1e-9);
  }

  @Test
  void theRateNeverFallsBelowTheFloor() {
    AimdLaw low = new AimdLaw(3, 2, 20, SECOND, 0);
    for (int i = 0; i < 10; i++) low.onResponse(i * 2 * SECOND, 429, NONE, -1, 0);
    assertEquals(2.0, low.rate(), 1e-9);
    assertEquals(2, low.limit());
  }

  @Test
  void aRoundLastsAProbeIntervalAndUntilAnswersToPermitsGrantedBeforeTheCut() {
    granted = 5; // five attempts hold permits when the first 429 arrives
    answer(0, 429);
    for (int i = 0; i < 4; i++) assertFalse(answer(SECOND, 429));
    assertEquals(18.0, law.rate(), 1e-9);
    // Every permit granted before the cut has been answered, a second has passed: news (and
    // soon after the cut: a cut of four tenths).
    assertTrue(answer(SECOND, 429));
    assertEquals(18 * 0.6, law.rate(), 1e-9);
    // All answered at once, but within a second of the cut: the same round.
    assertFalse(answer(SECOND + SECOND / 2, 429));
  }

  @Test
  void aRoundAlsoEndsWhenAnswersNeverComeOnceEveryReservedWaitIsOver() {
    granted = 100; // most of them failed in transport and will never be answered
    answer(0, 429);
    assertFalse(answer(5 * SECOND + SECOND - 1, 429));
    // The longest wait (5 s) and one period have passed.
    assertTrue(answer(6 * SECOND, 429));
    assertEquals(18 * 0.9, law.rate(), 1e-9);
  }

  @Test
  void aProbeIntervalsWorthOfAnswersWithoutPushBackRaisesTheRateByAShare() {
    answer(0, 429);
    for (int i = 0; i < 17; i++) assertFalse(answer(SECOND, 200));
    assertTrue(answer(SECOND, 200));
    assertEquals(18 * 1.005, law.rate(), 1e-9);
    for (int i = 0; i < 18; i++) answer(SECOND, 204);
    assertEquals(18 * 1.005, law.rate(), 1e-9, "now it takes 18.09 answers");
    answer(SECOND, 404);
    assertEquals(18 * 1.005 * 1.005, law.rate(), 1e-9);
  }

  @Test
  void theShareDoublesEveryTwentyIncreasesAndStartsAgainAtAPushBack() {
    AimdLaw slow = new AimdLaw(100, 1, 1000, SECOND, 0);
    slow.onResponse(0, 429, NONE, -1, 0);
    double rate = 90;
    double share = 0.005;
    for (int increase = 1; increase <= 60; increase++) {
      while (slow.rate() == rate) slow.onResponse(2 * SECOND, 200, NONE, -1, 0);
      rate *= 1 + share;
      assertEquals(rate, slow.rate(), 1e-6, "increase " + increase);
      if (increase % 20 == 0) share *= 2;
    }
    slow.onResponse(100 * SECOND, 429, NONE, -1, 0);
    rate = slow.rate();
    while (slow.rate() == rate) slow.onResponse(100 * SECOND, 200, NONE, -1, 0);
    assertEquals(rate * 1.005, slow.rate(), 1e-6);
  }

  @Test
  void withAShortPeriodIncreaseWaitsForASecondsWorthNotAPeriods() {
    AimdLaw fast = new AimdLaw(4, 1, 8, SECOND / 10, 0);
    for (int i = 0; i < 39; i++) fast.onResponse(0, 200, NONE, -1, 0);
    assertEquals(4.0, fast.rate(), 1e-9);
    fast.onResponse(0, 200, NONE, -1, 0);
    assertEquals(4.02, fast.rate(), 1e-9);
    assertEquals(5, fast.limit(), "the limiter's whole permits: the rate rounded up");
  }

  @Test
  void theRateNeverGrowsPastTheCeiling() {
    for (int i = 0; i < 100; i++) answer(0, 200);
    assertEquals(20.0, law.rate(), 1e-9);
  }

  @Test
  void serverErrorsCountNeitherWay() {
    answer(0, 429);
    for (int i = 0; i < 17; i++) answer(SECOND, 200);
    answer(SECOND, 503);
    answer(SECOND, 500);
    assertEquals(18.0, law.rate(), 1e-9);
    answer(SECOND, 200);
    assertEquals(18 * 1.005, law.rate(), 1e-9);
  }

  @Test
  void aStatedQuotaBecomesTheCeilingAtOnce() {
    // 600 a minute is 10 a second.
    assertTrue(answer(0, 200, quota("RateLimit-Policy", "\"default\";q=600;w=60")));
    assertEquals(10, law.limit());
    assertEquals(10, law.ceiling());
    for (int i = 0; i < 100; i++) answer(0, 200);
    assertEquals(10, law.limit());
  }

  @Test
  void aStatedQuotaAboveTheConfiguredCeilingLeavesTheCeiling() {
    answer(0, 200, quota("RateLimit-Policy", "\"default\";q=6000;w=60"));
    assertEquals(20, law.ceiling());
  }

  @Test
  void nearlySpentPushesBackWhenTheRestWouldRunOutBeforeTheReset() {
    // 5 of 100 left, reset in 10 s: at 20 a second that is gone in a quarter of a second.
    assertTrue(answer(0, 200,
        quota("X-RateLimit-Limit", "100", "X-RateLimit-Remaining", "5", "X-RateLimit-Reset", "10")));
    assertEquals(18.0, law.rate(), 1e-9);
    // A warning is never cut harder, however soon it comes again.
    assertTrue(answer(SECOND, 200,
        quota("X-RateLimit-Limit", "100", "X-RateLimit-Remaining", "4", "X-RateLimit-Reset", "9")));
    assertEquals(18 * 0.9, law.rate(), 1e-9);
  }

  @Test
  void nearlySpentIsNoPushBackWhenTheResetComesFirst() {
    // Reset in 1 s, taken as 0 s for rounding: nothing more would be sent before it.
    assertFalse(answer(0, 200,
        quota("X-RateLimit-Limit", "100", "X-RateLimit-Remaining", "5", "X-RateLimit-Reset", "1")));
    // Plenty left: no push-back whatever the reset.
    assertFalse(answer(0, 200,
        quota("X-RateLimit-Limit", "100", "X-RateLimit-Remaining", "50", "X-RateLimit-Reset", "60")));
    assertEquals(20, law.limit());
  }

  @Test
  void nearlySpentIsNoPushBackWhenTheQuotaWindowIsStated() {
    // The stated quota paces the client; running low at the end of a window is expected.
    answer(0, 200, quota("RateLimit-Policy", "\"default\";q=1200;w=60",
        "RateLimit", "\"default\";r=5;t=10"));
    assertEquals(20, law.limit());
  }

  @Test
  void a429HoldsForItsRetryAfter() {
    law.onResponse(7, 429, NONE, 3 * SECOND, 0);
    assertTrue(law.holding());
    assertEquals(7 + 3 * SECOND, law.holdUntilNanos());
    assertEquals(3 * SECOND, law.heldNanos());
  }

  @Test
  void a429WithoutRetryAfterHoldsForItsReset() {
    law.onResponse(0, 429, quota("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "4"), -1, 0);
    assertEquals(4 * SECOND, law.holdUntilNanos());
  }

  @Test
  void nothingRemainingHoldsForTheResetLessItsRounding() {
    answer(0, 200, quota("X-RateLimit-Limit", "100", "X-RateLimit-Remaining", "0",
        "X-RateLimit-Reset", "30"));
    assertEquals(29 * SECOND, law.holdUntilNanos());
  }

  @Test
  void laterAnswersExtendAHoldOnlyByAtLeastAPeriod() {
    law.onResponse(0, 429, NONE, 3 * SECOND, 0);
    law.onResponse(SECOND / 2, 429, NONE, 3 * SECOND, 0); // ends 0.5 s later: the same window
    assertEquals(3 * SECOND, law.holdUntilNanos());
    assertEquals(0, law.heldNanos());
    law.onResponse(SECOND, 429, NONE, 3 * SECOND, 0);
    assertEquals(4 * SECOND, law.holdUntilNanos());
    assertEquals(SECOND, law.heldNanos());
  }

  @Test
  void aLongHoldSlowsTheIncreaseToTheServersTimeScale() {
    law.onResponse(0, 429, NONE, 30 * SECOND, 0);
    assertEquals(18.0, law.rate(), 1e-9);
    // An increase now takes 30 seconds' worth of answers at 18 a second.
    for (int i = 0; i < 539; i++) answer(40 * SECOND, 200);
    assertEquals(18.0, law.rate(), 1e-9);
    answer(40 * SECOND, 200);
    assertEquals(18 * 1.005, law.rate(), 1e-9);
  }
}
