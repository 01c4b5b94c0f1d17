package dev.stoic;

import static dev.stoic.Decision.Action.RETRY;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff.Jitter;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.Generators;
import dev.stoic.testing.MethodClass;
import dev.stoic.testing.Properties;
import dev.stoic.testing.RecordingListener;
import dev.stoic.testing.ScriptedTransport;
import dev.stoic.testing.ScriptedTransport.Mode;
import dev.stoic.testing.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Exact waits for each jitter kind, draw and retry; argument validation; and properties: no
 * input leaves {@code [0, cap]}, and a server hint is never shortened.
 */
class BackoffTest {
  static final double[] DRAWS = {0, 0.25, 0.5, 0.999};
  static final long DAY_NANOS = Duration.ofDays(1).toNanos();

  /** exponential(1 s, 30 s): factor 2, so 1, 2, 4, 8, 16 s, then the 30 s cap (not 32 s). */
  final Backoff exponential = Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30));

  /*
   * Expected waits in nanoseconds for retries 1 to 8, one row per draw in DRAWS, computed by hand
   * from the formulas in Backoff.Jitter with d = min(1 s * 2^(retry - 1), 30 s).
   */

  /** NONE: d, whatever the draw. */
  static final long[] NO_JITTER = nanosOfMillis(1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000);

  /** FULL: d * draw. */
  static final long[][] FULL_JITTER = {
    nanosOfMillis(0, 0, 0, 0, 0, 0, 0, 0),
    nanosOfMillis(250, 500, 1000, 2000, 4000, 7500, 7500, 7500),
    nanosOfMillis(500, 1000, 2000, 4000, 8000, 15000, 15000, 15000),
    nanosOfMillis(999, 1998, 3996, 7992, 15984, 29970, 29970, 29970),
  };

  /** EQUAL: d/2 + d/2 * draw. */
  static final long[][] EQUAL_JITTER = {
    nanosOfMillis(500, 1000, 2000, 4000, 8000, 15000, 15000, 15000),
    nanosOfMillis(625, 1250, 2500, 5000, 10000, 18750, 18750, 18750),
    nanosOfMillis(750, 1500, 3000, 6000, 12000, 22500, 22500, 22500),
    {999_500_000L, 1_999_000_000L, 3_998_000_000L, 7_996_000_000L, 15_992_000_000L,
        29_985_000_000L, 29_985_000_000L, 29_985_000_000L},
  };

  @Test
  void noJitterIsTheCappedExponentialForEveryDraw() {
    Backoff backoff = exponential.noJitter();
    for (double draw : DRAWS) assertRetries(backoff, draw, NO_JITTER);
  }

  @Test
  void fullJitterIsTheCappedExponentialTimesTheDraw() {
    Backoff backoff = exponential.fullJitter();
    for (int i = 0; i < DRAWS.length; i++) assertRetries(backoff, DRAWS[i], FULL_JITTER[i]);
  }

  @Test
  void equalJitterKeepsHalfTheCappedExponentialAndSpreadsTheOtherHalfByTheDraw() {
    Backoff backoff = exponential.equalJitter();
    for (int i = 0; i < DRAWS.length; i++) assertRetries(backoff, DRAWS[i], EQUAL_JITTER[i]);
  }

  @Test
  void decorrelatedJitterSpreadsFromBaseToThreeTimesThePreviousWaitCapped() {
    // base + (min(cap, 3 * max(previous, base)) - base) * draw, with base 1 s and cap 30 s.
    Backoff backoff = exponential.decorrelatedJitter();
    long[] previous = {
        0, -5_000_000_000L, 1_000_000_000L, 2_000_000_000L, 5_000_000_000L, 10_000_000_000L,
        20_000_000_000L, DAY_NANOS, Long.MAX_VALUE};
    long[][] expected = { // per previous, one value per draw in DRAWS
      nanosOfMillis(1000, 1500, 2000, 2998), // upper 3 s
      nanosOfMillis(1000, 1500, 2000, 2998), // a negative previous counts as base
      nanosOfMillis(1000, 1500, 2000, 2998), // upper 3 s
      nanosOfMillis(1000, 2250, 3500, 5995), // upper 6 s
      nanosOfMillis(1000, 4500, 8000, 14986), // upper 15 s
      nanosOfMillis(1000, 8250, 15500, 29971), // upper 30 s
      nanosOfMillis(1000, 8250, 15500, 29971), // 60 s, capped at 30 s
      nanosOfMillis(1000, 8250, 15500, 29971),
      nanosOfMillis(1000, 8250, 15500, 29971),
    };
    List<Executable> checks = new ArrayList<>();
    for (int p = 0; p < previous.length; p++) {
      for (int d = 0; d < DRAWS.length; d++) {
        for (int retry : new int[] {1, 2, 8, Integer.MAX_VALUE}) { // the retry number is ignored
          long prev = previous[p];
          double draw = DRAWS[d];
          long want = expected[p][d];
          checks.add(() -> assertEquals(want, backoff.delayNanos(retry, prev, draw),
              () -> "previous " + prev + ", draw " + draw + ", retry " + retry));
        }
      }
    }
    assertAll(checks);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void decorrelatedJitterGrowsFromEachPreviousWaitThroughTheExecutor(Mode mode) throws Exception {
    VirtualClock clock = new VirtualClock();
    RecordingListener events = new RecordingListener();
    RetryPolicy policy = RetryPolicy.builder()
        .clock(clock)
        .random(() -> 0.5)
        .backoff(exponential.decorrelatedJitter())
        .maxAttempts(8)
        .listener(events)
        .build();
    Object[] script = new Object[8];
    for (int i = 0; i < 8; i++) script[i] = FakeResponse.of(503);

    new ScriptedTransport(script).run(mode, policy, MethodClass.GET.call());

    // 1 + (3 * previous - 1) * 0.5 seconds, from previous 0 (counted as base): 2, 3.5, 5.75,
    // 9.125, 14.1875; then 3 * previous passes the 30 s cap: 1 + 29 * 0.5 = 15.5.
    List<Long> waits = new ArrayList<>();
    for (RetryEvent e : events.events) if (e.action() == RETRY) waits.add(e.waitTime().toNanos());
    assertEquals(
        List.of(2_000_000_000L, 3_500_000_000L, 5_750_000_000L, 9_125_000_000L, 14_187_500_000L,
            15_500_000_000L, 15_500_000_000L),
        waits);
    assertEquals(Duration.ofNanos(waits.stream().mapToLong(Long::longValue).sum()),
        clock.elapsed());
  }

  @Test
  void theCapBoundsTheExponential() {
    Backoff capped = Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(5)).noJitter();
    assertRetries(capped, 0.5, nanosOfMillis(1000, 2000, 4000, 5000, 5000, 5000, 5000, 5000));
  }

  @Test
  void theFactorSetsTheGrowthPerRetry() {
    Backoff triple =
        Backoff.exponential(Duration.ofMillis(100), Duration.ofMinutes(1)).factor(3).noJitter();
    assertRetries(triple, 0.5, nanosOfMillis(100, 300, 900, 2700, 8100, 24300, 60000, 60000));

    Backoff half = Backoff.exponential(Duration.ofSeconds(1), Duration.ofMinutes(1)).factor(1.5)
        .noJitter();
    assertRetries(half, 0.5, new long[] {
        1_000_000_000L, 1_500_000_000L, 2_250_000_000L, 3_375_000_000L, 5_062_500_000L,
        7_593_750_000L, 11_390_625_000L, 17_085_937_500L});

    Backoff flat = exponential.factor(1).noJitter();
    assertRetries(flat, 0.5, nanosOfMillis(1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000));
  }

  @Test
  void fixedWaitsTheSameBeforeEveryRetryWithoutJitter() {
    Backoff fixed = Backoff.fixed(Duration.ofSeconds(2));
    assertEquals(Jitter.NONE, fixed.jitterKind());
    for (double draw : DRAWS) {
      assertRetries(fixed, draw, nanosOfMillis(2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000));
    }
    assertEquals(2_000_000_000L, fixed.delayNanos(3, 7_000_000_000L, 0.5));
    assertEquals(0, Backoff.fixed(Duration.ZERO).delayNanos(1, 0, 0.5));
  }

  @Test
  void noneNeverWaits() {
    Backoff none = Backoff.none();
    for (Jitter jitter : Jitter.values()) {
      for (double draw : DRAWS) {
        assertRetries(none.jitter(jitter), draw, new long[8]);
      }
    }
    assertEquals("Backoff.none()", none.toString());
    assertSame(none, Backoff.none());
  }

  @Test
  void defaultsAreOneSecondDoublingToThirtySecondsWithEqualJitter() {
    Backoff defaults = Backoff.defaults();
    assertSame(defaults, Backoff.defaults());
    assertEquals(Duration.ofSeconds(1), defaults.base());
    assertEquals(Duration.ofSeconds(30), defaults.cap());
    assertEquals(2.0, defaults.factor());
    assertEquals(Jitter.EQUAL, defaults.jitterKind());
    assertEquals("Backoff{base=PT1S, factor=2.0, cap=PT30S, jitter=EQUAL}", defaults.toString());
    for (int i = 0; i < DRAWS.length; i++) assertRetries(defaults, DRAWS[i], EQUAL_JITTER[i]);
  }

  @Test
  void eachCopyMethodReturnsANewBackoffAndLeavesTheOriginalAlone() {
    Backoff original = exponential;
    Backoff full = original.fullJitter();
    Backoff faster = original.factor(3);
    assertNotSame(original, full);
    assertEquals(Jitter.FULL, full.jitterKind());
    assertEquals(3.0, faster.factor());
    assertEquals(Jitter.EQUAL, original.jitterKind());
    assertEquals(2.0, original.factor());
    assertEquals(Jitter.DECORRELATED, original.decorrelatedJitter().jitterKind());
    assertEquals(Jitter.NONE, original.noJitter().jitterKind());
    assertEquals(Jitter.EQUAL, full.equalJitter().jitterKind());
  }

  @Test
  void drawsOutsideZeroToOneAreClampedIntoIt() {
    Backoff full = exponential.fullJitter();
    Backoff equal = exponential.equalJitter();
    for (double low : new double[] {Double.NaN, -0.0, -0.5, -1, Double.NEGATIVE_INFINITY}) {
      assertEquals(0, full.delayNanos(1, 0, low), () -> "draw " + low);
      assertEquals(500_000_000L, equal.delayNanos(1, 0, low), () -> "draw " + low);
    }
    // 1 and above become the largest double below 1: one nanosecond short of the full wait.
    for (double high : new double[] {1.0, 1.5, Double.POSITIVE_INFINITY, Double.MAX_VALUE}) {
      assertEquals(999_999_999L, full.delayNanos(1, 0, high), () -> "draw " + high);
      assertEquals(999_999_999L, equal.delayNanos(1, 0, high), () -> "draw " + high);
    }
  }

  @Test
  void retryIntegerMinValueOverflowedToTheCapInsteadOfTheFirstRetryWait() {
    // Regression: the exponent was max(0, retry - 1), and MIN_VALUE - 1 is MAX_VALUE.
    Backoff backoff =
        Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30)).noJitter();
    assertEquals(1_000_000_000L, backoff.delayNanos(Integer.MIN_VALUE, 0, 0.5));
    assertEquals(1_000_000_000L, backoff.delayNanos(0, 0, 0.5));
  }

  @Test
  void retryNumbersBelowOneCountAsTheFirstRetry() {
    Backoff backoff = exponential.noJitter();
    for (int retry : new int[] {0, -1, Integer.MIN_VALUE}) {
      assertEquals(1_000_000_000L, backoff.delayNanos(retry, 0, 0.5));
    }
    assertEquals(30_000_000_000L, backoff.delayNanos(Integer.MAX_VALUE, 0, 0.5));
  }

  @Test
  void delayIsDelayNanosAsADuration() {
    Backoff backoff = exponential.equalJitter();
    assertEquals(Duration.ofMillis(1250), backoff.delay(2, Duration.ZERO, 0.25));
    assertEquals(Duration.ofMillis(5995),
        exponential.decorrelatedJitter().delay(5, Duration.ofSeconds(2), 0.999));
  }

  @Test
  void nullArgumentsAreRejectedNamingTheArgument() {
    assertMessage(NullPointerException.class, "delay == null", () -> Backoff.fixed(null));
    assertMessage(NullPointerException.class, "base == null",
        () -> Backoff.exponential(null, Duration.ofSeconds(1)));
    assertMessage(NullPointerException.class, "cap == null",
        () -> Backoff.exponential(Duration.ofSeconds(1), null));
    assertMessage(NullPointerException.class, "jitter == null", () -> exponential.jitter(null));
  }

  @Test
  void negativeDurationsAreRejected() {
    assertMessage(IllegalArgumentException.class, "delay must be >= 0: -1ms",
        () -> Backoff.fixed(Duration.ofMillis(-1)));
    assertMessage(IllegalArgumentException.class, "base must be > 0: -1s",
        () -> Backoff.exponential(Duration.ofSeconds(-1), Duration.ofSeconds(1)));
    assertMessage(IllegalArgumentException.class, "cap must be >= 0: -1s",
        () -> Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(-1)));
  }

  @Test
  void aZeroBaseIsRejectedForExponentialButZeroIsAFineFixedDelay() {
    assertMessage(IllegalArgumentException.class, "base must be > 0: 0s",
        () -> Backoff.exponential(Duration.ZERO, Duration.ofSeconds(1)));
    assertEquals(Duration.ZERO, Backoff.fixed(Duration.ZERO).delay(1, Duration.ZERO, 0.5));
  }

  @Test
  void aCapBelowTheBaseIsRejected() {
    assertMessage(IllegalArgumentException.class, "cap must be >= base: cap=1s, base=2s",
        () -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    Backoff equal = Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(2)).noJitter();
    assertEquals(2_000_000_000L, equal.delayNanos(5, 0, 0.5));
  }

  @Test
  void factorsOutsideOneToOneHundredAndNaNAreRejected() {
    for (double factor : new double[] {0.999, 0, -2, 100.001, Double.NaN,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      assertMessage(IllegalArgumentException.class, "factor must be in [1, 100]: " + factor,
          () -> exponential.factor(factor));
    }
    assertEquals(1.0, exponential.factor(1).factor());
    assertEquals(100.0, exponential.factor(100).factor());
  }

  @Test
  void durationsLongerThanADayAreRejected() {
    Duration dayAndANano = Duration.ofDays(1).plusNanos(1);
    assertMessage(IllegalArgumentException.class,
        "delay must be at most 1 day: 86400000000001ns", () -> Backoff.fixed(dayAndANano));
    assertMessage(IllegalArgumentException.class, "cap must be at most 1 day: 86400000000001ns",
        () -> Backoff.exponential(Duration.ofSeconds(1), dayAndANano));
    assertMessage(IllegalArgumentException.class, "base must be at most 1 day: 31536000s",
        () -> Backoff.exponential(Duration.ofDays(365), Duration.ofDays(365)));
    assertEquals(Duration.ofDays(1), Backoff.fixed(Duration.ofDays(1)).delay(1, Duration.ZERO, 0));
  }

  /* Properties. */

  record Case(Backoff backoff, int retry, long previousNanos, double draw) {}

  @Test
  void noBackoffRetryPreviousWaitOrDrawLeavesZeroToCap() {
    Function<SplittableRandom, Backoff> backoffs = backoffs(DAY_NANOS);
    Function<SplittableRandom, Integer> retries =
        Generators.ints(Integer.MIN_VALUE, Integer.MAX_VALUE);
    Function<SplittableRandom, Long> previous = Generators.longs(Long.MIN_VALUE, Long.MAX_VALUE);
    Function<SplittableRandom, Double> draws = Generators.doubles();
    Properties.forAll("noBackoffRetryPreviousWaitOrDrawLeavesZeroToCap", 5000,
        r -> new Case(backoffs.apply(r), retries.apply(r), previous.apply(r), draws.apply(r)),
        c -> {
          long wait = c.backoff().delayNanos(c.retry(), c.previousNanos(), c.draw());
          long cap = c.backoff().cap().toNanos();
          assertTrue(wait >= 0 && wait <= cap, () -> wait + " outside [0, " + cap + "]");
          if (c.backoff().jitterKind() == Jitter.DECORRELATED) {
            long base = c.backoff().base().toNanos();
            assertTrue(wait >= base, () -> "decorrelated " + wait + " below base " + base);
          }
        });
  }

  record HintCase(
      Backoff backoff, long maxRetryAfterSeconds, long hintSeconds, double draw, int plainFailures,
      Mode mode) {}

  @Test
  void aRetryAfterHintIsNeverShortenedAndOnlySlightlyLengthened() {
    /*
     * The sync loop waits in 5 ms slices, each a call on the virtual clock: a day-long wait is
     * 17 million of them. Async runs get the whole range, up to a day; sync runs up to a minute.
     */
    Function<SplittableRandom, Mode> modes = Generators.elementOf(Mode.values());
    Function<SplittableRandom, Backoff> anyBackoff = backoffs(DAY_NANOS);
    Function<SplittableRandom, Backoff> shortBackoff = backoffs(Duration.ofMinutes(1).toNanos());
    Function<SplittableRandom, Double> draws = Generators.doubles();
    Function<SplittableRandom, Integer> plainFailures = Generators.ints(0, 3);
    Properties.forAll("aRetryAfterHintIsNeverShortenedAndOnlySlightlyLengthened", 1000,
        r -> {
          Mode mode = modes.apply(r);
          long max = Generators.longs(0, mode == Mode.ASYNC ? 86_400 : 60).apply(r);
          Backoff backoff = (mode == Mode.ASYNC ? anyBackoff : shortBackoff).apply(r);
          return new HintCase(backoff, max, Generators.longs(0, max).apply(r),
              draws.apply(r), plainFailures.apply(r), mode);
        },
        c -> {
          RecordingListener events = new RecordingListener();
          RetryPolicy policy = RetryPolicy.builder()
              .clock(new VirtualClock())
              .random(c::draw)
              .backoff(c.backoff())
              .maxRetryAfter(Duration.ofSeconds(c.maxRetryAfterSeconds()))
              .maxAttempts(c.plainFailures() + 2)
              .listener(events)
              .build();
          Object[] script = new Object[c.plainFailures() + 2];
          for (int i = 0; i < c.plainFailures(); i++) script[i] = FakeResponse.of(503);
          script[c.plainFailures()] =
              FakeResponse.of(503, "Retry-After", Long.toString(c.hintSeconds()));
          script[c.plainFailures() + 1] = FakeResponse.of(200);
          try {
            new ScriptedTransport(script).run(c.mode(), policy, MethodClass.GET.call());
          } catch (Exception e) {
            throw new AssertionError(e);
          }

          RetryEvent hinted = events.events.get(c.plainFailures());
          assertEquals(RETRY, hinted.action(), hinted::toString);
          long wait = hinted.waitTime().toNanos();
          long hint = Duration.ofSeconds(c.hintSeconds()).toNanos();
          long spread = Math.min(hint / 10, 1_000_000_000L);
          long upper = Math.max(c.backoff().cap().toNanos(), hint + spread);
          assertTrue(wait >= hint, () -> "wait " + wait + " below the hint " + hint);
          assertTrue(wait <= upper, () -> "wait " + wait + " above " + upper);
        });
  }

  /** Any valid backoff: none, fixed, or exponential with any base, cap, factor and jitter. */
  static Function<SplittableRandom, Backoff> backoffs(long maxNanos) {
    Function<SplittableRandom, Long> nanos = Generators.longs(1, maxNanos);
    Function<SplittableRandom, Jitter> jitters = Generators.elementOf(Jitter.values());
    Function<SplittableRandom, Double> factors = r -> {
      int pick = r.nextInt(5);
      if (pick == 0) return 1.0;
      if (pick == 1) return 100.0;
      return r.nextDouble(1.0, Math.nextUp(100.0));
    };
    return r -> {
      switch (r.nextInt(6)) {
        case 0:
          return Backoff.none().jitter(jitters.apply(r));
        case 1:
          return Backoff.fixed(Duration.ofNanos(nanos.apply(r) - 1)).jitter(jitters.apply(r));
        default:
          long base = nanos.apply(r);
          long cap = Generators.longs(base, maxNanos).apply(r);
          return Backoff.exponential(Duration.ofNanos(base), Duration.ofNanos(cap))
              .factor(factors.apply(r))
              .jitter(jitters.apply(r));
      }
    };
  }

  /* Helpers. */

  private static void assertRetries(Backoff backoff, double draw, long[] expectedNanos) {
    List<Executable> checks = new ArrayList<>();
    for (int retry = 1; retry <= expectedNanos.length; retry++) {
      int r = retry;
      checks.add(() -> assertEquals(expectedNanos[r - 1], backoff.delayNanos(r, 0, draw),
          () -> backoff + " retry " + r + " draw " + draw));
    }
    assertAll(checks);
  }

  private static long[] nanosOfMillis(long... millis) {
    long[] nanos = new long[millis.length];
    for (int i = 0; i < millis.length; i++) nanos[i] = millis[i] * 1_000_000L;
    return nanos;
  }

  private static void assertMessage(
      Class<? extends Throwable> type, String message, Executable executable) {
    assertEquals(message, assertThrows(type, executable).getMessage());
  }
}
