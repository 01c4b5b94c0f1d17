package dev.stoic.http;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a {@code Retry-After} header value (RFC 9110 section 10.2.3) as a wait from now.
 *
 * <p>Stateless and safe for concurrent use from any thread. Parsing never throws for any header
 * text: anything that is not a valid hint is absent, as if the server had sent none.
 *
 * <pre>{@code
 * Instant now = Instant.parse("2026-11-22T10:00:00Z");
 * RetryAfter.parse("120", now);                           // Optional[PT2M]
 * RetryAfter.parse("Sun, 22 Nov 2026 10:05:00 GMT", now); // Optional[PT5M]
 * RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", now); // Optional[PT0S]: already past
 * RetryAfter.parse("1.5", now);                           // Optional.empty
 * RetryAfter.parse(response.headers("Retry-After"), now); // first valid line of a repeated header
 * }</pre>
 *
 * <p>A value is either delta-seconds (ASCII digits only, leading zeros allowed) or an HTTP-date
 * in any of its three forms: IMF-fixdate ({@code Sun, 06 Nov 1994 08:49:37 GMT}), obsolete RFC 850
 * ({@code Sunday, 06-Nov-94 08:49:37 GMT}) and asctime ({@code Sun Nov  6 08:49:37 1994}). Spaces
 * and tabs around the value are ignored; signs, fractions, units, exponents, inner whitespace and
 * non-ASCII digits make it absent. Dates are also read as widely used servers and libraries write
 * them: a one-digit day ({@code Tue, 1 Dec 2026 12:07:19 GMT}, Java's {@code RFC_1123_DATE_TIME}),
 * {@code UTC}, {@code UT} or a numeric offset such as {@code +0000}, {@code -0000} or {@code
 * +0100} in place of {@code GMT}, a full day name or a four-digit year in either form, and
 * asctime's day after a single space. Letters are matched ignoring ASCII case and a weekday that
 * does not match the date is ignored (as browsers and curl do). Other zone names ({@code PST}),
 * trailing text and a second of 60 anywhere but 23:59:60 UTC are absent. A date at or before now
 * is {@link Duration#ZERO}; any hint longer than {@link #MAX} is {@code MAX}.
 */
public final class RetryAfter {
  /**
   * The longest wait a hint can ask for: 365 days. Longer hints, including digit strings too long
   * for a {@code long}, are this.
   */
  /*
   * Why a year: no server means "come back in more than a year", so a larger hint is a bug or an
   * attack, and the policy's maxRetryAfter will end retrying long before. It is also safe for the
   * arithmetic downstream: 365 days is about 3.2e16 nanoseconds, 290 times below Long.MAX_VALUE,
   * so Duration.toNanos(), adding it to a System.nanoTime() reading, and multiplying by a jitter
   * factor cannot overflow.
   */
  public static final Duration MAX = Duration.ofDays(365);

  private static final long MAX_SECONDS = MAX.getSeconds();

  /* Shared results for the common answers, so that "0" and saturated hints allocate nothing. */
  private static final Optional<Duration> ZERO_HINT = Optional.of(Duration.ZERO);
  private static final Optional<Duration> MAX_HINT = Optional.of(MAX);

  private RetryAfter() {}

  /**
   * Returns the wait one {@code Retry-After} field line asks for, or empty if it is not a valid
   * hint.
   *
   * @param value the field value as received; null is absent
   * @param now the current time, which dates are measured from
   * @return a wait in {@code [ZERO, MAX]}, or empty
   * @throws NullPointerException if {@code now} is null
   */
  public static Optional<Duration> parse(String value, Instant now) {
    Objects.requireNonNull(now, "now == null");
    if (value == null) return Optional.empty();

    /* Indices instead of trim(): trim() also strips CR, LF and controls, which are not OWS. */
    int start = 0;
    int end = value.length();
    while (start < end && isOptionalWhitespace(value.charAt(start))) start++;
    while (end > start && isOptionalWhitespace(value.charAt(end - 1))) end--;
    if (start == end) return Optional.empty();

    /* Every HTTP-date starts with a day name, so a leading digit can only be delta-seconds. */
    char first = value.charAt(start);
    if (first >= '0' && first <= '9') return deltaSeconds(value, start, end);

    long epochSecond = HttpDates.parse(value, start, end, now.getEpochSecond());
    if (epochSecond == HttpDates.INVALID) return Optional.empty();
    return until(epochSecond, now);
  }

  /**
   * Returns the wait a repeated {@code Retry-After} header asks for: that of its first line that is
   * a valid hint, or empty if none is.
   *
   * <p>Lines are never split on commas: Retry-After is not a list, and an IMF-fixdate contains a
   * comma. A line like {@code 120, 60} is invalid as a whole.
   *
   * @param values the field lines in the order received; null, or null lines, are skipped
   * @param now the current time, which dates are measured from
   * @return a wait in {@code [ZERO, MAX]}, or empty
   * @throws NullPointerException if {@code now} is null
   */
  public static Optional<Duration> parse(List<String> values, Instant now) {
    Objects.requireNonNull(now, "now == null");
    if (values == null) return Optional.empty();
    for (int i = 0; i < values.size(); i++) { // no iterator on every response
      Optional<Duration> hint = parse(values.get(i), now);
      if (hint.isPresent()) return hint;
    }
    return Optional.empty();
  }

  /** RFC 9110 OWS: spaces and horizontal tabs only. */
  private static boolean isOptionalWhitespace(char c) {
    return c == ' ' || c == '\t';
  }

  /** Reads {@code 1*DIGIT} in {@code [start, end)} without allocating beyond the result. */
  private static Optional<Duration> deltaSeconds(String value, int start, int end) {
    long seconds = 0;
    for (int i = start; i < end; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') return Optional.empty();
      /*
       * Stop accumulating once past MAX, but keep scanning: "99999999999999999999x" is invalid,
       * not saturated. The bound keeps seconds * 10 + 9 far from overflow.
       */
      if (seconds <= MAX_SECONDS) seconds = seconds * 10 + (c - '0');
    }
    if (seconds == 0) return ZERO_HINT;
    if (seconds >= MAX_SECONDS) return MAX_HINT;
    return Optional.of(Duration.ofSeconds(seconds));
  }

  /** Returns the exact wait from {@code now} (nanoseconds included) until a whole epoch second. */
  private static Optional<Duration> until(long epochSecond, Instant now) {
    /*
     * Both operands lie within Instant's range of about ±3.2e16 seconds, so the difference cannot
     * overflow. A date in the same second as now but before it counts as past.
     */
    long seconds = epochSecond - now.getEpochSecond();
    if (seconds <= 0) return ZERO_HINT;
    if (seconds > MAX_SECONDS) return MAX_HINT;
    return Optional.of(Duration.ofSeconds(seconds, -now.getNano()));
  }
}
