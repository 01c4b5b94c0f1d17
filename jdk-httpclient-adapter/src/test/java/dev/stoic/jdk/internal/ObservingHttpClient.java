package dev.stoic.jdk.internal;

import dev.stoic.jdk.ForwardingHttpClient;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real client that watches the subscriber of every response with status {@link #watched}: when
 * it was subscribed, how much it asked for, when it cancelled, and when and how its body ended
 * (cancelled by the subscriber, failed, or complete). Futures are the real client's.
 */
final class ObservingHttpClient extends ForwardingHttpClient {
  private final int watched;
  final CountDownLatch subscribed = new CountDownLatch(1);
  final CountDownLatch cancelled = new CountDownLatch(1);
  final AtomicLong requested = new AtomicLong();
  volatile long subscribedNanos;
  volatile long cancelledNanos;
  final CountDownLatch ended = new CountDownLatch(1);
  volatile long endedNanos;
  volatile String endedBy;

  ObservingHttpClient(HttpClient client, int watched) {
    super(client);
    this.watched = watched;
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler)
      throws IOException, InterruptedException {
    return client.send(request, observe(handler));
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, BodyHandler<T> handler) {
    return client.sendAsync(request, observe(handler));
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, BodyHandler<T> handler, PushPromiseHandler<T> pushPromiseHandler) {
    return client.sendAsync(request, observe(handler), pushPromiseHandler);
  }

  private <T> BodyHandler<T> observe(BodyHandler<T> handler) {
    return info -> {
      BodySubscriber<T> subscriber = handler.apply(info);
      return info.statusCode() == watched ? new Observed<>(subscriber) : subscriber;
    };
  }

  private final class Observed<T> implements BodySubscriber<T> {
    private final BodySubscriber<T> delegate;

    Observed(BodySubscriber<T> delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletionStage<T> getBody() {
      return delegate.getBody();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      delegate.onSubscribe(new Flow.Subscription() {
        @Override
        public void request(long n) {
          requested.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
          subscription.request(n);
        }

        @Override
        public void cancel() {
          cancelledNanos = System.nanoTime();
          cancelled.countDown();
          end("cancel");
          subscription.cancel();
        }
      });
      subscribedNanos = System.nanoTime();
      subscribed.countDown();
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
      delegate.onNext(item);
    }

    @Override
    public void onError(Throwable throwable) {
      end("error");
      delegate.onError(throwable);
    }

    @Override
    public void onComplete() {
      end("complete");
      delegate.onComplete();
    }
  }

  private synchronized void end(String how) {
    if (ended.getCount() == 0) return;
    endedNanos = System.nanoTime();
    endedBy = how;
    ended.countDown();
  }
}
