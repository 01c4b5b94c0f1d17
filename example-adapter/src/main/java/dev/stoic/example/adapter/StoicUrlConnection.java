package dev.stoic.example.adapter;

import dev.stoic.LivePolicy;
import dev.stoic.RetryPolicy;
import dev.stoic.RetryRoutes;
import dev.stoic.http.HeaderLookup;
import dev.stoic.spi.Adapters;
import dev.stoic.spi.AsyncAttempt;
import dev.stoic.spi.Attempt;
import dev.stoic.spi.CallInfo;
import dev.stoic.spi.CallRunner;
import dev.stoic.spi.Cancellation;
import dev.stoic.spi.HeaderEdits;
import dev.stoic.spi.ResponseAccess;
import dev.stoic.spi.Router;
import dev.stoic.spi.SyncAttempt;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@link HttpURLConnection} with retries, as a {@link RetryPolicy} says: the example adapter of
 * docs/ADAPTERS.md. It only translates; the engine behind {@link dev.stoic.spi} decides, waits,
 * spends the budget, tells observers and hedges.
 *
 * <pre>{@code
 * StoicUrlConnection client = StoicUrlConnection.create(policy, executor);
 * Exchange.Response response = client.send(new Exchange.Request("GET", uri, Map.of(), null));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class StoicUrlConnection {
  private final Router router;
  /** Runs async attempts: HttpURLConnection blocks, so each async attempt takes a thread. */
  private final Executor executor;

  private StoicUrlConnection(Router router, Executor executor) {
    this.router = router;
    this.executor = executor;
  }

  public static StoicUrlConnection create(RetryPolicy policy, Executor executor) {
    return new StoicUrlConnection(Adapters.router(policy), executor);
  }

  public static StoicUrlConnection create(RetryRoutes routes, Executor executor) {
    return new StoicUrlConnection(Adapters.router(routes), executor);
  }

  /** Follows {@code live}: each call takes the routes current when it starts. */
  public static StoicUrlConnection create(LivePolicy live, Executor executor) {
    return new StoicUrlConnection(Adapters.router(live), executor);
  }

  /** Sends {@code request}, retrying per its route's policy, and blocks for the final response. */
  public Exchange.Response send(Exchange.Request request)
      throws IOException, InterruptedException {
    CallRunner runner = runner(request);
    Call call = new Call(request);
    return runner.send(call.info(runner), call, call, Responses.INSTANCE, Cancellation.NEVER);
  }

  /** As {@link #send}, without holding a thread between attempts. */
  public CompletableFuture<Exchange.Response> sendAsync(Exchange.Request request) {
    CallRunner runner = runner(request);
    Call call = new Call(request);
    return runner.sendAsync(call.info(runner), call, Responses.INSTANCE);
  }

  private CallRunner runner(Exchange.Request request) {
    String path = router.routesByPath() ? request.uri().getRawPath() : null;
    return router.route(null, request.uri().getHost(), path);
  }

  /** One call: sends each attempt as a fresh connection with the attempt's edits. */
  private final class Call
      implements SyncAttempt<Exchange.Response>, AsyncAttempt<Exchange.Response>, HeaderLookup {
    private final Exchange.Request request;

    Call(Exchange.Request request) {
      this.request = request;
    }

    CallInfo info(CallRunner runner) {
      String keyHeader = runner.policy().idempotencyKey().headerName();
      List<String> keys = keyHeader == null ? List.of() : values(keyHeader);
      return CallInfo.of(request.method(), request.uri().toString(), request.uri().getHost(),
          keys.isEmpty() ? null : keys.get(0), true, 0);
    }

    @Override
    public List<String> values(String name) {
      for (Map.Entry<String, String> e : request.headers().entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) return List.of(e.getValue());
      }
      return List.of();
    }

    @Override
    public Exchange.Response run(Attempt attempt) throws IOException {
      HttpURLConnection connection = open(attempt);
      try {
        return exchange(connection, attempt);
      } finally {
        connection.disconnect();
      }
    }

    @Override
    public CompletableFuture<Exchange.Response> start(Attempt attempt) {
      HttpURLConnection connection;
      try {
        connection = open(attempt);
      } catch (IOException e) {
        return CompletableFuture.failedFuture(e);
      }
      CompletableFuture<Exchange.Response> future = new CompletableFuture<>() {
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
          connection.disconnect(); // aborts the exchange
          return super.cancel(mayInterruptIfRunning);
        }
      };
      executor.execute(() -> {
        try {
          future.complete(exchange(connection, attempt));
        } catch (IOException | RuntimeException e) {
          future.completeExceptionally(e);
        } finally {
          connection.disconnect();
        }
      });
      return future;
    }

    private HttpURLConnection open(Attempt attempt) throws IOException {
      HttpURLConnection connection = (HttpURLConnection) request.uri().toURL().openConnection();
      connection.setRequestMethod(request.method());
      connection.setInstanceFollowRedirects(false);
      request.headers().forEach(connection::setRequestProperty);
      HeaderEdits edits = attempt.headerEdits(this);
      for (int i = 0; i < edits.size(); i++) {
        connection.setRequestProperty(edits.name(i), edits.value(i));
      }
      Duration timeout = attempt.timeout();
      if (timeout != null) {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        connection.setConnectTimeout(millis);
        connection.setReadTimeout(millis);
      }
      return connection;
    }

    private Exchange.Response exchange(HttpURLConnection connection, Attempt attempt)
        throws IOException {
      if (request.body() != null) {
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(request.body().length);
        attempt.markBodyWritten(); // before the first byte: some of it may be on the wire
        try (OutputStream out = connection.getOutputStream()) {
          out.write(request.body());
        }
      }
      int status = connection.getResponseCode();
      InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
      byte[] body;
      try {
        body = in == null ? new byte[0] : in.readAllBytes();
      } finally {
        if (in != null) in.close();
      }
      return new Exchange.Response(status, connection.getHeaderFields(), body);
    }
  }

  /** How the engine reads this client's responses; the body is read already, so nothing to free. */
  private enum Responses implements ResponseAccess<Exchange.Response> {
    INSTANCE;

    @Override
    public int status(Exchange.Response response) {
      return response.status();
    }

    @Override
    public List<String> headers(Exchange.Response response, String name) {
      return response.headers(name);
    }

    @Override
    public void discard(Exchange.Response response) {}
  }
}
