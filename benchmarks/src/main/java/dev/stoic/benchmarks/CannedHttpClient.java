package dev.stoic.benchmarks;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.net.http.HttpResponse.ResponseInfo;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * An in-memory {@link HttpClient} that answers every request at once, on the calling thread, with
 * an empty-bodied 200, or a 503 once after {@link #failNextRequest()}. It drives the caller's
 * {@link BodyHandler} the way the real client does: the handler sees the status and headers first,
 * and its subscriber then gets the (empty) body. {@code sendAsync} returns a completed future.
 *
 * <p>Not thread-safe: a JMH benchmark thread owns it.
 */
class CannedHttpClient extends HttpClient {
  private static final HttpHeaders NO_HEADERS = HttpHeaders.of(Map.of(), (name, value) -> true);
  private static final Flow.Subscription NOTHING_TO_SEND = new Flow.Subscription() {
    @Override
    public void request(long n) {}

    @Override
    public void cancel() {}
  };

  private boolean failNext;
  /** Requests answered so far: path checks compare it before and after a call. */
  long requests;

  /** The next request gets 503 Service Unavailable; the ones after it 200 again. */
  void failNextRequest() {
    failNext = true;
  }

  /** The next exchange's status: 200, or 503 once after {@link #failNextRequest()}. */
  int nextStatus() {
    int status = failNext ? 503 : 200;
    failNext = false;
    return status;
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler) throws IOException {
    requests++;
    int status = nextStatus();
    Canned<T> response = new Canned<>(request, status);
    BodySubscriber<T> subscriber = handler.apply(response);
    subscriber.onSubscribe(NOTHING_TO_SEND);
    subscriber.onComplete();
    response.body = subscriber.getBody().toCompletableFuture().join();
    return response;
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, BodyHandler<T> handler) {
    try {
      return CompletableFuture.completedFuture(send(request, handler));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, BodyHandler<T> handler, PushPromiseHandler<T> pushPromiseHandler) {
    return sendAsync(request, handler);
  }

  /** The response, and the {@link ResponseInfo} its body handler sees. */
  private static final class Canned<T> implements HttpResponse<T>, ResponseInfo {
    private final HttpRequest request;
    private final int status;
    T body;

    Canned(HttpRequest request, int status) {
      this.request = request;
      this.status = status;
    }

    @Override
    public int statusCode() {
      return status;
    }

    @Override
    public HttpRequest request() {
      return request;
    }

    @Override
    public Optional<HttpResponse<T>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public HttpHeaders headers() {
      return NO_HEADERS;
    }

    @Override
    public T body() {
      return body;
    }

    @Override
    public Optional<SSLSession> sslSession() {
      return Optional.empty();
    }

    @Override
    public URI uri() {
      return request.uri();
    }

    @Override
    public Version version() {
      return Version.HTTP_1_1;
    }
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return Optional.empty();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return Optional.empty();
  }

  @Override
  public Redirect followRedirects() {
    return Redirect.NEVER;
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return Optional.empty();
  }

  @Override
  public SSLContext sslContext() {
    throw new UnsupportedOperationException("no TLS in memory");
  }

  @Override
  public SSLParameters sslParameters() {
    throw new UnsupportedOperationException("no TLS in memory");
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return Optional.empty();
  }

  @Override
  public Version version() {
    return Version.HTTP_1_1;
  }

  @Override
  public Optional<Executor> executor() {
    return Optional.empty();
  }
}
