package dev.stoic.http;

import static dev.stoic.testing.Generators.anyChar;
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
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code Retry-After} dates as servers and libraries actually write them, and other projects'
 * published test vectors, read through {@link RetryAfter#parse} at fixed instants.
 *
 * <p>How other parsers read the same text, run on this machine (OkHttp 4.12.0 and 5.5.1 {@code
 * toHttpDateOrNull}, identical; Apache HttpClient 5.3.1 {@code DateUtils.parseStandardDate} and
 * 4.5.14 {@code DateUtils.parseDate}; Python 3.11 {@code email.utils.parsedate_tz} + {@code
 * mktime_tz}, which is what urllib3 2.x's {@code Retry.parse_retry_after} does; the JDK's {@code
 * DateTimeFormatter.RFC_1123_DATE_TIME}) or read from the layouts (Go net/http {@code ParseTime}:
 * {@code "Mon, 02 Jan 2006 15:04:05 GMT"}, {@code time.RFC850}, {@code time.ANSIC}). "y" reads
 * the instant meant, "-" rejects, anything else is the instant read instead:
 *
 * <pre>
 * value (now = 2026-12-01)              OkHttp  Apache5  Apache4  Go     Python  JDK  | Stoic
 * Tue, 1 Dec 2026 12:07:19 GMT          y       y        y        -      y       y    | y (was -)
 * Tue, 01 Dec 2026 12:07:19 UTC         y       y        y        -      y       -    | y (was -)
 * Tue, 01 Dec 2026 12:07:19 UT          -       y        -        -      y       -    | y
 * ... +0000 / -0000 / 13:07:19 +0100    y       -        y        -      y       y    | y (was -)
 * ... Z                                 -       y        -        -      y       -    | -
 * ... 04:07:19 PST                      y       y        y        -      y       -    | -
 * ... 13:07:19 CET                      y(+1)   y(+1)    y(+1)    -      UTC     -    | -
 * ... 11:07:19 GMT-01:00                y       y        y        -      as GMT  -    | -
 * ... 12:07:19 GMT junk                 y       -        y        -      y       -    | -
 * ... 12:07:19 (no zone)                -       -        -        -      as UTC  -    | -
 * ... 12:07 GMT (no seconds)            -       -        -        -      y       y    | -
 * ... 2:07:19 GMT (one-digit hour)      y       y        y        -      y       y    | -
 * Tue, 001 Dec 2026 ...                 y       y        y        -      y       y    | -
 * Tue,  1 Dec 2026 ... (two spaces)     y       -        y        -      y       -    | -
 * Tue 01 Dec 2026 ... (no comma)        y       -        -        -      y       -    | -
 * Tue, 01 Dec 26 ... (two-digit year)   26 AD   26 AD    26 AD    -      2026    26 AD| -
 * Tuesday, 01 Dec 2026 ... GMT          y       y        y        -      y       -    | y (was -)
 * Tuesday, 01-Dec-2026 ... UTC (PHP)    y       y        y        -      y       -    | y (was -)
 * Tue Dec 1 12:07:19 2026 (asctime)     y       -        y        y      y       -    | y (was -)
 * Tue Dec  1 12:07:19 2026 GMT          y       -        y        -      y       -    | -
 * 'Tue, 01 Dec 2026 12:07:19 GMT'       -       y        y        -      y       -    | -
 * ... 12:07:19 +2400                    -       -        -        -      -24 h   -    | -
 * Thursday, 01-Jan-70 00:00:00 GMT      1970    -(1)     2070     1970   1970    -    | 2070 (2)
 * Wednesday, 01-Jan-77 00:00:00 GMT     1977    -(1)     2077     1977   1977    -    | 1977
 * Saturday, 01-Jan-50 00:00:00 GMT      1950    2050     2050     2050   2050    -    | 2050
 * Thu, 31 Dec 2026 23:59:60 GMT         +1 s    -        +1 s     -      +1 s    -    | +1 s
 * </pre>
 *
 * <p>(1) Apache 5 also checks the day name against the date: it reads the year as 20xx and then
 * rejects Thursday for 2070-01-01. Every other parser, and Stoic, ignores the day name. (2) RFC
 * 9110 section 5.6.7: a two-digit year is in the future unless that is more than 50 years ahead;
 * OkHttp (SimpleDateFormat: 80 years back, 20 ahead), Go and Python (1969 to 2068) use other
 * windows, Apache a fixed 2000 to 2099. OkHttp's own vector "Thursday, 01-Jan-70" expects 1970,
 * which holds only until 2020 under RFC 9110. Stoic follows the RFC.
 *
 * <p>What Stoic chose: every variant some widely used writer produces (Java's RFC_1123_DATE_TIME,
 * Go's time.RFC1123, PHP's date('r') and DATE_COOKIE, Python's formatdate, Ruby's rfc2822, the
 * Netscape cookie date, asctime without the pad), read exactly, and nothing that needs guessing:
 * zone names other than GMT, UTC and UT need a time-zone database and daylight-saving rules (the
 * parsers above read CET three ways), and trailing text, missing fields and odd spacing are more
 * likely a broken header than a date.
 */
class HttpDateVectorsTest {
  /** A Tuesday, 2 s before the date in the issue. MAX is 31536000 seconds (365 days). */
  static final Instant NOW = Instant.parse("2026-12-01T12:07:17Z");

  static Stream<Arguments> writtenByServers() {
    return Stream.of(
        // Java's DateTimeFormatter.RFC_1123_DATE_TIME: one-digit day on the 1st to the 9th.
        row("the issue: RFC_1123_DATE_TIME, one-digit day", "Tue, 1 Dec 2026 12:07:19 GMT", "2"),
        row("RFC_1123_DATE_TIME, a day later", "Wed, 2 Dec 2026 12:07:17 GMT", "86400"),
        row("RFC_1123_DATE_TIME in a local zone", "Tue, 1 Dec 2026 13:07:19 +0100", "2"),
        row("RFC_1123_DATE_TIME west of Greenwich", "Tue, 1 Dec 2026 07:07:19 -0500", "2"),
        row("RFC_1123_DATE_TIME, half-hour zone", "Tue, 1 Dec 2026 17:37:19 +0530", "2"),
        row("offset that moves the date back a day", "Mon, 30 Nov 2026 23:07:19 -1300", "2"),
        row("offset that moves the date on a day", "Wed, 2 Dec 2026 00:07:19 +1200", "2"),
        // Go's time.RFC1123 on a UTC time, PHP's date('D, d M Y H:i:s T') in UTC.
        row("Go time.RFC1123: UTC", "Tue, 01 Dec 2026 12:07:19 UTC", "2"),
        row("UTC with a one-digit day", "Tue, 1 Dec 2026 12:07:19 UTC", "2"),
        row("UT, RFC 5322's name for it", "Tue, 01 Dec 2026 12:07:19 UT", "2"),
        // PHP's date('r'), Python's formatdate(), Ruby's Time#rfc2822.
        row("PHP date('r'): +0000", "Tue, 01 Dec 2026 12:07:19 +0000", "2"),
        row("Python formatdate(), Ruby rfc2822: -0000", "Tue, 01 Dec 2026 12:07:19 -0000", "2"),
        row("largest offset accepted", "Wed, 2 Dec 2026 12:06:19 +2359", "2"),
        row("lowest offset accepted", "Mon, 30 Nov 2026 12:08:19 -2359", "2"),
        // Full day names, four-digit years with dashes (PHP DATE_COOKIE, Netscape cookies).
        row("full day name, spaces", "Tuesday, 01 Dec 2026 12:07:19 GMT", "2"),
        row("PHP DATE_COOKIE", "Tuesday, 01-Dec-2026 12:07:19 UTC", "2"),
        row("Netscape cookie date", "Tue, 01-Dec-2026 12:07:19 GMT", "2"),
        row("RFC 850 with a one-digit day", "Tuesday, 1-Dec-26 12:07:19 GMT", "2"),
        row("RFC 850 with UTC (PHP DATE_RFC850)", "Tuesday, 01-Dec-26 12:07:19 UTC", "2"),
        row("RFC 850 with a numeric zone", "Tuesday, 01-Dec-26 12:07:19 +0000", "2"),
        // asctime, padded or not.
        row("asctime, space-padded day", "Tue Dec  1 12:07:19 2026", "2"),
        row("asctime, single space before the day", "Tue Dec 1 12:07:19 2026", "2"),
        row("asctime, zero-padded day", "Tue Dec 01 12:07:19 2026", "2"),
        row("lowercase everything", "tue, 1 dec 2026 12:07:19 utc", "2"),
        // Two-digit years, RFC 9110's 50-year rule at now = 2026-12-01.
        row("two-digit year 70 is 2070, 44 years ahead", "Thursday, 01-Jan-70 00:00:00 GMT", "MAX"),
        row("two-digit year 77 is 1977", "Wednesday, 01-Jan-77 00:00:00 GMT", "0"),
        row("two-digit year 76 is 2076, 49 years ahead", "Friday, 01-Jan-76 00:00:00 GMT", "MAX"),
        row("two-digit year 50 is 2050", "Saturday, 01-Jan-50 00:00:00 GMT", "MAX"),
        row("two-digit year 26 is this year", "Tuesday, 01-Dec-26 12:07:19 GMT", "2"),
        // Leap seconds: 23:59:60 UTC only, wherever the zone puts it.
        row("leap second in GMT", "Thu, 31 Dec 2026 23:59:60 GMT", "2634763"),
        row("leap second at +0100 is 00:59:60", "Fri, 1 Jan 2027 00:59:60 +0100", "2634763"),
        row("23:59:60 at +0100 is not a leap second", "Thu, 31 Dec 2026 23:59:60 +0100", "absent"),
        // Still nothing: zones that need a database, and text that is not quite a date.
        row("zone name PST", "Tue, 01 Dec 2026 04:07:19 PST", "absent"),
        row("zone name CET", "Tue, 01 Dec 2026 13:07:19 CET", "absent"),
        row("military zone Z", "Tue, 01 Dec 2026 12:07:19 Z", "absent"),
        row("offset with a colon", "Tue, 01 Dec 2026 13:07:19 +01:00", "absent"),
        row("GMT plus an offset", "Tue, 01 Dec 2026 11:07:19 GMT-01:00", "absent"),
        row("offset hour 24", "Tue, 01 Dec 2026 12:07:19 +2400", "absent"),
        row("offset minute 60", "Tue, 01 Dec 2026 12:07:19 +0060", "absent"),
        row("offset of three digits", "Tue, 01 Dec 2026 12:07:19 +000", "absent"),
        row("offset without a sign", "Tue, 01 Dec 2026 12:07:19 0000", "absent"),
        row("trailing text after the zone", "Tue, 01 Dec 2026 12:07:19 GMT junk", "absent"),
        row("no zone", "Tue, 01 Dec 2026 12:07:19", "absent"),
        row("no seconds", "Tue, 01 Dec 2026 12:07 GMT", "absent"),
        row("one-digit hour", "Tue, 01 Dec 2026 2:07:19 GMT", "absent"),
        row("three-digit day", "Tue, 001 Dec 2026 12:07:19 GMT", "absent"),
        row("space-padded day after the comma", "Tue,  1 Dec 2026 12:07:19 GMT", "absent"),
        row("no comma", "Tue 01 Dec 2026 12:07:19 GMT", "absent"),
        row("no space after the comma", "Tue,01 Dec 2026 12:07:19 GMT", "absent"),
        row("two-digit year with spaces", "Tue, 01 Dec 26 12:07:19 GMT", "absent"),
        row("mixed separators", "Tue, 01-Dec 2026 12:07:19 GMT", "absent"),
        row("five-digit year", "Tue, 01 Dec 20260 12:07:19 GMT", "absent"),
        row("quoted", "'Tue, 01 Dec 2026 12:07:19 GMT'", "absent"),
        row("asctime with a zone", "Tue Dec  1 12:07:19 2026 GMT", "absent"),
        row("asctime with the year before the time", "Tue Dec 1 2026 12:07:19 GMT", "absent"),
        row("asctime with a full day name", "Tuesday Dec 1 12:07:19 2026", "absent"),
        row("asctime with three spaces", "Tue Dec   1 12:07:19 2026", "absent"),
        row("day name of four letters", "Tues, 01 Dec 2026 12:07:19 GMT", "absent"),
        row("day 32", "Tue, 32 Dec 2026 12:07:19 GMT", "absent"),
        row("day 0 with one digit", "Tue, 0 Dec 2026 12:07:19 GMT", "absent"),
        row("a date in the middle of the value", "x Tue, 1 Dec 2026 12:07:19 GMT", "absent"));
  }

  @ParameterizedTest(name = "{0}: [{1}] -> {2}")
  @MethodSource("writtenByServers")
  void datesAsServersWriteThemReadAsTheWaitTheyMean(String what, String value, String expected) {
    assertEquals(expectation(expected), RetryAfter.parse(value, NOW), what);
  }

  /**
   * Other projects' published vectors: the project, the value, the instant that project expects
   * and the instant Stoic reads ("absent" where Stoic reads none). Each is read one hour before
   * Stoic's instant, so the wait shows the exact second.
   */
  static Stream<Arguments> published() {
    return Stream.of(
        // RFC 9110 section 5.6.7's three examples; Go net/http TestParseTime uses the same.
        published("RFC 9110", "Sun, 06 Nov 1994 08:49:37 GMT", "1994-11-06T08:49:37Z", "same"),
        published("RFC 9110", "Sunday, 06-Nov-94 08:49:37 GMT", "1994-11-06T08:49:37Z", "same"),
        published("RFC 9110", "Sun Nov  6 08:49:37 1994", "1994-11-06T08:49:37Z", "same"),
        published("Go TestParseTime", "1994-11-06T08:49:37Z00:00", "absent", "same"),
        published("Go TestParseTime", "invalid", "absent", "same"),
        // OkHttp HttpDateTest.parseStandardFormats.
        published("OkHttp", "Thu, 01 Jan 1970 00:00:00 GMT", "1970-01-01T00:00:00Z", "same"),
        published("OkHttp", "Fri, 06 Jun 2014 12:30:30 GMT", "2014-06-06T12:30:30Z", "same"),
        published("OkHttp", "Friday, 06-Jun-14 12:30:30 GMT", "2014-06-06T12:30:30Z", "same"),
        published("OkHttp", "Thu Jan 1 00:00:00 1970", "1970-01-01T00:00:00Z", "same"),
        published("OkHttp", "Fri Jun 6 12:30:30 2014", "2014-06-06T12:30:30Z", "same"),
        // Read an hour before 1970 the two-digit year is 1970 under RFC 9110 too; at 2026 see
        // writtenByServers.
        published("OkHttp", "Thursday, 01-Jan-70 00:00:00 GMT", "1970-01-01T00:00:00Z", "same"),
        // OkHttp HttpDateTest.parseNonStandardStrings.
        published("OkHttp", "Thu, 01 Jan 1970 00:00:00 GMT-01:00", "1970-01-01T01:00:00Z",
            "absent"),
        published("OkHttp", "Thu, 01 Jan 1970 00:00:00 PST", "1970-01-01T08:00:00Z", "absent"),
        published("OkHttp", "Thu, 01 Jan 1970 00:00:00 GMT JUNK", "1970-01-01T00:00:00Z",
            "absent"),
        published("OkHttp", "Thu, 01 Jan 1970 00:00:00", "absent", "same"),
        published("OkHttp", "Thu, 01 Jan 1970 00:00 GMT", "absent", "same"),
        published("OkHttp", "Thu,  01 Jan 1970 00:00 GMT", "absent", "same"),
        published("OkHttp", "Thu, 1 Jan 1970 00:00 GMT", "absent", "same"),
        published("OkHttp", "Thursday, 01-Jan-1970 00:00:00 GMT-01:00", "1970-01-01T01:00:00Z",
            "absent"),
        published("OkHttp", "Thursday, 01-Jan-1970 00:00:00 PST", "1970-01-01T08:00:00Z",
            "absent"),
        published("OkHttp", "Thursday, 01-Jan-1970 00:00:00 PST JUNK", "1970-01-01T08:00:00Z",
            "absent"),
        published("OkHttp", "Fri Jun 6 12:30:30 2014 PST", "2014-06-06T12:30:30Z", "absent"),
        published("OkHttp", "Fri Jun 6 12:30:30 2014 JUNK", "2014-06-06T12:30:30Z", "absent"),
        // urllib3 test_retry.py, test_respect_retry_after_header_sleep (now 2019-06-03T11:00Z).
        published("urllib3", "Mon, 3 Jun 2019 12:00:00 UTC", "2019-06-03T12:00:00Z", "same"),
        published("urllib3", "Mon, 03 Jun 2019 11:30:12 GMT", "2019-06-03T11:30:12Z", "same"),
        published("urllib3", "Monday, 03-Jun-19 11:30:12 GMT", "2019-06-03T11:30:12Z", "same"),
        published("urllib3", "Mon Jun  3 11:30:12 2019", "2019-06-03T11:30:12Z", "same"),
        // Python test_email / test_utils: RFC 5322 dates (numeric zones; a zone name).
        published("Python", "Wed, 3 Apr 2002 14:58:26 +0800", "2002-04-03T06:58:26Z", "same"),
        published("Python", "Fri, 19 Nov 82 16:14:55 EST", "1982-11-19T21:14:55Z", "absent"),
        published("Python", "Tue, 06 Jun 2017 07:39:33 +2600", "absent", "same"),
        published("Python", "Tue, 06 Jun 2017 27:39:33 +0600", "absent", "same"),
        published("Python", "Friday, -Nov-82 16:14:55 EST", "absent", "same"),
        // Apache HttpClient 5 TestDateUtils.
        published("Apache", "Fri, 14 Oct 2005 00:00:00 GMT", "2005-10-14T00:00:00Z", "same"),
        published("Apache", "Friday, 14 Oct 2005 00:00:00 GMT", "2005-10-14T00:00:00Z", "same"),
        published("Apache", "Fri, 14-Oct-2005 00:00:00 GMT", "2005-10-14T00:00:00Z", "same"),
        published("Apache", "Friday, 14-Oct-2005 00:00:00 GMT", "2005-10-14T00:00:00Z", "same"),
        published("Apache", "Friday, 14-Oct-05 00:00:00 GMT", "2005-10-14T00:00:00Z", "same"),
        published("Apache", "Fri, 14 Oct 2005 00:00:00 CET", "2005-10-13T22:00:00Z", "absent"),
        published("Apache", "Fri, 14-Oct-05 00:00:00 CET", "2005-10-13T22:00:00Z", "absent"),
        published("Apache", "'Fri, 14 Oct 2005 00:00:00 GMT'", "2005-10-14T00:00:00Z", "absent"));
  }

  @ParameterizedTest(name = "{0}: [{1}] -> theirs {2}, ours {3}")
  @MethodSource("published")
  void publishedVectorsReadAsListed(String source, String value, String theirs, String ours) {
    String expected = ours.equals("same") ? theirs : ours;
    if (expected.equals("absent")) {
      // Absent at any instant: try a few.
      for (Instant now : List.of(NOW, Instant.EPOCH, Instant.parse("2005-10-13T00:00:00Z"))) {
        assertEquals(Optional.empty(), RetryAfter.parse(value, now), source + " at " + now);
      }
      return;
    }
    Instant instant = Instant.parse(expected);
    assertEquals(Optional.of(Duration.ofHours(1)),
        RetryAfter.parse(value, instant.minus(Duration.ofHours(1))), source);
  }

  /* Properties, run by our seeded harness. */

  static final int TRIES = 2000;
  /* Years 0001 to 9999: what RFC_1123_DATE_TIME writes with four digits. */
  static final long FIRST_SECOND = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
  static final long LAST_SECOND = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
  /* From here on every zone's offset is whole minutes, which "+HHMM" writes exactly. */
  static final long WHOLE_MINUTE_OFFSETS = Instant.parse("1973-01-01T00:00:00Z").getEpochSecond();
  /* Every zone the JDK knows, in a fixed order, so that a seed picks the same one everywhere. */
  static final List<String> ZONES = ZoneId.getAvailableZoneIds().stream().sorted().toList();

  record DateAt(Instant date, String zone, long secondsAhead, int nanos) {
    /** The instant to read the date at: {@code secondsAhead} before it, plus {@code nanos}. */
    Instant now() {
      return date.minusSeconds(secondsAhead).plusNanos(nanos);
    }
  }

  record Written(String format, Instant date, long secondsAhead) {}

  record TextAt(String value, Instant now) {}

  @Test
  void everyDateRfc1123DateTimeWritesInGmtReadsAsTheExactWait() {
    Properties.forAll("everyDateRfc1123DateTimeWritesInGmtReadsAsTheExactWait", TRIES,
        dates(FIRST_SECOND),
        c -> {
          // A local time in some zone, converted to GMT, as a server would before writing it.
          String value = DateTimeFormatter.RFC_1123_DATE_TIME.format(
              c.date().atZone(ZoneId.of(c.zone())).withZoneSameInstant(ZoneOffset.UTC));
          assertTrue(value.endsWith(" GMT"), value);
          assertEquals(Optional.of(expectedWait(c.now(), c.date())),
              RetryAfter.parse(value, c.now()), value);
        });
  }

  @Test
  void everyDateRfc1123DateTimeWritesInALocalZoneReadsAsTheExactWait() {
    Properties.forAll("everyDateRfc1123DateTimeWritesInALocalZoneReadsAsTheExactWait", TRIES,
        dates(WHOLE_MINUTE_OFFSETS),
        c -> {
          String value = DateTimeFormatter.RFC_1123_DATE_TIME.format(
              c.date().atZone(ZoneId.of(c.zone())));
          assertEquals(Optional.of(expectedWait(c.now(), c.date())),
              RetryAfter.parse(value, c.now()), value);
        });
  }

  /** Patterns of other writers, all in UTC: Go, PHP, Python, Ruby, cookies, asctime unpadded. */
  static final List<String> WRITERS = List.of(
      "EEE, dd MMM yyyy HH:mm:ss 'UTC'", // Go time.RFC1123 on a UTC time
      "EEE, dd MMM yyyy HH:mm:ss '+0000'", // PHP date('r')
      "EEE, dd MMM yyyy HH:mm:ss '-0000'", // Python formatdate(), Ruby Time#rfc2822
      "EEEE, dd-MMM-yyyy HH:mm:ss 'UTC'", // PHP DATE_COOKIE
      "EEE, dd-MMM-yyyy HH:mm:ss 'GMT'", // Netscape cookie
      "EEE, d MMM yyyy HH:mm:ss 'UT'", // RFC 5322 obs-zone
      "EEE MMM d HH:mm:ss yyyy"); // asctime with a single space before a one-digit day

  @Test
  void everyDateOtherWritersProduceReadsAsTheExactWait() {
    Function<SplittableRandom, String> formats = elementOf(WRITERS.toArray(new String[0]));
    Function<SplittableRandom, Long> seconds = longs(FIRST_SECOND, LAST_SECOND);
    Function<SplittableRandom, Long> ahead = secondsAhead();
    Properties.forAll("everyDateOtherWritersProduceReadsAsTheExactWait", TRIES,
        r -> new Written(formats.apply(r), Instant.ofEpochSecond(seconds.apply(r)),
            ahead.apply(r)),
        c -> {
          String value = DateTimeFormatter.ofPattern(c.format(), Locale.US)
              .withZone(ZoneOffset.UTC).format(c.date());
          Instant now = c.date().minusSeconds(c.secondsAhead());
          assertEquals(Optional.of(expectedWait(now, c.date())), RetryAfter.parse(value, now),
              value);
        });
  }

  @Test
  void noDateishTextMakesParseThrowAndEveryWaitIsWithinZeroAndMax() {
    Function<SplittableRandom, Instant> nows = oneOf(
        instants(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()),
        instants(FIRST_SECOND, LAST_SECOND));
    Properties.forAll("noDateishTextMakesParseThrowAndEveryWaitIsWithinZeroAndMax", 5000,
        r -> new TextAt(DATEISH.apply(r), nows.apply(r)),
        c -> RetryAfter.parse(c.value(), c.now()).ifPresent(wait -> assertTrue(
            !wait.isNegative() && wait.compareTo(RetryAfter.MAX) <= 0, wait::toString)));
  }

  /* Generators. */

  /** Tokens of every accepted form and of the near misses, in any order. */
  static final Function<SplittableRandom, String> TOKEN_SOUP =
      lists(
              elementOf(
                  "Tue", "Tuesday", "tue", "Tues", "Dec", "dec", "Feb", ",", ", ", " ", "  ", "-",
                  ":", "1", "01", "001", "0", "9", "29", "31", "32", "26", "70", "2026", "20260",
                  "12:07:19", "2:07:19", "23:59:60", "00:59:60", "12:07", "GMT", "UTC", "UT", "Z",
                  "PST", "+0000", "-0000", "+0100", "+2359", "-2359", "+2400", "+0060", "+01:00",
                  "+", "'", "\t", "\u0661", "\u017f", "99999"),
              14)
          .andThen(tokens -> String.join("", tokens));

  /** A date some writer produced, with one character replaced, removed or added. */
  static final Function<SplittableRandom, String> MUTATED = mutated();

  static final Function<SplittableRandom, String> DATEISH =
      oneOf(TOKEN_SOUP, MUTATED, strings(charsOf("Tue, 1Dc2067:9GMUT+-0 "), 40));

  private static Function<SplittableRandom, String> mutated() {
    Function<SplittableRandom, Instant> dates = instants(FIRST_SECOND, LAST_SECOND - 2 * 86_400);
    Function<SplittableRandom, String> zones = elementOf(ZONES.toArray(new String[0]));
    Function<SplittableRandom, String> patterns = elementOf(WRITERS.toArray(new String[0]));
    Function<SplittableRandom, Integer> positions = ints(0, 40);
    Function<SplittableRandom, Character> replacements =
        oneOf(charsOf(" ,-:+0123456789GMTUCZdec\t"), anyChar());
    Function<SplittableRandom, Integer> edits = ints(0, 2);
    return r -> {
      Instant date = dates.apply(r);
      String written = r.nextBoolean()
          ? DateTimeFormatter.RFC_1123_DATE_TIME.format(date.atZone(ZoneId.of(zones.apply(r))))
          : DateTimeFormatter.ofPattern(patterns.apply(r), Locale.US).withZone(ZoneOffset.UTC)
              .format(date);
      int i = Math.min(positions.apply(r), written.length());
      char c = replacements.apply(r);
      String head = written.substring(0, i);
      String tail = written.substring(i);
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

  /** A date from {@code fromSecond} on, a zone, and how long before the date it is read. */
  private static Function<SplittableRandom, DateAt> dates(long fromSecond) {
    // Two days short of 9999-12-31: east of Greenwich that is already the year 10000.
    Function<SplittableRandom, Long> seconds = longs(fromSecond, LAST_SECOND - 2 * 86_400);
    Function<SplittableRandom, String> zones = elementOf(ZONES.toArray(new String[0]));
    Function<SplittableRandom, Long> ahead = secondsAhead();
    Function<SplittableRandom, Integer> nanos = ints(0, 999_999_999);
    return r -> new DateAt(Instant.ofEpochSecond(seconds.apply(r)), zones.apply(r),
        ahead.apply(r), nanos.apply(r));
  }

  /** Mostly within a few seconds or within twice MAX, sometimes in the past or far ahead. */
  private static Function<SplittableRandom, Long> secondsAhead() {
    Function<SplittableRandom, Long> soon = longs(-10, 10);
    Function<SplittableRandom, Long> withinTwiceMax =
        longs(-RetryAfter.MAX.getSeconds(), 2 * RetryAfter.MAX.getSeconds());
    Function<SplittableRandom, Long> far = longs(-100L * 365 * 86_400, 100L * 365 * 86_400);
    return r -> {
      int pick = r.nextInt(9);
      if (pick < 2) return soon.apply(r);
      if (pick < 7) return withinTwiceMax.apply(r);
      return far.apply(r);
    };
  }

  /* Helpers. */

  private static Duration expectedWait(Instant now, Instant date) {
    Duration wait = Duration.between(now, date);
    if (wait.isNegative()) return Duration.ZERO;
    return wait.compareTo(RetryAfter.MAX) > 0 ? RetryAfter.MAX : wait;
  }

  private static Arguments row(String what, String value, String expected) {
    return Arguments.of(what, value, expected);
  }

  private static Arguments published(String source, String value, String theirs, String ours) {
    return Arguments.of(source, value, theirs, ours);
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
