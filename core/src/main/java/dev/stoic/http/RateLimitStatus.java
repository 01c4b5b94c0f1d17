package dev.stoic.http;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * What a response's rate-limit headers say about the client's quota: its size, what is left of
 * it, and when it resets.
 *
 * <p>Immutable and safe for concurrent use. Parsing never throws for any header text: a value
 * that is not valid is absent, as if the server had not sent it.
 *
 * <pre>{@code
 * RateLimitStatus status = RateLimitStatus.parse(response::headers, Instant.now()); // OkHttp
 * // java.net.http: RateLimitStatus.parse(response.headers()::allValues, Instant.now())
 *
 * // RateLimit-Policy: "burst";q=100;w=60, "daily";q=1000;w=86400
 * // RateLimit: "burst";r=0;t=30, "daily";r=20;t=3600
 * status.policyName();        // "burst": the one with the least remaining
 * status.limit();             // OptionalLong[100]
 * status.remaining();         // OptionalLong[0]
 * status.reset();             // Optional[PT30S]
 * status.window();            // Optional[PT1M]
 * status.nearlySpent(0.1);    // true
 * }</pre>
 *
 * <p>Three families of headers are read, and each field takes its value from the first family
 * that has a usable one:
 *
 * <ol>
 *   <li>{@code RateLimit} and {@code RateLimit-Policy} of draft-ietf-httpapi-ratelimit-headers
 *       08 to 10: Structured Field Lists of named items. With several policies, the item with the
 *       least remaining ({@code r}) is chosen, the longer reset ({@code t}) breaking ties; its
 *       name finds its quota ({@code q}) and window ({@code w}) in {@code RateLimit-Policy}. A
 *       lone policy with no {@code RateLimit} item still gives the limit, window and name.
 *   <li>The older drafts: the Dictionary {@code RateLimit: limit=100, remaining=0, reset=30}
 *       (07), and the separate {@code RateLimit-Limit}, {@code RateLimit-Remaining} and {@code
 *       RateLimit-Reset} Integers (03 to 06), with windows from numbered policies ({@code
 *       RateLimit-Policy: 100;w=60}).
 *   <li>{@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining} and {@code X-RateLimit-Reset},
 *       then the {@code X-Rate-Limit-} spelling: plain digits; a repeated header takes its first
 *       valid line.
 * </ol>
 *
 * <p>Structured Fields are parsed strictly, as RFC 8941 asks: repeated lines are joined with
 * commas, and a field that does not parse, has items of the wrong type, or has an {@code r},
 * {@code t}, {@code q}, {@code w}, {@code limit}, {@code remaining} or {@code reset} that is not a
 * non-negative Integer (a decimal {@code t=1.5}, say) is ignored as a whole; unknown parameters
 * are ignored. Numbers are non-negative integers: signs, fractions, units and values too long
 * for their type make them absent, except that a reset too large saturates at {@link
 * RetryAfter#MAX}. A reset may be delta-seconds or a Unix time: 1,000,000,000 and above is epoch
 * seconds, 1,000,000,000,000 and above epoch milliseconds, and a time already past is zero.
 *
 * <p>{@code Retry-After}, when present, says more than any of these: read it first with {@link
 * RetryAfter}.
 */
public final class RateLimitStatus {
  private static final RateLimitStatus EMPTY = new RateLimitStatus(-1, -1, null, null, null);

  private final long limit;
  private final long remaining;
  private final Duration reset;
  private final Duration window;
  private final String policyName;

  private RateLimitStatus(
      long limit, long remaining, Duration reset, Duration window, String policyName) {
    this.limit = limit;
    this.remaining = remaining;
    this.reset = reset;
    this.window = window;
    this.policyName = policyName;
  }

  /**
   * Reads the rate-limit headers of one response.
   *
   * @param headers returns every value of a header, in order, given its name in any case; an
   *     empty list (or null) when absent. Null values in the list are skipped.
   * @param now the current time, which Unix-time resets are measured from
   * @return the status; {@link #isEmpty() empty} if the response says nothing usable
   * @throws NullPointerException if {@code headers} or {@code now} is null
   */
  public static RateLimitStatus parse(Function<String, List<String>> headers, Instant now) {
    Objects.requireNonNull(headers, "headers == null");
    Objects.requireNonNull(now, "now == null");
    if (!mentionsRateLimit(headers)) return EMPTY; // most responses: nothing to parse or allocate
    RateLimitFields fields = RateLimitFields.read(headers, now);
    if (fields.isEmpty()) return EMPTY;
    return new RateLimitStatus(
        fields.limit, fields.remaining, fields.reset, fields.window, fields.policyName);
  }

  /** Every header name any of the three families reads. */
  private static final String[] FIELD_NAMES = {
      "RateLimit", "RateLimit-Policy", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset",
      "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset",
      "X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset"};

  private static boolean mentionsRateLimit(Function<String, List<String>> headers) {
    for (String name : FIELD_NAMES) {
      List<String> values = headers.apply(name);
      if (values != null && !values.isEmpty()) return true;
    }
    return false;
  }

  /** The quota: how many units the client may use per window. */
  public OptionalLong limit() {
    return limit < 0 ? OptionalLong.empty() : OptionalLong.of(limit);
  }

  /** How many units are left before the quota resets. */
  public OptionalLong remaining() {
    return remaining < 0 ? OptionalLong.empty() : OptionalLong.of(remaining);
  }

  /** The time from {@code now} until the quota resets, in {@code [ZERO, RetryAfter.MAX]}. */
  public Optional<Duration> reset() {
    return Optional.ofNullable(reset);
  }

  /**
   * The length of the quota's window, as the server wrote it. Not capped: it describes the
   * policy and is not a wait.
   */
  public Optional<Duration> window() {
    return Optional.ofNullable(window);
  }

  /** The name of the policy the other values describe (drafts 08 to 10 only), or null. */
  public String policyName() {
    return policyName;
  }

  /** True if the headers said nothing usable. */
  public boolean isEmpty() {
    return this == EMPTY;
  }

  /**
   * True if what remains is at most {@code fraction} of the limit; false if either is unknown.
   * {@code nearlySpent(0)} is true only when nothing remains.
   *
   * @param fraction between 0 and 1, inclusive
   * @throws IllegalArgumentException if {@code fraction} is not between 0 and 1, or is NaN
   */
  public boolean nearlySpent(double fraction) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be between 0 and 1: " + fraction);
    }
    return limit >= 0 && remaining >= 0 && remaining <= fraction * limit;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof RateLimitStatus)) return false;
    RateLimitStatus that = (RateLimitStatus) other;
    return limit == that.limit
        && remaining == that.remaining
        && Objects.equals(reset, that.reset)
        && Objects.equals(window, that.window)
        && Objects.equals(policyName, that.policyName);
  }

  @Override
  public int hashCode() {
    return Objects.hash(limit, remaining, reset, window, policyName);
  }

  /** Lists the known values only, for example {@code RateLimitStatus{limit=100, reset=PT30S}}. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("RateLimitStatus{");
    if (limit >= 0) s.append("limit=").append(limit).append(", ");
    if (remaining >= 0) s.append("remaining=").append(remaining).append(", ");
    if (reset != null) s.append("reset=").append(reset).append(", ");
    if (window != null) s.append("window=").append(window).append(", ");
    if (policyName != null) s.append("policy=").append(policyName).append(", ");
    if (s.charAt(s.length() - 1) == ' ') s.setLength(s.length() - 2);
    return s.append('}').toString();
  }
}
