package dev.stoic.webclient;

import dev.stoic.RetryClock;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.reactivestreams.Subscription;
import org.springframework.web.reactive.function.client.ClientResponse;
import reactor.core.CoreSubscriber;

/**
 * One attempt's exchange as the engine's future: it subscribes to the exchange, completes with its
 * response or failure, and cancelling it (a caller's dispose, a losing hedge, the attempt's time
 * running out) cancels the exchange. A response that arrives after that is released, never lost.
 */
final class AttemptFuture extends CompletableFuture<ClientResponse>
    implements CoreSubscriber<ClientResponse> {
  private static final Subscription CANCELLED = new Subscription() {
    @Override
    public void request(long n) {}

    @Override
    public void cancel() {}
  };

  private final AtomicReference<Subscription> upstream = new AtomicReference<>();
  private volatile RetryClock.Cancellable timer;

  /** Fails the attempt with a timeout after {@code timeout} on {@code clock}; null for no limit. */
  void limit(RetryClock clock, Duration timeout) {
    if (timeout == null) return;
    timer = clock.schedule(timeout, () -> {
      // No "connect" in the message: the engine reads it as a timeout after the request was sent.
      if (completeExceptionally(new SocketTimeoutException(
          "attempt timed out after " + timeout.toMillis() + " ms"))) {
        cancelUpstream();
      }
    });
    if (isDone()) stopTimer();
  }

  @Override
  public void onSubscribe(Subscription s) {
    if (upstream.compareAndSet(null, s)) {
      s.request(Long.MAX_VALUE);
    } else {
      s.cancel(); // cancelled before the exchange began
    }
  }

  @Override
  public void onNext(ClientResponse response) {
    stopTimer();
    if (!complete(response)) ClientResponses.INSTANCE.discard(response);
  }

  @Override
  public void onError(Throwable failure) {
    stopTimer();
    completeExceptionally(TransportFailure.of(failure));
  }

  @Override
  public void onComplete() {
    if (!isDone()) {
      stopTimer();
      completeExceptionally(new IllegalStateException("the exchange completed without a response"));
    }
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    stopTimer();
    cancelUpstream();
    return cancelled;
  }

  private void cancelUpstream() {
    Subscription s = upstream.getAndSet(CANCELLED);
    if (s != null && s != CANCELLED) s.cancel();
  }

  private void stopTimer() {
    RetryClock.Cancellable t = timer;
    if (t != null) t.cancel();
  }
}
