package dev.stoic.jdk.internal;

import dev.stoic.spi.Attempt;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;

/**
 * A request body its caller declared one-shot. It sends what the caller's publisher sends; the
 * adapter recognises it on {@link HttpRequest#bodyPublisher()} and, per attempt, wraps it once
 * more to learn when the attempt starts writing it.
 */
public final class OneShotBodyPublisher implements BodyPublisher {
  private final BodyPublisher body;

  public OneShotBodyPublisher(BodyPublisher body) {
    this.body = body;
  }

  /** Returns the one-shot body of {@code request}, or null if its body is replayable. */
  static OneShotBodyPublisher of(HttpRequest request) {
    BodyPublisher publisher = request.bodyPublisher().orElse(null);
    return publisher instanceof OneShotBodyPublisher ? (OneShotBodyPublisher) publisher : null;
  }

  @Override
  public long contentLength() {
    return body.contentLength();
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
    body.subscribe(subscriber);
  }

  /**
   * This body for one attempt. The JDK client subscribes to a request body only once it has a
   * connection to write it to, so a subscription is taken as "written": after it the executor
   * never sends this body again, while an attempt that failed to connect leaves it unmarked.
   */
  BodyPublisher forAttempt(Attempt context) {
    return new BodyPublisher() {
      @Override
      public long contentLength() {
        return body.contentLength();
      }

      @Override
      public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        context.markBodyWritten();
        body.subscribe(subscriber);
      }
    };
  }

  @Override
  public String toString() {
    return "oneShot(" + body + ")";
  }
}
