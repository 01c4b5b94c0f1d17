package dev.stoic.webclient;

import dev.stoic.spi.ResponseAccess;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.web.reactive.function.client.ClientResponse;

/** How the engine reads a WebClient response, and lets go of one the caller will not get. */
enum ClientResponses implements ResponseAccess<ClientResponse> {
  INSTANCE;

  /** A retried body is read to its end, for its connection's sake, only within these limits. */
  static final long DRAIN_BYTES = 64 * 1024;
  static final Duration DRAIN_TIME = Duration.ofMillis(100);

  @Override
  public int status(ClientResponse response) {
    return response.statusCode().value();
  }

  @Override
  public List<String> headers(ClientResponse response, String name) {
    return response.headers().header(name);
  }

  /**
   * Releases the body as {@code releaseBody()} does (every buffer freed, the connection back to
   * the pool), but stops reading after 64 KiB or 100 ms: a long or stalled body then has its
   * connection closed instead of held. Starts at once, never blocks.
   */
  @Override
  public void discard(ClientResponse response) {
    AtomicLong read = new AtomicLong();
    response.bodyToFlux(DataBuffer.class)
        .doOnNext(buffer -> {
          read.addAndGet(buffer.readableByteCount());
          DataBufferUtils.release(buffer);
        })
        .takeUntil(buffer -> read.get() > DRAIN_BYTES)
        .timeout(DRAIN_TIME)
        .subscribe(null, failure -> { });
  }
}
