package dev.stoic.http;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one response's headers say about when to come back: {@code Retry-After} and the
 * rate-limit fields, read relative to the moment the response arrived.
 *
 * <pre>{@code
 * ServerHints hints = ServerHints.of(name -> response.headers(name), Instant.now());
 * hints.retryAfterNanos();   // 5_000_000_000 for "Retry-After: 5"; -1 when absent
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
  public static final ServerHints NONE = new ServerHints(name -> List.of(), Instant.EPOCH);

  private static final long UNPARSED = Long.MIN_VALUE;

  private final HeaderLookup headers;
  private final Instant now;
  private volatile long retryAfterNanos = UNPARSED;
  private volatile RateLimitStatus rateLimit;

  private ServerHints(HeaderLookup headers, Instant now) {
    this.headers = headers;
    this.now = now;
  }

  /**
   * Hints from {@code headers}, with dates measured from {@code now}.
   *
   * @throws NullPointerException if an argument is null
   */
  public static ServerHints of(HeaderLookup headers, Instant now) {
    Objects.requireNonNull(headers, "headers == null");
    Objects.requireNonNull(now, "now == null");
    return new ServerHints(headers, now);
  }

  /** The {@code Retry-After} wait in nanoseconds, in {@code [0, RetryAfter.MAX]}; -1 if none. */
  public long retryAfterNanos() {
    long cached = retryAfterNanos;
    if (cached != UNPARSED) return cached;
    Optional<Duration> hint = RetryAfter.parse(headers.values("Retry-After"), now);
    long parsed = hint.isPresent() ? hint.get().toNanos() : -1;
    retryAfterNanos = parsed;
    return parsed;
  }

  /** The {@code Retry-After} wait, if the response carries a valid one. */
  public Optional<Duration> retryAfter() {
    long nanos = retryAfterNanos();
    return nanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(nanos));
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

  @Override
  public String toString() {
    long retryAfter = retryAfterNanos();
    return "ServerHints{retryAfter=" + (retryAfter < 0 ? "none" : Duration.ofNanos(retryAfter))
        + ", rateLimit=" + rateLimit() + "}";
  }
}
