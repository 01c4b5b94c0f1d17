package dev.stoic.http;

import java.time.Duration;
import java.time.Instant;

/**
 * Reads the numbers of rate-limit headers: plain digit strings, and resets that are either a wait
 * in seconds or a Unix time.
 *
 * <p>Stateless and safe for concurrent use; never throws. For example, at 2026-11-22T10:00:00Z:
 *
 * <pre>{@code
 * RateLimitNumbers.reset(30, now);             // PT30S: delta-seconds
 * RateLimitNumbers.reset(1_795_341_660L, now); // PT1M: epoch seconds, a minute from now
 * RateLimitNumbers.reset(1_000_000_000L, now); // PT0S: epoch seconds in 2001, already past
 * }</pre>
 */
final class RateLimitNumbers {
  /*
   * Resets are delta-seconds in the drafts and at most servers, but GitHub and Twitter send the
   * Unix time in seconds, and a few gateways send it in milliseconds. Nothing in the value says
   * which, so its size decides:
   *
   *   value >= 1_000_000_000_000  epoch milliseconds (2001-09-09T01:46:40Z onwards)
   *   value >= 1_000_000_000      epoch seconds (the same instant onwards)
   *   smaller                     delta-seconds
   *
   * Why this is safe: 1e9 seconds is 31.7 years, and no server means "come back in 31 years"; such
   * a delta would saturate at RetryAfter.MAX (365 days) anyway, so reading it as a time loses no
   * real delta. Every Unix time in seconds since September 2001 is above the line, and none
   * reaches 1e12 before the year 33658, so seconds and milliseconds cannot be confused either. A
   * time at or before now is a zero wait, as a past Retry-After date is.
   *
   * The rule applies to every reset, the drafts' delta-only "t" and "reset" included: a server
   * that sends a Unix time there is wrong, but read as a delta it is a wait of decades, and
   * read as a time it is what the server meant.
   */
  static final long EPOCH_SECONDS_FROM = 1_000_000_000L;
  static final long EPOCH_MILLIS_FROM = 1_000_000_000_000L;

  private static final long MAX_SECONDS = RetryAfter.MAX.getSeconds();

  private RateLimitNumbers() {}

  /** Returns the wait until a reset given as a non-negative number, in {@code [0, MAX]}. */
  static Duration reset(long value, Instant now) {
    if (value >= EPOCH_MILLIS_FROM) {
      return until(Math.floorDiv(value, 1000), Math.floorMod(value, 1000) * 1_000_000L, now);
    }
    if (value >= EPOCH_SECONDS_FROM) return until(value, 0, now);
    return value >= MAX_SECONDS ? RetryAfter.MAX : Duration.ofSeconds(value);
  }

  /** Returns the exact wait from {@code now} until an instant, in {@code [0, MAX]}. */
  private static Duration until(long epochSecond, long nano, Instant now) {
    /*
     * epochSecond is at most Long.MAX_VALUE / 1000 (about 9.2e15) and Instant's seconds lie within
     * about ±3.2e16, so the difference cannot overflow.
     */
    long seconds = epochSecond - now.getEpochSecond();
    if (seconds > MAX_SECONDS) return RetryAfter.MAX;
    if (seconds < 0) return Duration.ZERO;
    Duration wait = Duration.ofSeconds(seconds, nano - now.getNano());
    if (wait.isNegative()) return Duration.ZERO;
    return wait.compareTo(RetryAfter.MAX) > 0 ? RetryAfter.MAX : wait;
  }

  /**
   * Reads {@code 1*DIGIT} with optional spaces and tabs around it; -1 if the line is anything
   * else. Past {@code Long.MAX_VALUE} the value saturates there when {@code saturate}, and is
   * invalid otherwise.
   */
  static long digits(String line, boolean saturate) {
    int start = 0;
    int end = line.length();
    while (start < end && (line.charAt(start) == ' ' || line.charAt(start) == '\t')) start++;
    while (end > start && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) end--;
    if (start == end) return -1;
    long value = 0;
    for (int i = start; i < end; i++) {
      char c = line.charAt(i);
      if (c < '0' || c > '9') return -1;
      int digit = c - '0';
      if (value > (Long.MAX_VALUE - digit) / 10) {
        if (!saturate) return -1;
        value = Long.MAX_VALUE;
      } else {
        value = value * 10 + digit;
      }
    }
    return value;
  }
}
