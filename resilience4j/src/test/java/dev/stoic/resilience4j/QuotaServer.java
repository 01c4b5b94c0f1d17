package dev.stoic.resilience4j;

import dev.stoic.RetryClock;
import dev.stoic.testing.FakeResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An in-memory server with a fixed quota per fixed window, as many public APIs enforce it: the
 * first {@code quota} requests of each window get 200, every further one 429 until the window
 * ends. It counts what it saw, window by window.
 */
final class QuotaServer {
  /** Which rate-limit headers the server sends. */
  enum Headers {
    /** draft-ietf-httpapi-ratelimit-headers: RateLimit and RateLimit-Policy (quota and window). */
    POLICY,
    /** GitHub style X-RateLimit-Limit, -Remaining and -Reset: no window. */
    REMAINING,
    /** Nothing but Retry-After on a 429. */
    NONE
  }

  private final int quota;
  private final long windowNanos;
  private final Headers headers;
  private final RetryClock clock;
  private long window = -1;
  private int used;
  /** Attempts and 429s per window, indexed by window number. */
  final long[] attempts;
  final long[] refused;

  QuotaServer(int quota, long windowNanos, Headers headers, RetryClock clock, int windows) {
    this.quota = quota;
    this.windowNanos = windowNanos;
    this.headers = headers;
    this.clock = clock;
    this.attempts = new long[windows];
    this.refused = new long[windows];
  }

  /** Answers one request arriving now. */
  FakeResponse handle() {
    long now = clock.nanoTime();
    long w = now / windowNanos;
    if (w != window) {
      window = w;
      used = 0;
    }
    boolean allowed = used < quota;
    if (allowed) used++;
    if (w < attempts.length) {
      attempts[(int) w]++;
      if (!allowed) refused[(int) w]++;
    }
    // Whole seconds, rounded up, as the headers allow nothing finer.
    long resetSeconds = ((w + 1) * windowNanos - now + 999_999_999L) / 1_000_000_000L;
    Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    int remaining = quota - used;
    switch (headers) {
      case POLICY:
        h.put("RateLimit-Policy",
            List.of("\"default\";q=" + quota + ";w=" + windowNanos / 1_000_000_000L));
        h.put("RateLimit", List.of("\"default\";r=" + remaining + ";t=" + resetSeconds));
        break;
      case REMAINING:
        h.put("X-RateLimit-Limit", List.of(Integer.toString(quota)));
        h.put("X-RateLimit-Remaining", List.of(Integer.toString(remaining)));
        h.put("X-RateLimit-Reset", List.of(Long.toString(resetSeconds)));
        break;
      case NONE:
        break;
      default:
        throw new AssertionError(headers);
    }
    if (allowed) return new FakeResponse(200, h);
    h.put("Retry-After", List.of(Long.toString(resetSeconds)));
    return new FakeResponse(429, h);
  }
}
