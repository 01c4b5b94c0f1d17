package dev.stoic.jdk.internal;

import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The body of a response the executor could not decide on (deciding threw): not read at all, its
 * subscription cancelled at once (which closes an HTTP/1.1 connection), and the attempt failed
 * with what deciding threw. A body handler that throws instead leaves the JDK client holding the
 * connection open.
 */
final class FailedBody<T> implements BodySubscriber<T> {
  private final CompletableFuture<T> body = new CompletableFuture<>();
  private final Throwable failure;

  FailedBody(Throwable failure) {
    this.failure = failure;
  }

  @Override
  public CompletionStage<T> getBody() {
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    subscription.cancel();
    body.completeExceptionally(failure);
  }

  @Override
  public void onNext(List<ByteBuffer> item) {}

  @Override
  public void onError(Throwable throwable) {
    body.completeExceptionally(failure);
  }

  @Override
  public void onComplete() {
    body.completeExceptionally(failure);
  }
}
