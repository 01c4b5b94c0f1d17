package dev.stoic.reliability.testing;

import dev.stoic.testing.Generators;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Generators of hostile {@code Retry-After}, {@code RateLimit*} and {@code X-RateLimit-*} values:
 * valid ones, near misses (signs, fractions, units, exponents, wrong case, wrong zone, impossible
 * dates), numbers far beyond every integer type, epoch seconds and milliseconds, broken Structured
 * Fields, and plain garbage. Values are what can cross the wire in a header: printable ASCII,
 * spaces and tabs inside, none around (HTTP parsers trim those).
 */
public final class HostileHeaders {
  private HostileHeaders() {}

  /** One header line. */
  public record Header(String name, String value) {}

  /** One response's status and header lines, in order. */
  public record Reply(int status, List<Header> headers) {
    /** The values of header {@code name}, in order, as a client reads them. */
    public List<String> values(String name) {
      List<String> values = new ArrayList<>();
      for (Header header : headers) {
        if (header.name().equalsIgnoreCase(name)) values.add(header.value());
      }
      return values;
    }

    public Reply withStatus(int status) {
      return new Reply(status, headers);
    }
  }

  private static final DateTimeFormatter IMF =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter RFC_850 =
      DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter ASCTIME =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);

  private static final Function<SplittableRandom, Long> ANY_LONG =
      Generators.longs(Long.MIN_VALUE, Long.MAX_VALUE);
  private static final Function<SplittableRandom, Long> SMALL = Generators.longs(0, 200);
  private static final Function<SplittableRandom, String> GARBAGE = Generators.strings(
      Generators.charsOf("0123456789 \t,;=\":.-+/()abcdefxyzGMTUC*?%~"), 24);

  /** A status (503, 429 or 413) with zero to a dozen hostile header lines. */
  public static Reply reply(SplittableRandom r, Instant now) {
    int pick = r.nextInt(20);
    int status = pick < 9 ? 503 : pick < 18 ? 429 : 413;
    List<Header> headers = new ArrayList<>();
    int retryAfterLines = r.nextInt(10) < 8 ? 1 + (r.nextInt(4) == 0 ? 1 : 0) : 0;
    for (int i = 0; i < retryAfterLines; i++) add(headers, "Retry-After", retryAfter(r, now));
    switch (r.nextInt(5)) {
      case 0:
        add(headers, "RateLimit", structuredItems(r, "r", "t"));
        add(headers, "RateLimit-Policy", structuredItems(r, "q", "w"));
        break;
      case 1:
        add(headers, "RateLimit", "limit=" + number(r, now) + ", remaining=" + number(r, now)
            + ", reset=" + number(r, now));
        break;
      case 2:
        add(headers, "RateLimit-Limit", number(r, now));
        add(headers, "RateLimit-Remaining", number(r, now));
        add(headers, "RateLimit-Reset", number(r, now));
        if (r.nextBoolean()) add(headers, "RateLimit-Policy", number(r, now) + ";w=" + number(r, now));
        break;
      default:
        break;
    }
    String prefix = r.nextInt(4) == 0 ? "X-Rate-Limit-" : "X-RateLimit-";
    if (r.nextInt(3) > 0) add(headers, prefix + "Reset", number(r, now));
    if (r.nextBoolean()) add(headers, prefix + "Remaining", number(r, now));
    if (r.nextBoolean()) add(headers, prefix + "Limit", number(r, now));
    return new Reply(status, List.copyOf(headers));
  }

  private static void add(List<Header> headers, String name, String value) {
    headers.add(new Header(name, value.strip()));
  }

  /** A Retry-After value: delta-seconds, an HTTP-date in any form, or a near miss of either. */
  public static String retryAfter(SplittableRandom r, Instant now) {
    switch (r.nextInt(8)) {
      case 0:
        return Long.toString(SMALL.apply(r));
      case 1:
        return Long.toString(Math.abs(ANY_LONG.apply(r) >> r.nextInt(64)));
      case 2:
        return digits(r, 10 + r.nextInt(31)); // beyond int, long, and then some
      case 3:
        return "0".repeat(1 + r.nextInt(20)) + SMALL.apply(r);
      case 4:
        return date(r, now);
      case 5:
        return nearMissNumber(r);
      case 6:
        return nearMissDate(r, now);
      default:
        return GARBAGE.apply(r);
    }
  }

  /** A reset, limit or remaining count: delta, epoch seconds or millis, huge, or a near miss. */
  public static String number(SplittableRandom r, Instant now) {
    switch (r.nextInt(8)) {
      case 0:
        return Long.toString(SMALL.apply(r));
      case 1:
        return Long.toString(now.getEpochSecond() + r.nextLong(-100_000, 100_000));
      case 2:
        return Long.toString(now.toEpochMilli() + r.nextLong(-100_000_000, 100_000_000));
      case 3:
        return digits(r, 10 + r.nextInt(31));
      case 4:
        return Long.toString(ANY_LONG.apply(r));
      case 5:
        return nearMissNumber(r);
      case 6:
        return Long.toString(Math.abs(ANY_LONG.apply(r) >> r.nextInt(64)));
      default:
        return GARBAGE.apply(r);
    }
  }

  /** RateLimit (r, t) or RateLimit-Policy (q, w) items, well formed or broken. */
  private static String structuredItems(SplittableRandom r, String first, String second) {
    int items = r.nextInt(4);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      StringBuilder item = new StringBuilder();
      switch (r.nextInt(6)) {
        case 0:
          item.append("p").append(i); // a token, not a string
          break;
        case 1:
          item.append("\"unterminated");
          break;
        default:
          item.append('"').append(r.nextBoolean() ? "burst" : "day" + i).append('"');
      }
      if (r.nextInt(5) > 0) item.append(';').append(first).append('=').append(sfNumber(r));
      if (r.nextInt(5) > 0) item.append(';').append(second).append('=').append(sfNumber(r));
      if (r.nextInt(6) == 0) item.append(";pk=:").append(GARBAGE.apply(r)).append(':');
      out.add(item.toString());
    }
    String joined = String.join(r.nextInt(8) == 0 ? "," : ", ", out);
    return r.nextInt(10) == 0 ? joined + GARBAGE.apply(r) : joined;
  }

  private static String sfNumber(SplittableRandom r) {
    switch (r.nextInt(6)) {
      case 0:
        return Long.toString(SMALL.apply(r));
      case 1:
        return digits(r, 1 + r.nextInt(20)); // RFC 8941 Integers have at most 15 digits
      case 2:
        return "-" + SMALL.apply(r);
      case 3:
        return SMALL.apply(r) + "." + r.nextInt(1000);
      case 4:
        return "\"" + SMALL.apply(r) + "\"";
      default:
        return GARBAGE.apply(r).replace(";", "").replace(",", "");
    }
  }

  private static String nearMissNumber(SplittableRandom r) {
    long n = SMALL.apply(r);
    String[] forms = {"+" + n, "-" + n, n + ".5", n + "s", n + "e3", "0x" + n, n + " " + n,
        n + ", " + n, "\"" + n + "\"", n + ";q=1", n + "\t" + n, " ", "", "-0", "1_000"};
    return forms[r.nextInt(forms.length)];
  }

  private static String date(SplittableRandom r, Instant now) {
    Instant at;
    switch (r.nextInt(5)) {
      case 0:
        at = now.plusSeconds(r.nextLong(-400L * 86_400, 400L * 86_400));
        break;
      case 1:
        at = now.plusSeconds(r.nextLong(0, 200));
        break;
      case 2:
        at = Instant.parse("9999-12-31T23:59:59Z");
        break;
      case 3:
        at = Instant.ofEpochSecond(r.nextLong(0, 253_402_300_799L)); // years 1970 to 9999
        break;
      default:
        at = now.minusSeconds(r.nextLong(0, 200));
    }
    switch (r.nextInt(3)) {
      case 0:
        return IMF.format(at);
      case 1:
        return RFC_850.format(at);
      default:
        return ASCTIME.format(at);
    }
  }

  private static String nearMissDate(SplittableRandom r, Instant now) {
    String valid = IMF.format(now.plusSeconds(r.nextLong(-1_000, 1_000)));
    switch (r.nextInt(8)) {
      case 0:
        return valid.toLowerCase(Locale.ROOT);
      case 1:
        return valid.replace("GMT", "PST"); // a zone name that needs a database: absent
      case 2:
        return valid.replace("GMT", "+00:00"); // not RFC 5322's +hhmm: absent
      case 3:
        return valid.replaceFirst(":\\d\\d GMT", ":60 GMT");
      case 4:
        return "Sun, 31 Feb 2026 10:00:00 GMT";
      case 5:
        return valid.substring(5); // no weekday
      case 6:
        return "Mon, 22 Nov 2026 10:00:00 GMT"; // the wrong weekday
      default:
        return valid.replace(" ", "  ");
    }
  }

  private static String digits(SplittableRandom r, int count) {
    StringBuilder s = new StringBuilder(count);
    s.append((char) ('1' + r.nextInt(9)));
    for (int i = 1; i < count; i++) s.append((char) ('0' + r.nextInt(10)));
    return s.toString();
  }
}
