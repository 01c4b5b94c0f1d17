package dev.stoic.apache.internal;

import dev.stoic.spi.Attempt;
import dev.stoic.spi.CallInfo;
import dev.stoic.spi.CallRunner;
import dev.stoic.spi.Cancellation;
import dev.stoic.spi.Router;
import dev.stoic.spi.SyncAttempt;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.RequestFailedException;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;

/**
 * One classic call: each attempt is a copy of the caller's request with the attempt's headers,
 * timeouts and a body that reports being written, sent through {@link Exchange} (the rest of the
 * exec chain, or a wrapped client). A response that will be retried is read within {@link
 * BoundedDrain}'s bounds before the engine waits.
 */
final class ClassicCall implements SyncAttempt<ClassicHttpResponse>, Cancellation {
  /** Sends one attempt's request; {@code abort} frees a response's connection at once. */
  interface Exchange {
    /**
     * Sends {@code request}; {@code original} is an untouched twin for the chain's scope, which
     * a redirect copies (the protocol layer adds headers to the request it sends).
     */
    ClassicHttpResponse send(ClassicHttpRequest request, ClassicHttpRequest original)
        throws IOException, HttpException;

    void abort(ClassicHttpResponse response);

    /** Called with each attempt's request before it is sent. */
    default void prepare(HttpUriRequestBase attempt) {}
  }

  private final ClassicHttpRequest request;
  private final HttpClientContext context;
  private final Exchange exchange;
  /** The caller's handle to cancel the call (an {@code HttpGet}, say), or null. */
  private final HttpUriRequestBase caller;

  ClassicCall(ClassicHttpRequest request, HttpClientContext context, Exchange exchange,
      Object caller) {
    this.request = request;
    this.context = context;
    this.exchange = exchange;
    this.caller = caller instanceof HttpUriRequestBase cancellable ? cancellable : null;
  }

  /** Runs the call on {@code router}'s runner for it, one attempt at a time. */
  static ClassicHttpResponse run(Router router, String url, String host, ClassicHttpRequest request,
      HttpClientContext context, Exchange exchange, Object caller, String where)
      throws IOException, HttpException {
    CallRunner runner = router.route(Contexts.chosen(context), host,
        router.routesByPath() ? pathOf(request.getPath()) : null);
    if (runner.policy().hedging() != null) {
      Hedging.refuse(runner.policy(), "the request's policy", where);
    }
    ClassicCall call = new ClassicCall(request, context, exchange, caller);
    String keyHeader = runner.policy().idempotencyKey().headerName();
    HttpEntity entity = request.getEntity();
    CallInfo info = CallInfo.of(request.getMethod(), url, host, Headers.first(request, keyHeader),
        entity == null || entity.isRepeatable(), 0);
    try {
      return runner.sendSerially(info, call, new Responses(exchange),
          call.caller == null ? Cancellation.NEVER : call);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted = new InterruptedIOException("interrupted between attempts");
      interrupted.initCause(e);
      throw interrupted;
    } catch (WrappedHttpException e) {
      throw e.getCause();
    }
  }

  @Override
  public ClassicHttpResponse run(Attempt attempt) throws IOException {
    HttpUriRequestBase copy = copy(attempt);
    exchange.prepare(copy);
    RequestConfig base = context.getRequestConfig();
    Duration timeout = attempt.timeout();
    long start = timeout == null ? 0 : System.nanoTime();
    if (timeout != null) context.setRequestConfig(Attempts.lowered(base, timeout));
    ClassicHttpResponse response;
    try {
      response = exchange.send(copy, copy(attempt));
    } catch (HttpException e) {
      throw new WrappedHttpException(e);
    } catch (IllegalStateException e) {
      // HC5 throws this when a cancel() discards the connection between lease and connect.
      if (!isCancelled()) throw e;
      throw (IOException) new RequestFailedException("Request aborted").initCause(e);
    } finally {
      if (timeout != null) context.setRequestConfig(base);
    }
    if (attempt.decide(response.getCode(), new Headers(response))) {
      long left = timeout == null ? Long.MAX_VALUE : timeout.toNanos() - (System.nanoTime() - start);
      BoundedDrain.drain(response, left, () -> exchange.abort(response));
    }
    return response;
  }

  @Override
  public boolean isCancelled() {
    return caller != null && caller.isCancelled();
  }

  /**
   * Completes when the caller cancels during a wait. The caller's request takes this as its
   * dependency while nothing is in flight; the next attempt's exchange takes it back (HC5's exec
   * runtime sets itself as the dependency when it leases a connection, and a wrapped client's
   * attempt is linked in {@link Exchange#prepare}).
   */
  @Override
  public CompletionStage<?> signal() {
    CompletableFuture<Void> cancelled = new CompletableFuture<>();
    caller.setDependency(() -> cancelled.complete(null));
    return cancelled;
  }

  private HttpUriRequestBase copy(Attempt attempt) throws IOException {
    HttpUriRequestBase copy;
    try {
      copy = new HttpUriRequestBase(request.getMethod(), request.getUri());
    } catch (URISyntaxException e) {
      throw new IOException("the request's URI is malformed: " + e.getMessage(), e);
    }
    copy.setVersion(request.getVersion());
    copy.setHeaders(request.getHeaders());
    copy.setEntity(Attempts.marking(request.getEntity(), attempt));
    Attempts.applyEdits(copy, attempt);
    return copy;
  }

  /** The path without its query, as routes match it. */
  static String pathOf(String path) {
    if (path == null) return null;
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }

  /** How the engine reads classic responses, and lets go of one the caller will not get. */
  private static final class Responses extends HeadAccess<ClassicHttpResponse> {
    private final Exchange exchange;

    Responses(Exchange exchange) {
      this.exchange = exchange;
    }

    @Override
    public void discard(ClassicHttpResponse response) {
      exchange.abort(response); // read already within bounds if it was going to be
    }
  }

  /** Carries an {@link HttpException} through the engine, which passes on IOExceptions. */
  private static final class WrappedHttpException extends IOException {
    private static final long serialVersionUID = 1L;

    WrappedHttpException(HttpException cause) {
      super(cause);
    }

    @Override
    public synchronized HttpException getCause() {
      return (HttpException) super.getCause();
    }
  }
}
