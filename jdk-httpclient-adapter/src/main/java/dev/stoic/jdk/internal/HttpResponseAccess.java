package dev.stoic.jdk.internal;

import dev.stoic.spi.ResponseAccess;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Flow;

/**
 * How the executor reads and discards a JDK {@link HttpResponse}. Stateless and thread-safe.
 *
 * <p>A response the executor retries never reached the caller's handler: its body went to a
 * {@link BoundedDiscard}, which read a little of it or let it go before the attempt ended, so
 * discarding it has nothing left to release (its body is null). Discarding matters only for a
 * response that went through the caller's handler and is then dropped: when the policy throws on
 * a final failure status, or when the call was cancelled as the response arrived. Nothing here
 * reads: bodies that hold a connection open are released at once (a stream is closed, a
 * publisher is subscribed to and cancelled, both of which cancel the JDK's subscription and close
 * an HTTP/1.1 connection); bodies already read (strings, bytes, files) need nothing. A handler
 * that reads its body to the end before the response exists ({@code ofString}, {@code
 * ofByteArray}, {@code discarding}) has done so before the executor sees the response: that read
 * is the caller's handler's, not the discard's.
 *
 * @param <T> the response body type
 */
public final class HttpResponseAccess<T> implements ResponseAccess<HttpResponse<T>> {
  private static final HttpResponseAccess<Object> INSTANCE = new HttpResponseAccess<>();
  private static final System.Logger LOG = System.getLogger("dev.stoic.jdk");

  private HttpResponseAccess() {}

  @SuppressWarnings("unchecked") // Stateless: one instance serves every body type.
  public static <T> HttpResponseAccess<T> instance() {
    return (HttpResponseAccess<T>) INSTANCE;
  }

  @Override
  public int status(HttpResponse<T> response) {
    return response.statusCode();
  }

  @Override
  public List<String> headers(HttpResponse<T> response, String name) {
    return response.headers().allValues(name);
  }

  @Override
  public void discard(HttpResponse<T> response) {
    Object body = response.body();
    if (body instanceof AutoCloseable) {
      // ofInputStream, ofLines (a Stream), and caller types that hold resources.
      try {
        ((AutoCloseable) body).close();
      } catch (Exception e) {
        LOG.log(System.Logger.Level.DEBUG, "closing a discarded response body failed: " + e);
      }
    } else if (body instanceof Flow.Publisher) {
      // ofPublisher: the connection is held until someone subscribes and cancels.
      @SuppressWarnings("unchecked")
      Flow.Publisher<List<ByteBuffer>> publisher = (Flow.Publisher<List<ByteBuffer>>) body;
      publisher.subscribe(new Cancelling());
    }
  }

  /** Subscribes only to cancel at once. */
  private static final class Cancelling implements Flow.Subscriber<List<ByteBuffer>> {
    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.cancel();
    }

    @Override
    public void onNext(List<ByteBuffer> item) {}

    @Override
    public void onError(Throwable throwable) {}

    @Override
    public void onComplete() {}
  }
}
