package dev.stoic.http;

import static dev.stoic.testing.Generators.anyChar;
import static dev.stoic.testing.Generators.bigIntegers;
import static dev.stoic.testing.Generators.charsOf;
import static dev.stoic.testing.Generators.elementOf;
import static dev.stoic.testing.Generators.instants;
import static dev.stoic.testing.Generators.ints;
import static dev.stoic.testing.Generators.lists;
import static dev.stoic.testing.Generators.longs;
import static dev.stoic.testing.Generators.oneOf;
import static dev.stoic.testing.Generators.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.testing.Properties;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Properties of {@link RetryAfter#parse}: it never throws, never leaves {@code [0, MAX]}, and
 * reads what {@code java.time} writes. Run by our seeded harness, {@link Properties}.
 */
class RetryAfterPropertiesTest {
  /*
   * java.time is the independent oracle for the three date forms. "ppd" pads the asctime day
   * with a space; Locale.US gives English names.
   */
  static final DateTimeFormatter IMF_FIXDATE = format("EEE, dd MMM uuuu HH:mm:ss 'GMT'");
  static final DateTimeFormatter RFC_850 = format("EEEE, dd-MMM-uu HH:mm:ss 'GMT'");
  static final DateTimeFormatter ASCTIME = format("EEE MMM ppd HH:mm:ss uuuu");

  /* Years 0001 to 9999: what a four-digit year holds, and what java.time writes as one. */
  static final long FIRST_SECOND = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
  static final long LAST_SECOND = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
  /* RFC 850 dates are read within 50 years of now; stay clear of that edge. */
  static final long FORTY_NINE_YEARS = 49L * 365 * 86_400;

  /* The number of tries of each property that does not say otherwise. */
  static final int TRIES = 1000;

  record TextAt(String value, Instant now) {}

  record Padded(long seconds, int zeros, String before, String after) {}

  record Ahead(Instant now, long ahead) {}

  record Back(Instant now, long back) {}

  @Test
  void noTextMakesParseThrowAndEveryWaitIsWithinZeroAndMax() {
    Properties.forAll("noTextMakesParseThrowAndEveryWaitIsWithinZeroAndMax", 3000,
        r -> new TextAt(HEADER_TEXT.apply(r), ANY_INSTANT.apply(r)),
        c -> RetryAfter.parse(c.value(), c.now())
            .ifPresent(RetryAfterPropertiesTest::assertWithinZeroAndMax));
  }

  @Test
  void everyNonNegativeLongParsesToItsSecondsCappedAtMax() {
    Properties.forAll("everyNonNegativeLongParsesToItsSecondsCappedAtMax", TRIES,
        longs(0, Long.MAX_VALUE),
        seconds -> assertEquals(
            Optional.of(capped(Duration.ofSeconds(seconds))), parse(Long.toString(seconds))));
  }

  @Test
  void leadingZerosAndSurroundingWhitespaceDoNotChangeADelta() {
    Function<SplittableRandom, Long> seconds = longs(0, Long.MAX_VALUE);
    Function<SplittableRandom, Integer> zeros = ints(0, 30);
    Properties.forAll("leadingZerosAndSurroundingWhitespaceDoNotChangeADelta", TRIES,
        r -> new Padded(seconds.apply(r), zeros.apply(r),
            OPTIONAL_WHITESPACE.apply(r), OPTIONAL_WHITESPACE.apply(r)),
        c -> {
          String value = c.before() + "0".repeat(c.zeros()) + c.seconds() + c.after();
          assertEquals(Optional.of(capped(Duration.ofSeconds(c.seconds()))), parse(value));
        });
  }

  @Test
  void numbersTooLongForALongSaturateAtMax() {
    Properties.forAll("numbersTooLongForALongSaturateAtMax", TRIES,
        bigIntegers(BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE), BigInteger.TEN.pow(40)),
        seconds -> assertEquals(Optional.of(RetryAfter.MAX), parse(seconds.toString())));
  }

  @Test
  void futureImfFixdateReadsAsTheExactWaitCappedAtMax() {
    Properties.forAll("futureImfFixdateReadsAsTheExactWaitCappedAtMax", TRIES, AHEAD, c -> {
      Instant now = c.now();
      Instant date = Instant.ofEpochSecond(Math.min(now.getEpochSecond() + c.ahead(), LAST_SECOND));
      assertEquals(
          Optional.of(expectedWait(now, date)), RetryAfter.parse(IMF_FIXDATE.format(date), now));
    });
  }

  @Test
  void futureRfc850DateReadsAsTheExactWaitCappedAtMax() {
    Properties.forAll("futureRfc850DateReadsAsTheExactWaitCappedAtMax", TRIES, AHEAD, c -> {
      Instant now = c.now();
      Instant date =
          Instant.ofEpochSecond(now.getEpochSecond() + Math.min(c.ahead(), FORTY_NINE_YEARS));
      assertEquals(
          Optional.of(expectedWait(now, date)), RetryAfter.parse(RFC_850.format(date), now));
    });
  }

  @Test
  void futureAsctimeDateReadsAsTheExactWaitCappedAtMax() {
    Properties.forAll("futureAsctimeDateReadsAsTheExactWaitCappedAtMax", TRIES, AHEAD, c -> {
      Instant now = c.now();
      Instant date = Instant.ofEpochSecond(Math.min(now.getEpochSecond() + c.ahead(), LAST_SECOND));
      assertEquals(
          Optional.of(expectedWait(now, date)), RetryAfter.parse(ASCTIME.format(date), now));
    });
  }

  @Test
  void pastDateInAnyFormIsZero() {
    Function<SplittableRandom, Long> back = longs(0, FORTY_NINE_YEARS);
    Properties.forAll("pastDateInAnyFormIsZero", TRIES,
        r -> new Back(ANY_INSTANT_OF_OUR_ERA.apply(r), back.apply(r)),
        c -> {
          Instant date = Instant.ofEpochSecond(c.now().getEpochSecond() - c.back());
          Optional<Duration> zero = Optional.of(Duration.ZERO);
          assertEquals(zero, RetryAfter.parse(IMF_FIXDATE.format(date), c.now()));
          assertEquals(zero, RetryAfter.parse(RFC_850.format(date), c.now()));
          assertEquals(zero, RetryAfter.parse(ASCTIME.format(date), c.now()));
        });
  }

  /* Generators. */

  static final Function<SplittableRandom, String> OPTIONAL_WHITESPACE = strings(charsOf(" \t"), 4);

  /** Day and month names, separators, numbers and zones in any order: near misses of dates. */
  static final Function<SplittableRandom, String> DATEISH_TOKENS =
      lists(
              elementOf(
                  "Sun", "Sunday", "sun", "Wed", "Wednesday", "Nov", "nov", "Feb", "Foo", ",",
                  ", ", " ", "  ", "\t", "-", ":", "06", "6", "29", "30", "31", "00", "94", "1994",
                  "2026", "9999", "08:49:37", "23:59:60", "24:00:00", "GMT", "gmt", "UTC", "+0000",
                  "1", "0", "\u0661", "\u017f", "\r\n", "99999999999999999999"),
              12)
          .andThen(tokens -> String.join("", tokens));

  /** A valid date in one of the three forms with one character replaced, removed or added. */
  static final Function<SplittableRandom, String> MUTATED_DATES = mutatedDates();

  static final Function<SplittableRandom, String> HEADER_TEXT =
      oneOf(
          strings(anyChar(), 40),
          strings(charsOf("0123456789 \t+-.,eEsx"), 40),
          DATEISH_TOKENS,
          MUTATED_DATES);

  static final Function<SplittableRandom, Instant> ANY_INSTANT =
      oneOf(
          instants(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()),
          instants(FIRST_SECOND, LAST_SECOND));

  static final Function<SplittableRandom, Instant> ANY_INSTANT_OF_OUR_ERA =
      instants(
          Instant.parse("1900-01-01T00:00:00Z").getEpochSecond(),
          Instant.parse("2200-01-01T00:00:00Z").getEpochSecond());

  /** Mostly within twice MAX, so that exact waits are common and not always saturated. */
  static final Function<SplittableRandom, Long> SECONDS_AHEAD = secondsAhead();

  static final Function<SplittableRandom, Ahead> AHEAD =
      r -> new Ahead(ANY_INSTANT_OF_OUR_ERA.apply(r), SECONDS_AHEAD.apply(r));

  private static Function<SplittableRandom, String> mutatedDates() {
    Function<SplittableRandom, Long> seconds = longs(FIRST_SECOND, LAST_SECOND);
    Function<SplittableRandom, DateTimeFormatter> formats =
        elementOf(IMF_FIXDATE, RFC_850, ASCTIME);
    Function<SplittableRandom, Integer> positions = ints(0, 40);
    Function<SplittableRandom, Character> replacements =
        oneOf(charsOf(" ,-:0123456789GMTnov\t"), anyChar());
    Function<SplittableRandom, Integer> edits = ints(0, 2);
    return r -> {
      String date = formats.apply(r).format(Instant.ofEpochSecond(seconds.apply(r)));
      int i = Math.min(positions.apply(r), date.length());
      char c = replacements.apply(r);
      String head = date.substring(0, i);
      String tail = date.substring(i);
      switch (edits.apply(r)) {
        case 0:
          return head + c + (tail.isEmpty() ? "" : tail.substring(1));
        case 1:
          return head + (tail.isEmpty() ? "" : tail.substring(1));
        default:
          return head + c + tail;
      }
    };
  }

  /* Weights 1 : 6 : 2, as before. */
  private static Function<SplittableRandom, Long> secondsAhead() {
    Function<SplittableRandom, Long> soon = longs(0, 10);
    Function<SplittableRandom, Long> withinTwiceMax = longs(0, 2 * RetryAfter.MAX.getSeconds());
    Function<SplittableRandom, Long> anyFourDigitYear = longs(0, LAST_SECOND);
    return r -> {
      int pick = r.nextInt(9);
      if (pick < 1) return soon.apply(r);
      if (pick < 7) return withinTwiceMax.apply(r);
      return anyFourDigitYear.apply(r);
    };
  }

  /* Helpers. */

  private static Duration expectedWait(Instant now, Instant date) {
    Duration wait = Duration.between(now, date);
    return wait.isNegative() ? Duration.ZERO : capped(wait);
  }

  private static Duration capped(Duration wait) {
    return wait.compareTo(RetryAfter.MAX) > 0 ? RetryAfter.MAX : wait;
  }

  private static void assertWithinZeroAndMax(Duration wait) {
    assertTrue(!wait.isNegative() && wait.compareTo(RetryAfter.MAX) <= 0, wait::toString);
  }

  private static Optional<Duration> parse(String value) {
    return RetryAfter.parse(value, Instant.parse("2026-11-22T10:00:00Z"));
  }

  private static DateTimeFormatter format(String pattern) {
    return DateTimeFormatter.ofPattern(pattern, Locale.US).withZone(ZoneOffset.UTC);
  }
}
