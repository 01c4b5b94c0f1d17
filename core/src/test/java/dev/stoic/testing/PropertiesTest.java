package dev.stoic.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The property harness itself: reproducible, and loud about what failed. */
class PropertiesTest {
  record Pair(String text, long number) {}

  @Test
  void theSameNameAndSeedGiveTheSameInputsOnEveryRun() {
    List<Long> first = new ArrayList<>();
    List<Long> second = new ArrayList<>();
    Properties.forAll("same inputs", 50, Generators.longs(0, Long.MAX_VALUE), first::add);
    Properties.forAll("same inputs", 50, Generators.longs(0, Long.MAX_VALUE), second::add);
    assertEquals(first, second);
    assertEquals(50, first.size());
  }

  @Test
  void differentPropertiesSeeDifferentInputs() {
    List<Long> first = new ArrayList<>();
    List<Long> second = new ArrayList<>();
    Properties.forAll("one property", 20, r -> r.nextLong(), first::add);
    Properties.forAll("another property", 20, r -> r.nextLong(), second::add);
    assertTrue(!first.equals(second), "streams differ by name");
  }

  @Test
  void aFailureNamesThePropertySeedTryAndInputAndKeepsTheCause() {
    int[] calls = {0};
    IllegalStateException boom = new IllegalStateException("boom");
    AssertionError e = assertThrows(AssertionError.class,
        () -> Properties.forAll("fails on the third try", 10,
            r -> new Pair("tab\there \"q\" \u00e9", ++calls[0]),
            pair -> {
              if (pair.number() == 3) throw boom;
            }));
    long seed = Properties.seed();
    assertEquals(
        "property \"fails on the third try\" failed on try 3 of 10 with seed " + seed
            + " (rerun with -Dstoic.seed=" + seed + ")\n"
            + "  input: Pair[text=\"tab\\there \\\"q\\\" \\u00e9\", number=3]\n"
            + "  failure: java.lang.IllegalStateException: boom",
        e.getMessage());
    assertSame(boom, e.getCause());
    assertEquals(3, calls[0], "stops at the first failure");
  }

  @Test
  void aThrowingGeneratorIsReportedAsSuch() {
    AssertionError e = assertThrows(AssertionError.class,
        () -> Properties.forAll("bad generator", 5, r -> {
          throw new ArithmeticException("no");
        }, value -> {}));
    assertTrue(e.getMessage().endsWith("failed on try 1 of 5 with seed " + Properties.seed()
        + " (rerun with -Dstoic.seed=" + Properties.seed() + "): the generator threw"),
        e.getMessage());
  }

  @Test
  void theDefaultSeedIsFixedUnlessOverridden() {
    if (System.getProperty("stoic.seed") == null) {
      assertEquals(Properties.DEFAULT_SEED, Properties.seed());
    }
  }

  @Test
  void zeroTriesIsRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> Properties.forAll("none", 0, r -> 1, v -> {}));
  }

  @Test
  void generatedNumbersStayInTheirRangeAndHitTheEdges() {
    Function<SplittableRandom, Long> longs = Generators.longs(-5, 1_000_000);
    List<Long> seen = new ArrayList<>();
    Properties.forAll("longs in range", 2000, longs, value -> {
      assertTrue(value >= -5 && value <= 1_000_000, () -> "out of range: " + value);
      seen.add(value);
    });
    assertTrue(seen.contains(-5L) && seen.contains(1_000_000L) && seen.contains(0L), "edges");

    BigInteger min = BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE);
    BigInteger max = BigInteger.TEN.pow(40);
    Properties.forAll("big integers in range", 2000, Generators.bigIntegers(min, max),
        value -> assertTrue(
            value.compareTo(min) >= 0 && value.compareTo(max) <= 0, value::toString));

    Properties.forAll("full long range", 2000, Generators.longs(Long.MIN_VALUE, Long.MAX_VALUE),
        value -> {});
    Properties.forAll("strings within max length", 500,
        Generators.strings(Generators.anyChar(), 7), s -> assertTrue(s.length() <= 7, s));
  }
}
