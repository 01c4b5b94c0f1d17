package dev.stoic.resilience4j.internal;

import dev.stoic.http.ServerHints;
import java.util.List;

/** A cheap look before a full parse: most responses carry no rate-limit header at all. */
public final class RateLimitHeaders {
  private RateLimitHeaders() {}

  /** True if any header family that {@code RateLimitStatus} reads is present. */
  public static boolean mentioned(ServerHints hints) {
    return present(hints, "RateLimit")
        || present(hints, "RateLimit-Policy")
        || present(hints, "RateLimit-Remaining")
        || present(hints, "X-RateLimit-Remaining")
        || present(hints, "X-Rate-Limit-Remaining");
  }

  private static boolean present(ServerHints hints, String name) {
    List<String> values = hints.values(name);
    return values != null && !values.isEmpty();
  }
}
