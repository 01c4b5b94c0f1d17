package dev.stoic.apache.internal;

import dev.stoic.spi.AsyncAttempt;
import dev.stoic.spi.Attempt;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.concurrent.ComplexCancellable;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducerWrapper;

/**
 * One async call: each attempt runs the rest of the chain with a copy of the request, the
 * attempt's edits and timeouts, and a scope of its own whose cancellable aborts just that
 * exchange. The caller's future cancels the engine's, which cancels the wait or the attempt.
 */
final class AsyncCall implements AsyncAttempt<HttpResponse> {
  private final HttpRequest request;
  private final AsyncEntityProducer producer;
  private final AsyncExecChain.Scope scope;
  private final AsyncExecChain chain;
  private final AsyncExecCallback callback;
  private final RequestConfig baseConfig;

  AsyncCall(HttpRequest request, AsyncEntityProducer producer, AsyncExecChain.Scope scope,
      AsyncExecChain chain, AsyncExecCallback callback) {
    this.request = request;
    this.producer = producer;
    this.scope = scope;
    this.chain = chain;
    this.callback = callback;
    this.baseConfig = scope.clientContext.getRequestConfig();
  }

  /** Reports the engine's result to the caller's callback, and lets the caller cancel it. */
  void follow(CompletableFuture<HttpResponse> result) {
    scope.cancellableDependency.setDependency(() -> result.cancel(false));
    result.whenComplete((response, failure) -> {
      scope.clientContext.setRequestConfig(baseConfig);
      if (failure == null) {
        callback.completed();
        return;
      }
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      callback.failed(cause instanceof Exception e ? e : new IOException(cause));
    });
  }

  @Override
  public CompletableFuture<HttpResponse> start(Attempt attempt) {
    ComplexCancellable exchange = new ComplexCancellable();
    CompletableFuture<HttpResponse> future = new CompletableFuture<>() {
      @Override
      public boolean cancel(boolean mayInterruptIfRunning) {
        exchange.cancel(); // aborts the exchange in flight; its failure is then ignored
        return super.cancel(mayInterruptIfRunning);
      }
    };
    if (producer != null && attempt.number() > 1) producer.releaseResources(); // rewinds it
    HttpRequest copy = copy(attempt);
    scope.clientContext.setRequestConfig(Attempts.lowered(baseConfig, attempt.timeout()));
    // An untouched twin of the copy is the original for the rest of the chain, so a redirect
    // re-sends the attempt's headers (the protocol layer adds headers to the request it sends);
    // the attempt's own cancellable lets the engine abort just this exchange.
    AsyncExecChain.Scope own = new AsyncExecChain.Scope(scope.exchangeId, scope.route,
        copy(attempt), exchange, scope.clientContext, scope.execRuntime, scope.scheduler,
        scope.execCount);
    try {
      chain.proceed(copy, producer == null ? null : new MarkingProducer(producer, attempt), own,
          new AttemptCallback(attempt, future, scope, callback));
    } catch (HttpException | IOException | RuntimeException e) {
      scope.execRuntime.discardEndpoint();
      future.completeExceptionally(e instanceof HttpException ? new IOException(e) : e);
    }
    return future;
  }

  private HttpRequest copy(Attempt attempt) {
    BasicHttpRequest copy = new BasicHttpRequest(request.getMethod(), request.getScheme(),
        request.getAuthority(), request.getPath());
    copy.setVersion(request.getVersion());
    copy.setHeaders(request.getHeaders());
    Attempts.applyEdits(copy, attempt);
    return copy;
  }

  /** A request body that tells its attempt when it starts to go out. */
  private static final class MarkingProducer extends AsyncEntityProducerWrapper {
    private final Attempt attempt;
    private boolean marked;

    MarkingProducer(AsyncEntityProducer producer, Attempt attempt) {
      super(producer);
      this.attempt = attempt;
    }

    @Override
    public void produce(DataStreamChannel channel) throws IOException {
      if (!marked) {
        marked = true;
        attempt.markBodyWritten(); // before the first byte: some of it may be on the wire
      }
      super.produce(channel);
    }
  }
}
