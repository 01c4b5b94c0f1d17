package dev.stoic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Properties of {@link RetryAfter#parse}: it never throws, never leaves {@code [0, MAX]}, and
 * reads what {@code java.time} writes.
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

  @Property(tries = 3000)
  void noTextMakesParseThrowAndEveryWaitIsWithinZeroAndMax(
      @ForAll("headerText") String value, @ForAll("anyInstant") Instant now) {
    Optional<Duration> wait = RetryAfter.parse(value, now);
    wait.ifPresent(RetryAfterPropertiesTest::assertWithinZeroAndMax);
  }

  @Property
  void everyNonNegativeLongParsesToItsSecondsCappedAtMax(
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seconds) {
    assertEquals(Optional.of(capped(Duration.ofSeconds(seconds))), parse(Long.toString(seconds)));
  }

  @Property
  void leadingZerosAndSurroundingWhitespaceDoNotChangeADelta(
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seconds,
      @ForAll @IntRange(min = 0, max = 30) int zeros,
      @ForAll("optionalWhitespace") String before,
      @ForAll("optionalWhitespace") String after) {
    String value = before + "0".repeat(zeros) + seconds + after;
    assertEquals(Optional.of(capped(Duration.ofSeconds(seconds))), parse(value));
  }

  @Property
  void numbersTooLongForALongSaturateAtMax(@ForAll("beyondLong") BigInteger seconds) {
    assertEquals(Optional.of(RetryAfter.MAX), parse(seconds.toString()));
  }

  @Property
  void futureImfFixdateReadsAsTheExactWaitCappedAtMax(
      @ForAll("anyInstantOfOurEra") Instant now, @ForAll("secondsAhead") long ahead) {
    Instant date = Instant.ofEpochSecond(Math.min(now.getEpochSecond() + ahead, LAST_SECOND));
    assertEquals(
        Optional.of(expectedWait(now, date)), RetryAfter.parse(IMF_FIXDATE.format(date), now));
  }

  @Property
  void futureRfc850DateReadsAsTheExactWaitCappedAtMax(
      @ForAll("anyInstantOfOurEra") Instant now, @ForAll("secondsAhead") long ahead) {
    Instant date = Instant.ofEpochSecond(now.getEpochSecond() + Math.min(ahead, FORTY_NINE_YEARS));
    assertEquals(
        Optional.of(expectedWait(now, date)), RetryAfter.parse(RFC_850.format(date), now));
  }

  @Property
  void futureAsctimeDateReadsAsTheExactWaitCappedAtMax(
      @ForAll("anyInstantOfOurEra") Instant now, @ForAll("secondsAhead") long ahead) {
    Instant date = Instant.ofEpochSecond(Math.min(now.getEpochSecond() + ahead, LAST_SECOND));
    assertEquals(
        Optional.of(expectedWait(now, date)), RetryAfter.parse(ASCTIME.format(date), now));
  }

  @Property
  void pastDateInAnyFormIsZero(
      @ForAll("anyInstantOfOurEra") Instant now,
      @ForAll @LongRange(min = 0, max = FORTY_NINE_YEARS) long back) {
    Instant date = Instant.ofEpochSecond(now.getEpochSecond() - back);
    Optional<Duration> zero = Optional.of(Duration.ZERO);
    assertEquals(zero, RetryAfter.parse(IMF_FIXDATE.format(date), now));
    assertEquals(zero, RetryAfter.parse(RFC_850.format(date), now));
    assertEquals(zero, RetryAfter.parse(ASCTIME.format(date), now));
  }

  @Provide
  Arbitrary<String> headerText() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(40),
        Arbitraries.strings().withChars("0123456789 \t+-.,eEsx").ofMaxLength(40),
        dateishTokens(),
        mutatedDates());
  }

  /** Day and month names, separators, numbers and zones in any order: near misses of dates. */
  Arbitrary<String> dateishTokens() {
    return Arbitraries.of(
            "Sun", "Sunday", "sun", "Wed", "Wednesday", "Nov", "nov", "Feb", "Foo", ",", ", ",
            " ", "  ", "\t", "-", ":", "06", "6", "29", "30", "31", "00", "94", "1994", "2026",
            "9999", "08:49:37", "23:59:60", "24:00:00", "GMT", "gmt", "UTC", "+0000", "1", "0",
            "\u0661", "\u017f", "\r\n", "99999999999999999999")
        .list()
        .ofMaxSize(12)
        .map(tokens -> String.join("", tokens));
  }

  /** A valid date in one of the three forms with one character replaced, removed or added. */
  Arbitrary<String> mutatedDates() {
    Arbitrary<String> dates =
        Combinators.combine(
                Arbitraries.longs().between(FIRST_SECOND, LAST_SECOND),
                Arbitraries.of(IMF_FIXDATE, RFC_850, ASCTIME))
            .as((second, format) -> format.format(Instant.ofEpochSecond(second)));
    Arbitrary<Character> replacement =
        Arbitraries.oneOf(Arbitraries.chars().with(" ,-:0123456789GMTnov\t"), Arbitraries.chars());
    return Combinators.combine(
            dates,
            Arbitraries.integers().between(0, 40),
            replacement,
            Arbitraries.integers().between(0, 2))
        .as(
            (date, position, c, edit) -> {
              int i = Math.min(position, date.length());
              String head = date.substring(0, i);
              String tail = date.substring(i);
              switch (edit) {
                case 0:
                  return head + c + (tail.isEmpty() ? "" : tail.substring(1));
                case 1:
                  return head + (tail.isEmpty() ? "" : tail.substring(1));
                default:
                  return head + c + tail;
              }
            });
  }

  @Provide
  Arbitrary<String> optionalWhitespace() {
    return Arbitraries.strings().withChars(" \t").ofMaxLength(4);
  }

  @Provide
  Arbitrary<BigInteger> beyondLong() {
    return Arbitraries.bigIntegers()
        .between(BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE), BigInteger.TEN.pow(40));
  }

  @Provide
  Arbitrary<Instant> anyInstant() {
    return Arbitraries.oneOf(
        instants(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()),
        instants(FIRST_SECOND, LAST_SECOND));
  }

  @Provide
  Arbitrary<Instant> anyInstantOfOurEra() {
    return instants(
        Instant.parse("1900-01-01T00:00:00Z").getEpochSecond(),
        Instant.parse("2200-01-01T00:00:00Z").getEpochSecond());
  }

  /** Mostly within twice MAX, so that exact waits are common and not always saturated. */
  @Provide
  Arbitrary<Long> secondsAhead() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.longs().between(0, 10)),
        Tuple.of(6, Arbitraries.longs().between(0, 2 * RetryAfter.MAX.getSeconds())),
        Tuple.of(2, Arbitraries.longs().between(0, LAST_SECOND)));
  }

  private static Arbitrary<Instant> instants(long fromSecond, long toSecond) {
    return Combinators.combine(
            Arbitraries.longs().between(fromSecond, toSecond),
            Arbitraries.integers().between(0, 999_999_999))
        .as(Instant::ofEpochSecond);
  }

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
