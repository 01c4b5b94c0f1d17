package dev.stoic.apache;

import dev.stoic.LivePolicy;
import dev.stoic.RetryRoutes;
import dev.stoic.testing.AdapterScenarios.Answer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducerWrapper;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.io.CloseMode;

/**
 * An HC5 client with Stoic, built the way a mode says, on a pool the tests can read: the
 * classic builder with Stoic installed, a built classic client wrapped, or the async builder.
 */
final class Hc5 implements AutoCloseable {
  enum Mode { CLASSIC, WRAPPED, ASYNC }

  /** A request: method, URI, headers, and a body (null for none) that may be one-shot. */
  record Call(String method, URI uri, Map<String, String> headers, String body, boolean oneShot) {
    static Call get(URI uri) {
      return new Call("GET", uri, Map.of(), null, false);
    }

    static Call post(URI uri, String body) {
      return new Call("POST", uri, Map.of(), body, false);
    }

    Call header(String name, String value) {
      Map<String, String> more = new java.util.HashMap<>(headers);
      more.put(name, value);
      return new Call(method, uri, more, body, oneShot);
    }

    Call oneShotBody() {
      return new Call(method, uri, headers, body, true);
    }
  }

  final Mode mode;
  private final PoolingHttpClientConnectionManager pool;
  private final PoolingAsyncClientConnectionManager asyncPool;
  private final CloseableHttpClient classic;
  private final CloseableHttpAsyncClient async;

  /** {@code policy}: the {@link RetryRoutes} or the {@link LivePolicy} the client follows. */
  private Hc5(Mode mode, Object policy) {
    this.mode = mode;
    RetryRoutes routes = policy instanceof RetryRoutes r ? r : null;
    LivePolicy live = policy instanceof LivePolicy l ? l : null;
    if (mode == Mode.ASYNC) {
      pool = null;
      classic = null;
      asyncPool = PoolingAsyncClientConnectionManagerBuilder.create().build();
      HttpAsyncClientBuilder builder = HttpAsyncClients.custom().setConnectionManager(asyncPool);
      async = (live != null ? StoicApache.install(builder, live)
          : StoicApache.install(builder, routes)).build();
      async.start();
    } else {
      asyncPool = null;
      async = null;
      pool = PoolingHttpClientConnectionManagerBuilder.create().build();
      HttpClientBuilder builder = HttpClients.custom().setConnectionManager(pool);
      if (mode == Mode.CLASSIC) {
        classic = (live != null ? StoicApache.install(builder, live)
            : StoicApache.install(builder, routes)).build();
      } else {
        CloseableHttpClient plain = builder.disableAutomaticRetries().build();
        classic = live != null ? StoicApache.wrap(plain, live) : StoicApache.wrap(plain, routes);
      }
    }
  }

  static Hc5 create(Mode mode, dev.stoic.RetryPolicy policy) {
    return new Hc5(mode, RetryRoutes.builder().otherwise(policy).build());
  }

  static Hc5 create(Mode mode, RetryRoutes routes) {
    return new Hc5(mode, routes);
  }

  static Hc5 create(Mode mode, LivePolicy live) {
    return new Hc5(mode, live);
  }

  Answer send(Call call) throws Exception {
    return send(call, HttpClientContext.create());
  }

  /** Sends {@code call} and reads the answer whole; the response is closed when this returns. */
  Answer send(Call call, HttpClientContext context) throws Exception {
    if (mode == Mode.ASYNC) {
      SimpleHttpResponse response = sendAsync(call, context).get();
      return new Answer(response.getCode(), response.getBodyText() == null ? "" : response.getBodyText());
    }
    return classic.execute(classic(call), context, response -> new Answer(response.getCode(),
        response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity())));
  }

  Future<SimpleHttpResponse> sendAsync(Call call, HttpClientContext context) {
    BasicHttpRequest request = new BasicHttpRequest(call.method(), call.uri());
    call.headers().forEach(request::addHeader);
    AsyncEntityProducer body = null;
    if (call.body() != null) {
      body = AsyncEntityProducers.create(call.body(), ContentType.APPLICATION_JSON);
      if (call.oneShot()) {
        body = new AsyncEntityProducerWrapper(body) {
          @Override
          public boolean isRepeatable() {
            return false;
          }
        };
      }
    }
    return async.execute(new BasicRequestProducer(request, body), SimpleResponseConsumer.create(),
        context, null);
  }

  static ClassicHttpRequest classic(Call call) {
    ClassicRequestBuilder builder = ClassicRequestBuilder.create(call.method()).setUri(call.uri());
    call.headers().forEach(builder::addHeader);
    if (call.body() != null) {
      byte[] bytes = call.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      builder.setEntity(call.oneShot()
          ? new InputStreamEntity(new ByteArrayInputStream(bytes), bytes.length, ContentType.APPLICATION_JSON)
          : new ByteArrayEntity(bytes, ContentType.APPLICATION_JSON));
    }
    return builder.build();
  }

  CloseableHttpClient classicClient() {
    return classic;
  }

  /** Connections leased from the pool now. */
  int leased() {
    return mode == Mode.ASYNC ? asyncPool.getTotalStats().getLeased()
        : pool.getTotalStats().getLeased();
  }

  /**
   * Connections still leased once the pool is quiet: an async client hands a connection back on
   * its I/O thread just after the caller's future completes, so this waits up to 5 s for 0.
   */
  int leasedWhenQuiet() throws InterruptedException {
    for (int i = 0; i < 500 && leased() > 0; i++) Thread.sleep(10);
    return leased();
  }

  @Override
  public void close() throws IOException {
    if (async != null) async.close(CloseMode.GRACEFUL);
    if (classic != null) classic.close();
  }
}
