package dev.stoic.jdk.internal;

import java.io.IOException;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A body subscriber that its attempt can abort: {@link #abort()} cancels the subscription (which
 * closes an HTTP/1.1 connection that still carries the body, and does nothing once the body is
 * complete) and fails the body, so an attempt cancelled while its body arrives ends at once, and
 * closes what the handler made of the body (an {@code InputStream}, say), since nobody gets it.
 *
 * @param <T> the body type
 */
final class AbortableBody<T> implements BodySubscriber<T> {
  private final BodySubscriber<T> delegate;
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile Flow.Subscription subscription;
  private volatile boolean aborted;
  private CompletionStage<T> body; // guarded by this

  AbortableBody(BodySubscriber<T> delegate) {
    this.delegate = delegate;
  }

  /**
   * The delegate's body, asked for once: a mapping subscriber makes a new value each time it is
   * asked, and the one the JDK was given must be the one an abort closes.
   */
  @Override
  public synchronized CompletionStage<T> getBody() {
    if (body == null) body = delegate.getBody();
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    delegate.onSubscribe(subscription);
    if (aborted) abort();
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    if (!ended.get()) delegate.onNext(item);
  }

  @Override
  public void onError(Throwable throwable) {
    if (ended.compareAndSet(false, true)) delegate.onError(throwable);
  }

  @Override
  public void onComplete() {
    if (ended.compareAndSet(false, true)) delegate.onComplete();
  }

  /** Stops the body: nothing more is read, and the body fails unless it has already ended. */
  void abort() {
    aborted = true;
    Flow.Subscription s = subscription;
    if (s == null) return; // onSubscribe aborts when it comes
    // The body learns first, as from the JDK's own cancel; then the read stops.
    if (ended.compareAndSet(false, true)) {
      delegate.onError(new IOException("the attempt was cancelled"));
    }
    s.cancel();
    // Nobody is handed this body: a stream the handler made of it is closed, now or when it
    // comes (the JDK may fail the exchange instead of returning the response that holds it).
    getBody().thenAccept(AbortableBody::closeQuietly);
  }

  private static void closeQuietly(Object body) {
    if (!(body instanceof AutoCloseable)) return;
    try {
      ((AutoCloseable) body).close();
    } catch (Exception ignored) {
      // the body already failed; closing it only lets go of what it holds
    }
  }
}
