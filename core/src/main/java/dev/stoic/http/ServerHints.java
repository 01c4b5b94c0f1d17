package dev.stoic.http;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one response's headers say about when to come back, and whether to. They are {@code
 * Retry-After}, waits in milliseconds ({@code retry-after-ms}), a server's {@code x-should-retry},
 * and the rate-limit fields, read relative to the moment the response arrived.
 *
 * <pre>{@code
 * ServerHints hints = ServerHints.of(name -> response.headers(name), Instant.now());
 * hints.retryAfterNanos();   // 5_000_000_000 for "Retry-After: 5"; -1 when absent
 * hints.delayNanos();        // 250_000_000 for "retry-after-ms: 250", which wins over Retry-After
 * hints.shouldRetry(HintHeaders.defaults()); // Optional[false] for "x-should-retry: false"
 * hints.rateLimit().reset(); // from RateLimit / X-RateLimit-Reset
 * }</pre>
 *
 * <p>Each field is parsed the first time it is asked for and then kept, so a decision and a
 * throttle that both read a response's hints parse its headers once. Parsing never throws: a
 * value that is not valid is absent. Safe for concurrent use (a race parses twice, with the same
 * result).
 */
public final class ServerHints {
  /** A response that says nothing: for failures, and as a stand-in in tests. */
  public static final ServerHints NONE =
      new ServerHints(name -> List.of(), Instant.EPOCH, HintHeaders.none());

  private static final long UNPARSED = Long.MIN_VALUE;
  private static final long MAX_MILLIS = RetryAfter.MAX.toMillis();
  private static final String RETRY_AFTER = "Retry-After";

  private final HeaderLookup headers;
  private final Instant now;
  private final HintHeaders names;
  private volatile long retryAfterNanos = UNPARSED;
  private volatile RateLimitStatus rateLimit;
  /** The hint headers last read, for the names they were read with. */
  private volatile Named parsed;

  private ServerHints(HeaderLookup headers, Instant now, HintHeaders names) {
    this.headers = headers;
    this.now = now;
    this.names = names;
  }

  /**
   * Hints from {@code headers}, with dates measured from {@code now}, reading the {@linkplain
   * HintHeaders#defaults() default} hint headers.
   *
   * @throws NullPointerException if an argument is null
   */
  public static ServerHints of(HeaderLookup headers, Instant now) {
    return of(headers, now, HintHeaders.defaults());
  }

  /**
   * Hints from {@code headers}, with dates measured from {@code now}, reading the hint headers
   * {@code names} where no others are asked for (in {@link #delayNanos()}).
   *
   * @throws NullPointerException if an argument is null
   */
  public static ServerHints of(HeaderLookup headers, Instant now, HintHeaders names) {
    Objects.requireNonNull(headers, "headers == null");
    Objects.requireNonNull(now, "now == null");
    Objects.requireNonNull(names, "names == null");
    return new ServerHints(headers, now, names);
  }

  /** The {@code Retry-After} wait in nanoseconds, in {@code [0, RetryAfter.MAX]}; -1 if none. */
  public long retryAfterNanos() {
    long cached = retryAfterNanos;
    if (cached != UNPARSED) return cached;
    Optional<Duration> hint = RetryAfter.parse(headers.values(RETRY_AFTER), now);
    long parsed = hint.isPresent() ? hint.get().toNanos() : -1;
    retryAfterNanos = parsed;
    return parsed;
  }

  /** The {@code Retry-After} wait, if the response carries a valid one. */
  public Optional<Duration> retryAfter() {
    long nanos = retryAfterNanos();
    return nanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(nanos));
  }

  /**
   * The wait the server asked for, in nanoseconds in {@code [0, RetryAfter.MAX]}: the first valid
   * value of the millisecond headers these hints were made with, else {@code Retry-After}; -1 if
   * none.
   */
  public long delayNanos() {
    return delayNanos(names);
  }

  /**
   * The wait the server asked for, reading {@code names}: the first of its {@linkplain
   * HintHeaders#delayMillis() millisecond headers} with a valid value (a non-negative decimal
   * number of milliseconds, such as {@code 250} or {@code 1500.5}), else {@code Retry-After};
   * -1 if none.
   */
  public long delayNanos(HintHeaders names) {
    Named hint = named(names);
    return hint.delayNanos != UNPARSED ? hint.delayNanos : retryAfterNanos();
  }

  /**
   * The name of the header {@link #delayNanos(HintHeaders)} read, as configured ({@code
   * Retry-After} for that one), or null if there was no valid wait.
   */
  public String delaySource(HintHeaders names) {
    Named hint = named(names);
    if (hint.delayNanos != UNPARSED) return hint.delaySource;
    return retryAfterNanos() >= 0 ? RETRY_AFTER : null;
  }

  /**
   * What the first of {@code names}' {@linkplain HintHeaders#shouldRetry() should-retry headers}
   * with a valid value ({@code true} or {@code false}, in any case) says; empty if none.
   */
  public Optional<Boolean> shouldRetry(HintHeaders names) {
    Named hint = named(names);
    return hint.shouldRetry == null ? Optional.empty() : Optional.of(hint.shouldRetry);
  }

  /** The name of the header {@link #shouldRetry(HintHeaders)} read, or null. */
  public String shouldRetrySource(HintHeaders names) {
    return named(names).shouldRetrySource;
  }

  /** The rate-limit fields; {@linkplain RateLimitStatus#isEmpty() empty} if there are none. */
  public RateLimitStatus rateLimit() {
    RateLimitStatus cached = rateLimit;
    if (cached != null) return cached;
    RateLimitStatus parsed = RateLimitStatus.parse(headers::values, now);
    rateLimit = parsed;
    return parsed;
  }

  /** The rate-limit reset in nanoseconds; -1 if none. */
  public long rateLimitResetNanos() {
    Optional<Duration> reset = rateLimit().reset();
    return reset.isPresent() ? reset.get().toNanos() : -1;
  }

  /** All values of header {@code name}, for hints Stoic does not parse itself. */
  public List<String> values(String name) {
    return headers.values(name);
  }

  private Named named(HintHeaders names) {
    Objects.requireNonNull(names, "names == null");
    Named cached = parsed;
    if (cached != null && cached.names == names) return cached;
    Named fresh = Named.read(names, headers);
    parsed = fresh;
    return fresh;
  }

  /**
   * A wait in milliseconds: ASCII digits, optionally a fraction, spaces and tabs around; in
   * nanoseconds, saturated at {@link RetryAfter#MAX}; -1 if not valid.
   */
  static long parseMillis(String value) {
    if (value == null) return -1;
    int start = 0;
    int end = value.length();
    while (start < end && isOws(value.charAt(start))) start++;
    while (end > start && isOws(value.charAt(end - 1))) end--;
    long millis = 0;
    int i = start;
    while (i < end && isDigit(value.charAt(i))) {
      millis = Math.min(MAX_MILLIS + 1, millis * 10 + (value.charAt(i) - '0'));
      i++;
    }
    if (i == start) return -1; // no digits before any point: ".5", "", "-1"
    long fractionNanos = 0;
    if (i < end && value.charAt(i) == '.') {
      i++;
      int fractionStart = i;
      long scale = 100_000; // nanoseconds of the first fractional digit of a millisecond
      while (i < end && isDigit(value.charAt(i))) {
        fractionNanos += (value.charAt(i) - '0') * scale;
        scale /= 10;
        i++;
      }
      if (i == fractionStart) return -1; // "5."
    }
    if (i != end) return -1; // units, exponents, inner spaces, anything else
    if (millis > MAX_MILLIS) return RetryAfter.MAX.toNanos();
    return Math.min(RetryAfter.MAX.toNanos(), millis * 1_000_000L + fractionNanos);
  }

  private static String trimOws(String value) {
    int start = 0;
    int end = value.length();
    while (start < end && isOws(value.charAt(start))) start++;
    while (end > start && isOws(value.charAt(end - 1))) end--;
    return value.substring(start, end);
  }

  private static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** The hint headers of one set of names, parsed. */
  private static final class Named {
    /**
     * The last set of names found in no response's headers, shared: most responses carry no hint,
     * and a retry then allocates nothing for it. One entry, replaced when the names differ.
     */
    private static volatile Named lastAbsent;

    final HintHeaders names;
    final long delayNanos;
    final String delaySource;
    final Boolean shouldRetry;
    final String shouldRetrySource;

    /** {@code names} as read from {@code headers}; a shared instance when none is there. */
    static Named read(HintHeaders names, HeaderLookup headers) {
      long delay = UNPARSED;
      String delayFrom = null;
      // Indexed loops: no iterator per list on every response decided.
      List<String> delayNames = names.delayMillis();
      for (int n = 0; n < delayNames.size(); n++) {
        String name = delayNames.get(n);
        List<String> values = headers.values(name);
        for (int v = 0; v < values.size(); v++) {
          String value = values.get(v);
          long nanos = parseMillis(value);
          if (nanos >= 0) {
            delay = nanos;
            delayFrom = name;
            break;
          }
        }
        if (delayFrom != null) break;
      }
      Boolean should = null;
      String shouldFrom = null;
      List<String> shouldNames = names.shouldRetry();
      for (int n = 0; n < shouldNames.size(); n++) {
        String name = shouldNames.get(n);
        List<String> values = headers.values(name);
        for (int i = 0; i < values.size(); i++) {
          String value = values.get(i);
          String v = value == null ? "" : trimOws(value);
          if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            should = v.equalsIgnoreCase("true");
            shouldFrom = name;
            break;
          }
        }
        if (shouldFrom != null) break;
      }
      if (delayFrom != null || shouldFrom != null) {
        return new Named(names, delay, delayFrom, should, shouldFrom);
      }
      Named absent = lastAbsent;
      if (absent != null && absent.names == names) return absent;
      absent = new Named(names, UNPARSED, null, null, null);
      lastAbsent = absent;
      return absent;
    }

    private Named(HintHeaders names, long delayNanos, String delaySource, Boolean shouldRetry,
        String shouldRetrySource) {
      this.names = names;
      this.delayNanos = delayNanos;
      this.delaySource = delaySource;
      this.shouldRetry = shouldRetry;
      this.shouldRetrySource = shouldRetrySource;
    }
  }

  @Override
  public String toString() {
    long retryAfter = retryAfterNanos();
    return "ServerHints{retryAfter=" + (retryAfter < 0 ? "none" : Duration.ofNanos(retryAfter))
        + ", rateLimit=" + rateLimit() + "}";
  }
}
