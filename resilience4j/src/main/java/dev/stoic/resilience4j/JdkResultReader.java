package dev.stoic.resilience4j;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Flow;

/**
 * Reads {@code java.net.http} {@link HttpResponse}s for {@link StoicRetry}.
 *
 * <pre>{@code
 * Retry retry = Retry.of("catalog", StoicRetry.config(policy, JdkResultReader.<String>create()));
 * HttpResponse<String> response = Retry.decorateCheckedSupplier(retry,
 *     () -> client.send(request, BodyHandlers.ofString())).get();
 * }</pre>
 *
 * <p>Unlike Stoic's own {@code StoicHttpClient}, which decides before the body is read, a
 * resilience4j {@code Retry} sees the response after the caller's body handler ran: a retried
 * response's body has been read (or, for streaming handlers, opened) and is then closed. Bodies
 * already read (strings, bytes, files) need nothing; {@code AutoCloseable} bodies ({@code
 * ofInputStream}, {@code ofLines}) are closed; an {@code ofPublisher} body is subscribed to and
 * cancelled. Stateless and thread-safe.
 *
 * @param <B> the response body type
 */
public final class JdkResultReader<B> implements ResultReader<HttpResponse<B>> {
  private static final JdkResultReader<Object> INSTANCE = new JdkResultReader<>();
  private static final System.Logger LOG = System.getLogger("dev.stoic.resilience4j");

  private JdkResultReader() {}

  @SuppressWarnings("unchecked") // Stateless: one instance serves every body type.
  public static <B> JdkResultReader<B> create() {
    return (JdkResultReader<B>) INSTANCE;
  }

  @Override
  public int status(HttpResponse<B> response) {
    return response.statusCode();
  }

  @Override
  public List<String> headers(HttpResponse<B> response, String name) {
    return response.headers().allValues(name);
  }

  @Override
  public String method(HttpResponse<B> response) {
    return response.request().method();
  }

  @Override
  public String requestHeader(HttpResponse<B> response, String name) {
    return response.request().headers().firstValue(name).orElse(null);
  }

  @Override
  public void discard(HttpResponse<B> response) {
    Object body = response.body();
    if (body instanceof AutoCloseable) {
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

  @Override
  public String toString() {
    return "JdkResultReader";
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
