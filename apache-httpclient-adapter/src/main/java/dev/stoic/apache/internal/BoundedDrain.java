package dev.stoic.apache.internal;

import dev.stoic.RetryClock;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;

/**
 * Lets go of a classic response that will be retried: reads a little, briefly, then frees the
 * connection. The bounds are the JDK adapter's: a body complete within {@link #MAX_BYTES} and
 * {@link #MAX_TIME} (and the time the attempt has left) is read to its end, so the connection
 * goes back to the pool for the next attempt; anything else is aborted, which closes the
 * connection. A body declared longer than the limit is aborted before any of it is read.
 *
 * <p>HC5 reads the rest of a body when its stream or entity is closed (to reuse the connection),
 * however long it is; so abandoning goes through the {@code abort} the caller gives (the exec
 * runtime's {@code discardEndpoint()}, or a response's {@code close(CloseMode.IMMEDIATE)}), never
 * through {@code close()}.
 */
final class BoundedDrain {
  /** The most of a body read to keep its connection: a 503 page, an error document. */
  static final int MAX_BYTES = 64 * 1024;
  /** The longest a body is read for, as OkHttp's discard of an unread body. */
  static final Duration MAX_TIME = Duration.ofMillis(100);
  /** Real I/O is bounded on the system clock, never the policy's (a test's virtual clock). */
  static final RetryClock TIMER = RetryClock.system();
  /**
   * Where discarded bytes go. Shared by every thread: what it holds is never read, so writes that
   * race are harmless, and a retry allocates no buffer (one of 8 KiB doubled the bytes a retried
   * call allocates, Hc5OverheadBenchmark).
   */
  private static final byte[] SINK = new byte[4096];

  private BoundedDrain() {}

  /**
   * Reads {@code response}'s body within the bounds or aborts it; never throws.
   *
   * @param timeLeftNanos the time the attempt has left, Long.MAX_VALUE without a limit
   * @param dropConnection closes the connection at once, from any thread
   */
  static void drain(ClassicHttpResponse response, long timeLeftNanos, Runnable dropConnection) {
    HttpEntity entity = response.getEntity();
    if (entity == null) return; // HC5 released the connection with the head
    AttemptAbort abort = new AttemptAbort(dropConnection);
    try {
      read(entity, timeLeftNanos, abort);
    } finally {
      abort.end(); // a late timer must not drop the next attempt's connection
    }
  }

  private static void read(HttpEntity entity, long timeLeftNanos, AttemptAbort abort) {
    long window = Math.min(MAX_TIME.toNanos(), timeLeftNanos);
    if (entity.getContentLength() > MAX_BYTES || window <= 0) {
      abort.run();
      return;
    }
    RetryClock.Cancellable timer = TIMER.schedule(Duration.ofNanos(window), abort);
    try {
      InputStream in = entity.getContent();
      long read = 0;
      for (int n; (n = in.read(SINK)) >= 0; ) {
        read += n;
        if (read > MAX_BYTES) {
          abort.run();
          return;
        }
      }
      in.close(); // at its end: HC5 returns the connection to the pool
    } catch (IOException | RuntimeException e) {
      abort.run(); // aborted by the timer, or the connection failed: the retry decision stands
    } finally {
      timer.cancel();
    }
  }
}
