package dev.stoic.apache.internal;

import dev.stoic.spi.AttemptMark;
import dev.stoic.spi.Router;
import java.io.IOException;
import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http.io.EofSensorInputStream;
import org.apache.hc.core5.io.CloseMode;

/**
 * A built {@link CloseableHttpClient} with Stoic around each call: every attempt is one {@code
 * execute} of the wrapped client, with the outer-attempt mark in its context so a Stoic handler
 * inside sends it once. The wrapped client's own retries, if it was built with them, run inside
 * each attempt.
 *
 * <p>Thread-safe; closing it closes the wrapped client.
 */
public final class StoicClassicClient extends CloseableHttpClient {
  private final CloseableHttpClient client;
  private final Router router;

  public StoicClassicClient(CloseableHttpClient client, Router router) {
    this.client = client;
    this.router = router;
  }

  @Override
  protected CloseableHttpResponse doExecute(HttpHost target, ClassicHttpRequest request,
      HttpContext given) throws IOException {
    HttpClientContext context = given == null ? HttpClientContext.create()
        : HttpClientContext.castOrCreate(given);
    Object outer = context.getAttribute(Contexts.MARK);
    if (AttemptMark.isOn(outer)) {
      return CloseableHttpResponse.adapt(client.executeOpen(target, request, context));
    }
    HttpHost host = target != null ? target : hostOf(request);
    String url = host == null ? request.getRequestUri() : host.toURI() + request.getPath();
    ClassicCall.Exchange exchange = new ClassicCall.Exchange() {
      @Override
      public ClassicHttpResponse send(ClassicHttpRequest attempt, ClassicHttpRequest original)
          throws IOException {
        context.setAttribute(Contexts.MARK, AttemptMark.OUTER);
        try {
          return client.executeOpen(target, attempt, context);
        } finally {
          context.setAttribute(Contexts.MARK, outer); // the caller may reuse its context
        }
      }

      @Override
      public void prepare(HttpUriRequestBase attempt) {
        // The caller's cancel() aborts the attempt in flight (the wrapped client watches the copy).
        if (request instanceof HttpUriRequestBase caller) caller.setDependency(attempt);
      }

      @Override
      public void abort(ClassicHttpResponse response) {
        // close() would read the rest of the body to keep the connection; IMMEDIATE drops it.
        if (response instanceof CloseableHttpResponse closeable) {
          closeable.close(CloseMode.IMMEDIATE);
          return;
        }
        try { // a client of another make: abort its stream if it can, never read the rest
          if (response.getEntity() != null
              && response.getEntity().getContent() instanceof EofSensorInputStream stream) {
            stream.abort();
          }
        } catch (IOException | RuntimeException e) {
          // already gone: nothing left to free
        }
      }
    };
    try {
      ClassicHttpResponse response = ClassicCall.run(router, url,
          host == null ? null : host.getHostName(), request, context, exchange, request,
          "StoicApache.wrap");
      return CloseableHttpResponse.adapt(response);
    } catch (HttpException e) {
      throw new ClientProtocolException(e.getMessage(), e);
    }
  }

  private static HttpHost hostOf(ClassicHttpRequest request) {
    try {
      return HttpHost.create(request.getUri());
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public void close(CloseMode closeMode) {
    client.close(closeMode);
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
