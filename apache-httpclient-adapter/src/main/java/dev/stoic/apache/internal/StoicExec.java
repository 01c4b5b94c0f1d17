package dev.stoic.apache.internal;

import dev.stoic.spi.Router;
import java.io.IOException;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;

/**
 * Stoic as the first element of a classic client's exec chain: each attempt runs the rest of the
 * chain (redirects, protocol, connection) once, on the call's one execution runtime.
 *
 * <p>Thread-safe.
 */
public final class StoicExec implements ExecChainHandler {
  private final Router router;

  public StoicExec(Router router) {
    this.router = router;
  }

  @Override
  public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope,
      ExecChain chain) throws IOException, HttpException {
    if (Contexts.outerAttempt(scope.clientContext)) return chain.proceed(request, scope);
    ClassicCall.Exchange exchange = new ClassicCall.Exchange() {
      @Override
      public ClassicHttpResponse send(ClassicHttpRequest attempt, ClassicHttpRequest original)
          throws IOException, HttpException {
        // A twin of the attempt is the original for the rest of the chain: a redirect re-sends
        // the attempt's key and count, not the caller's request without them.
        return chain.proceed(attempt, new ExecChain.Scope(scope.exchangeId, scope.route, original,
            scope.execRuntime, scope.clientContext));
      }

      @Override
      public void abort(ClassicHttpResponse response) {
        scope.execRuntime.discardEndpoint(); // a no-op once the drained connection went back
      }
    };
    String url = scope.route.getTargetHost().toURI() + request.getPath();
    return ClassicCall.run(router, url, scope.route.getTargetHost().getHostName(), request,
        scope.clientContext, exchange, scope.originalRequest, "StoicApache's classic handler");
  }
}
