package dev.stoic.jdk.internal;

import dev.stoic.RetryClock;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.ResponseInfo;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The body of a response that will be retried: read a little, briefly, then let go.
 *
 * <p>A body that is complete within {@link #MAX_BYTES} and {@link #MAX_TIME} (and within the time
 * the attempt has left) is read to its end, so its HTTP/1.1 connection goes back to the pool for
 * the next attempt, as OkHttp does when it closes an unread body. Anything else is abandoned: the
 * subscription is cancelled, which closes an HTTP/1.1 connection (resets an HTTP/2 stream), and a
 * body whose {@code Content-Length} is over the limit is abandoned before any of it is read.
 * Either way the body completes with null as soon as the read ends, so the attempt ends with it
 * and nothing keeps reading after it. A cancelled attempt ends the read at once: the JDK client
 * closes the connection and the body fails, which ends the discard like the body's end.
 *
 * <p>The time limit runs on the system clock, never the policy's: it bounds real I/O, and a test's
 * virtual clock must not see it as a wait.
 *
 * @param <T> the caller's body type; the body is always null
 */
final class BoundedDiscard<T> implements BodySubscriber<T> {
  /** The most of a body read to keep its connection: a 503 page, an error document. */
  static final long MAX_BYTES = 64 * 1024;
  /** The longest a body is read for, as OkHttp's discard of an unread body. */
  static final Duration MAX_TIME = Duration.ofMillis(100);

  private final CompletableFuture<T> body = new CompletableFuture<>();
  private final AtomicBoolean ended = new AtomicBoolean();
  private final long maxBytes;
  private final long windowNanos;
  private final RetryClock timer;
  /** Set once, by onSubscribe. */
  private volatile Flow.Subscription subscription;
  private volatile RetryClock.Cancellable deadline;
  /** Written only by onNext, which the publisher calls serially. */
  private long read;
  /** True once the read was cut short (for tests and diagnostics). */
  private volatile boolean abandoned;

  /**
   * @param info the response, for its {@code Content-Length}
   * @param timeLeftNanos the time the attempt has left (Long.MAX_VALUE without a limit); the read
   *     never takes longer
   * @param maxBytes the most it reads ({@link #MAX_BYTES})
   * @param maxTime the longest it reads ({@link #MAX_TIME})
   * @param timer runs the time limit: the system clock
   */
  BoundedDiscard(
      ResponseInfo info, long timeLeftNanos, long maxBytes, Duration maxTime, RetryClock timer) {
    // A declared length over the limit will not be read: the window would be spent for nothing.
    this.maxBytes = declaredLength(info) > maxBytes ? -1 : maxBytes;
    this.windowNanos = Math.max(0, Math.min(maxTime.toNanos(), timeLeftNanos));
    this.timer = timer;
  }

  /**
   * The first {@code Content-Length}, or -1: {@code firstValueAsLong} without the stream it builds
   * (about 200 bytes per retried response), throwing as it does for a value that is not a number.
   */
  private static long declaredLength(ResponseInfo info) {
    List<String> values = info.headers().allValues("Content-Length");
    return values.isEmpty() ? -1 : Long.parseLong(values.get(0));
  }

  @Override
  public CompletionStage<T> getBody() {
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    if (ended.get()) { // abandoned before the body started
      subscription.cancel();
      return;
    }
    if (maxBytes < 0 || windowNanos == 0) {
      abandon();
      return;
    }
    subscription.request(Long.MAX_VALUE);
    // A body already in hand (delivered within request) has ended: no timer to set or cancel.
    if (ended.get()) return;
    deadline = timer.schedule(Duration.ofNanos(windowNanos), this::abandon);
    if (ended.get()) deadline.cancel(); // ended meanwhile: end() may have missed the timer
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    for (ByteBuffer buffer : buffers) read += buffer.remaining();
    if (read > maxBytes) abandon();
  }

  @Override
  public void onError(Throwable failure) {
    end(false); // the connection is gone already; the retry decision stands
  }

  @Override
  public void onComplete() {
    end(false); // read to its end: the connection can be reused
  }

  /** Stops reading now: cancels the subscription, which lets the connection go. Idempotent. */
  void abandon() {
    end(true);
  }

  /** Whether the read was cut short rather than reaching the body's end (or failing). */
  boolean abandoned() {
    return abandoned;
  }

  private void end(boolean cancel) {
    if (!ended.compareAndSet(false, true)) return;
    RetryClock.Cancellable timeout = deadline;
    if (timeout != null) timeout.cancel();
    if (cancel) {
      abandoned = true;
      Flow.Subscription s = subscription;
      if (s != null) s.cancel(); // else onSubscribe cancels when it comes
    }
    body.complete(null);
  }
}
