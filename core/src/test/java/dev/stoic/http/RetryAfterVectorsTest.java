package dev.stoic.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exact expectations for single {@code Retry-After} values, all read at one fixed instant.
 *
 * <p>Each row is: what it shows, the header value, and the expected wait as whole seconds,
 * {@code MAX} (saturated) or {@code absent}. The date variants servers write (one-digit days,
 * {@code UTC}, numeric zones) and how other parsers read them are in {@link HttpDateVectorsTest}.
 */
class RetryAfterVectorsTest {
  /** A Sunday. MAX is 31536000 seconds (365 days). */
  static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  static Stream<Arguments> vectors() {
    return Stream.of(
        // Delta-seconds.
        row("zero", "0", "0"),
        row("one second", "1", "1"),
        row("two minutes", "120", "120"),
        row("leading zeros", "007", "7"),
        row("more leading zeros than a long has digits", "0000000000000000000000000120", "120"),
        row("one day", "86400", "86400"),
        row("one second under MAX", "31535999", "31535999"),
        row("exactly MAX", "31536000", "MAX"),
        row("one second over MAX", "31536001", "MAX"),
        row("Long.MAX_VALUE", "9223372036854775807", "MAX"),
        row("2^63, one past Long.MAX_VALUE", "9223372036854775808", "MAX"),
        row("30 digits", "123456789012345678901234567890", "MAX"),
        // Optional whitespace is spaces and tabs only.
        row("space before", " 120", "120"),
        row("space after", "120 ", "120"),
        row("tabs around", "\t120\t", "120"),
        row("mixed spaces and tabs around", " \t 120 \t ", "120"),
        row("newline before is not OWS", "\n120", "absent"),
        row("CRLF after is not OWS", "120\r\n", "absent"),
        row("no-break space is not OWS", "\u00a0120", "absent"),
        // Not delta-seconds.
        row("negative", "-1", "absent"),
        row("explicit plus sign", "+5", "absent"),
        row("negative zero", "-0", "absent"),
        row("fraction", "1.5", "absent"),
        row("fraction of zero", "1.0", "absent"),
        row("unit suffix", "10s", "absent"),
        row("exponent", "1e3", "absent"),
        row("hexadecimal", "0x10", "absent"),
        row("empty", "", "absent"),
        row("blank", "   ", "absent"),
        row("tab only", "\t", "absent"),
        row("word", "abc", "absent"),
        row("space inside", "1 2", "absent"),
        row("Arabic-Indic digits", "\u0661\u0662", "absent"),
        row("fullwidth digits", "\uff11\uff12", "absent"),
        row("comma list is not split", "120, 60", "absent"),
        row("junk after a huge number is still junk", "99999999999999999999x", "absent"),
        // IMF-fixdate.
        row("IMF-fixdate two minutes ahead", "Sun, 22 Nov 2026 10:02:00 GMT", "120"),
        row("IMF-fixdate one second ahead", "Sun, 22 Nov 2026 10:00:01 GMT", "1"),
        row("IMF-fixdate exactly now", "Sun, 22 Nov 2026 10:00:00 GMT", "0"),
        row("IMF-fixdate one second ago", "Sun, 22 Nov 2026 09:59:59 GMT", "0"),
        row("IMF-fixdate long past", "Sun, 06 Nov 1994 08:49:37 GMT", "0"),
        row("IMF-fixdate in year 9999", "Fri, 31 Dec 9999 23:59:59 GMT", "MAX"),
        row("IMF-fixdate on a leap day, 464 days ahead", "Tue, 29 Feb 2028 10:00:00 GMT", "MAX"),
        row("IMF-fixdate with whitespace around", " \tSun, 22 Nov 2026 10:02:00 GMT\t ", "120"),
        row("lowercase month", "Sun, 22 nov 2026 10:02:00 GMT", "120"),
        row("uppercase names", "SUN, 22 NOV 2026 10:02:00 GMT", "120"),
        row("lowercase gmt", "Sun, 22 Nov 2026 10:02:00 gmt", "120"),
        row("mismatching weekday is ignored", "Fri, 22 Nov 2026 10:02:00 GMT", "120"),
        row("leap second at 23:59:60", "Thu, 31 Dec 2026 23:59:60 GMT", "3420000"),
        row("not a day name", "Sux, 22 Nov 2026 10:02:00 GMT", "absent"),
        row("Unicode long s in day name", "\u017fun, 22 Nov 2026 10:02:00 GMT", "absent"),
        row("bad month", "Sun, 22 Foo 2026 10:02:00 GMT", "absent"),
        row("February 30", "Tue, 30 Feb 2027 10:00:00 GMT", "absent"),
        row("February 29 of a common year", "Mon, 29 Feb 2027 10:00:00 GMT", "absent"),
        row("day 00", "Sun, 00 Nov 2026 10:02:00 GMT", "absent"),
        row("day 31 of November", "Mon, 31 Nov 2026 10:02:00 GMT", "absent"),
        row("hour 24", "Sun, 22 Nov 2026 24:00:00 GMT", "absent"),
        row("hour 25", "Sun, 22 Nov 2026 25:00:00 GMT", "absent"),
        row("minute 60", "Sun, 22 Nov 2026 10:60:00 GMT", "absent"),
        row("second 60 before 23:59", "Sun, 22 Nov 2026 10:02:60 GMT", "absent"),
        row("second 61", "Thu, 31 Dec 2026 23:59:61 GMT", "absent"),
        row("missing GMT", "Sun, 22 Nov 2026 10:02:00", "absent"),
        row("UTC instead of GMT", "Sun, 22 Nov 2026 10:02:00 UTC", "120"),
        row("numeric offset instead of GMT", "Sun, 22 Nov 2026 10:02:00 +0000", "120"),
        row("named zone other than GMT, UTC, UT", "Sun, 22 Nov 2026 02:02:00 PST", "absent"),
        row("trailing junk", "Sun, 22 Nov 2026 10:02:00 GMTx", "absent"),
        row("trailing word", "Sun, 22 Nov 2026 10:02:00 GMT soon", "absent"),
        row("single-digit day", "Mon, 2 Nov 2026 10:02:00 GMT", "0"),
        row("single-digit day ahead", "Tue, 1 Dec 2026 10:00:00 GMT", "777600"),
        row("two-digit year", "Sun, 22 Nov 26 10:02:00 GMT", "absent"),
        row("doubled space", "Sun,  22 Nov 2026 10:02:00 GMT", "absent"),
        row("non-ASCII digit in date", "Sun, 2\u0662 Nov 2026 10:02:00 GMT", "absent"),
        row("full day name with four-digit year", "Sunday, 22 Nov 2026 10:02:00 GMT", "120"),
        // The comma-split trap: either half of an IMF-fixdate alone is nothing.
        row("comma trap: day name alone", "Sun", "absent"),
        row("comma trap: rest after the comma", " 22 Nov 2026 10:02:00 GMT", "absent"),
        row("comma trap: two dates on one line",
            "Sun, 22 Nov 2026 10:02:00 GMT, Sun, 22 Nov 2026 10:03:00 GMT", "absent"),
        // RFC 850.
        row("RFC 850 one hour ahead", "Sunday, 22-Nov-26 11:00:00 GMT", "3600"),
        row("RFC 850 one day ahead", "Monday, 23-Nov-26 10:00:00 GMT", "86400"),
        row("RFC 850 exactly now", "Sunday, 22-Nov-26 10:00:00 GMT", "0"),
        row("RFC 850 past, 94 is 1994 not 2094", "Sunday, 06-Nov-94 08:49:37 GMT", "0"),
        row("RFC 850 year 27 is 2027 not 1927", "Monday, 01-Feb-27 10:00:00 GMT", "6134400"),
        row("RFC 850 exactly 50 years ahead is 2076", "Sunday, 22-Nov-76 10:00:00 GMT", "MAX"),
        row("RFC 850 a second over 50 years ahead is 1976", "Monday, 22-Nov-76 10:00:01 GMT", "0"),
        row("RFC 850 year 77 is 1977", "Monday, 01-Jan-77 00:00:00 GMT", "0"),
        row("RFC 850 lowercase names", "sunday, 22-nov-26 11:00:00 gmt", "3600"),
        row("RFC 850 abbreviated day name", "Sun, 22-Nov-26 11:00:00 GMT", "3600"),
        row("RFC 850 misspelled day name", "Sundey, 22-Nov-26 11:00:00 GMT", "absent"),
        row("RFC 850 four-digit year", "Sunday, 22-Nov-2026 11:00:00 GMT", "3600"),
        row("RFC 850 three-digit year", "Sunday, 22-Nov-026 11:00:00 GMT", "absent"),
        row("RFC 850 February 29 of 2027", "Monday, 29-Feb-27 10:00:00 GMT", "absent"),
        // asctime.
        row("asctime five minutes ahead", "Sun Nov 22 10:05:00 2026", "300"),
        row("asctime space-padded day", "Tue Dec  1 10:00:00 2026", "777600"),
        row("asctime zero-padded day", "Tue Dec 01 10:00:00 2026", "777600"),
        row("asctime single space before day", "Tue Dec 1 10:00:00 2026", "777600"),
        row("asctime exactly now", "Sun Nov 22 10:00:00 2026", "0"),
        row("asctime past", "Sun Nov  6 08:49:37 1994", "0"),
        row("asctime with GMT appended", "Sun Nov 22 10:05:00 2026 GMT", "absent"),
        row("asctime day 0", "Sun Nov  0 10:05:00 2026", "absent"));
  }

  @ParameterizedTest(name = "{0}: [{1}] -> {2}")
  @MethodSource("vectors")
  void headerValueParsesToItsExpectedWait(String what, String value, String expected) {
    assertEquals(expectation(expected), RetryAfter.parse(value, NOW), what);
  }

  @Test
  void nullValueIsAbsent() {
    assertEquals(Optional.empty(), RetryAfter.parse((String) null, NOW));
  }

  @Test
  void waitUntilADateKeepsTheNanosecondsOfNow() {
    Instant now = NOW.plusMillis(250);
    assertEquals(
        Optional.of(Duration.ofMillis(119_750)),
        RetryAfter.parse("Sun, 22 Nov 2026 10:02:00 GMT", now));
  }

  @Test
  void dateEarlierInTheSameSecondAsNowIsZero() {
    assertEquals(
        Optional.of(Duration.ZERO),
        RetryAfter.parse("Sun, 22 Nov 2026 10:00:00 GMT", NOW.plusNanos(1)));
  }

  @Test
  void leapDayIsADayLikeAnyOther() {
    Instant now = Instant.parse("2028-02-28T10:00:00Z");
    assertEquals(
        Optional.of(Duration.ofDays(1)), RetryAfter.parse("Tue, 29 Feb 2028 10:00:00 GMT", now));
    assertEquals(
        Optional.of(Duration.ofDays(2)), RetryAfter.parse("Wed Mar  1 10:00:00 2028", now));
  }

  @Test
  void rfc850YearNearACenturyIsTheNearestOne() {
    Instant now = Instant.parse("2099-12-31T00:00:00Z");
    assertEquals(
        Optional.of(Duration.ofDays(1)), RetryAfter.parse("Friday, 01-Jan-00 00:00:00 GMT", now));
  }

  @Test
  void instantMinAndMaxAsNowStillGiveExactWaits() {
    assertEquals(
        Optional.of(RetryAfter.MAX),
        RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", Instant.MIN));
    assertEquals(
        Optional.of(Duration.ZERO), RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", Instant.MAX));
    String rfc850 = "Sunday, 06-Nov-94 08:49:37 GMT";
    assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse(rfc850, Instant.MIN));
    assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse(rfc850, Instant.MAX));
    assertEquals(Optional.of(Duration.ofSeconds(99)), RetryAfter.parse("99", Instant.MAX));
  }

  private static Arguments row(String what, String value, String expected) {
    return Arguments.of(what, value, expected);
  }

  private static Optional<Duration> expectation(String expected) {
    switch (expected) {
      case "absent":
        return Optional.empty();
      case "MAX":
        return Optional.of(RetryAfter.MAX);
      default:
        return Optional.of(Duration.ofSeconds(Long.parseLong(expected)));
    }
  }
}
