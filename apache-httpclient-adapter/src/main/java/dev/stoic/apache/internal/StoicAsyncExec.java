package dev.stoic.apache.internal;

import dev.stoic.spi.CallInfo;
import dev.stoic.spi.CallRunner;
import dev.stoic.spi.Router;
import java.io.IOException;
import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;

/**
 * Stoic as the first element of an async client's exec chain: each attempt runs the rest of the
 * chain once; waits between attempts are scheduled, never slept; cancelling the caller's future
 * cancels the wait or the exchange in flight.
 *
 * <p>Thread-safe.
 */
public final class StoicAsyncExec implements AsyncExecChainHandler {
  private final Router router;

  public StoicAsyncExec(Router router) {
    this.router = router;
  }

  @Override
  public void execute(HttpRequest request, AsyncEntityProducer producer, AsyncExecChain.Scope scope,
      AsyncExecChain chain, AsyncExecCallback callback) throws HttpException, IOException {
    if (Contexts.outerAttempt(scope.clientContext)) {
      chain.proceed(request, producer, scope, callback);
      return;
    }
    String host = scope.route.getTargetHost().getHostName();
    CallRunner runner = router.route(Contexts.chosen(scope.clientContext), host,
        router.routesByPath() ? ClassicCall.pathOf(request.getPath()) : null);
    try {
      Hedging.refuse(runner.policy(), "the request's policy", "StoicApache's async handler");
    } catch (IllegalArgumentException e) {
      callback.failed(e);
      return;
    }
    String keyHeader = runner.policy().idempotencyKey().headerName();
    CallInfo info = CallInfo.of(request.getMethod(),
        scope.route.getTargetHost().toURI() + request.getPath(), host,
        Headers.first(request, keyHeader), producer == null || producer.isRepeatable(), 0);
    AsyncCall call = new AsyncCall(request, producer, scope, chain, callback);
    call.follow(runner.sendAsync(info, call, Responses.INSTANCE));
  }

  /** The head of an async response: its body went to the caller's consumer, or was drained. */
  private static final class Responses extends HeadAccess<HttpResponse> {
    static final Responses INSTANCE = new Responses();

    @Override
    public void discard(HttpResponse response) {} // drained or aborted as it arrived
  }
}
