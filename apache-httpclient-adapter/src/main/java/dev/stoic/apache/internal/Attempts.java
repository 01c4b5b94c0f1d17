package dev.stoic.apache.internal;

import dev.stoic.spi.Attempt;
import dev.stoic.spi.HeaderEdits;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;
import org.apache.hc.core5.util.Timeout;

/** What every attempt does to the caller's request, classic and async alike. */
final class Attempts {
  private Attempts() {}

  /** Sets the attempt's headers (key, count, credentials) on {@code request}, replacing any. */
  static void applyEdits(HttpRequest request, Attempt attempt) {
    HeaderEdits edits = attempt.headerEdits(new Headers(request));
    for (int i = 0; i < edits.size(); i++) request.setHeader(edits.name(i), edits.value(i));
  }

  /**
   * {@code base} with its response (socket read) and connection-request (pool lease) timeouts
   * lowered to the attempt's time, never raised; {@code base} itself when there is no limit.
   */
  static RequestConfig lowered(RequestConfig base, Duration timeout) {
    if (timeout == null) return base;
    RequestConfig config = base != null ? base : RequestConfig.DEFAULT;
    Timeout limit = Timeout.ofMilliseconds(Math.max(1, timeout.toMillis()));
    RequestConfig.Builder lowered = RequestConfig.copy(config);
    if (above(config.getResponseTimeout(), limit)) lowered.setResponseTimeout(limit);
    if (above(config.getConnectionRequestTimeout(), limit)) {
      lowered.setConnectionRequestTimeout(limit);
    }
    return lowered.build();
  }

  /** True if {@code current} is longer than {@code limit}; null and 0 mean no timeout at all. */
  private static boolean above(Timeout current, Timeout limit) {
    return current == null || current.toMilliseconds() <= 0
        || current.toMilliseconds() > limit.toMilliseconds();
  }

  /** {@code entity} reporting to the attempt before its first byte goes out; null for null. */
  static HttpEntity marking(HttpEntity entity, Attempt attempt) {
    return entity == null ? null : new MarkingEntity(entity, attempt);
  }

  /** A request entity that tells its attempt when it starts to be written. */
  private static final class MarkingEntity extends HttpEntityWrapper {
    private final Attempt attempt;

    MarkingEntity(HttpEntity entity, Attempt attempt) {
      super(entity);
      this.attempt = attempt;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
      attempt.markBodyWritten(); // before the first byte: some of it may be on the wire
      super.writeTo(out);
    }
  }
}
