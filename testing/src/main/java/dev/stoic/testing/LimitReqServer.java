package dev.stoic.testing;

import dev.stoic.RetryClock;
import java.util.List;
import java.util.Map;

/**
 * nginx's {@code limit_req} in memory, step for step: a leaky bucket that admits {@code rate}
 * requests a second plus a {@code burst} (with {@code nodelay}), kept in whole milliseconds and
 * thousandths of a request as nginx keeps it, answering a refused request with 429 and a fixed
 * {@code Retry-After} (nginx's {@code limit_req_status 429} and an {@code add_header Retry-After
 * ... always}). A refused request changes nothing: only admitted ones fill the bucket.
 *
 * <p>From ngx_http_limit_req_module.c: {@code excess = excess - rate * ms / 1000 + 1000}, at
 * least 0; refused when above {@code burst * 1000}; on admission the excess is kept, and the
 * time too unless it is the same millisecond.
 */
public final class LimitReqServer {
  private final long ratePerThousand; // nginx's ctx->rate: requests a second x 1000
  private final long burstThousandths;
  private final Map<String, List<String>> refusedHeaders;
  private final RetryClock clock;
  private boolean seen;
  private long lastMillis;
  private long excess;
  public long admitted;
  public long refused;

  /**
   * @param ratePerSecond {@code rate=Nr/s}
   * @param burst {@code burst=N} (with {@code nodelay})
   * @param retryAfterSeconds the {@code Retry-After} value on a 429
   */
  public LimitReqServer(int ratePerSecond, int burst, int retryAfterSeconds, RetryClock clock) {
    this.ratePerThousand = ratePerSecond * 1000L;
    this.burstThousandths = burst * 1000L;
    this.refusedHeaders = Map.of("Retry-After", List.of(Integer.toString(retryAfterSeconds)));
    this.clock = clock;
  }

  /** True if a request arriving now is admitted; counts it either way. */
  public boolean admit() {
    long now = clock.nanoTime() / 1_000_000L;
    if (!seen) {
      seen = true;
      lastMillis = now;
      excess = 0;
      admitted++;
      return true;
    }
    long ms = now - lastMillis;
    if (ms < 0) ms = 0;
    long next = excess - ratePerThousand * ms / 1000 + 1000;
    if (next < 0) next = 0;
    if (next > burstThousandths) {
      refused++;
      return false;
    }
    excess = next;
    if (ms != 0) lastMillis = now;
    admitted++;
    return true;
  }

  /** Answers a request arriving now: 200, or 429 with {@code Retry-After}. */
  public FakeResponse handle() {
    return admit() ? FakeResponse.of(200) : new FakeResponse(429, refusedHeaders);
  }
}
