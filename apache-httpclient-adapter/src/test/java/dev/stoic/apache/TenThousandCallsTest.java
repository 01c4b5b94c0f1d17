package dev.stoic.apache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stoic.Backoff;
import dev.stoic.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.io.CloseMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * 10,000 calls, half classic and half async, each pool ending with nothing leased: one in four
 * is answered 503 then 200 (one retry, the 503's body read and the connection reused), one in
 * twenty keeps answering 503 with a one-second Retry-After and is cancelled, in its wait or in
 * flight; the rest are answered 200. Figures go to standard output for the note.
 */
class TenThousandCallsTest {
  static final int CALLS_PER_CLIENT = 5_000;
  static final int CANCEL_EVERY = 20;
  static final int RETRY_EVERY = 4;

  final MockWebServer server = new MockWebServer();
  final ScheduledExecutorService canceller = Executors.newSingleThreadScheduledExecutor();

  @BeforeEach
  void start() throws IOException {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        if (request.getUrl().encodedPath().startsWith("/later")) {
          return new MockResponse.Builder().code(503).addHeader("Retry-After", "1").body("later").build();
        }
        boolean first = request.getUrl().encodedPath().startsWith("/retry")
            && "0".equals(request.getHeaders().get("X-Attempt"));
        return new MockResponse.Builder().code(first ? 503 : 200).body(first ? "busy" : "ok").build();
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    canceller.shutdownNow();
    server.close();
  }

  static RetryPolicy policy() {
    return RetryPolicy.builder().maxAttempts(3).backoff(Backoff.fixed(Duration.ofMillis(1)))
        .attemptCountHeader("X-Attempt", 0).build();
  }

  @Test
  void tenThousandCallsWithRetriesAndCancelsLeaveBothPoolsEmpty() throws Exception {
    PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
        .setMaxConnTotal(16).setMaxConnPerRoute(16).build();
    PoolingAsyncClientConnectionManager asyncPool = PoolingAsyncClientConnectionManagerBuilder
        .create().setMaxConnTotal(32).setMaxConnPerRoute(32).build();
    long start = System.nanoTime();
    int[] classic = runClassic(pool);
    int[] async = runAsync(asyncPool);
    for (int i = 0; i < 500 && asyncPool.getTotalStats().getLeased() > 0; i++) Thread.sleep(10);

    System.out.printf("stoic-apache 10,000 calls in %d ms: classic ok=%d cancelled=%d leased=%d"
            + " available=%d; async ok=%d cancelled=%d leased=%d available=%d; server requests=%d%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), classic[0], classic[1],
        pool.getTotalStats().getLeased(), pool.getTotalStats().getAvailable(), async[0], async[1],
        asyncPool.getTotalStats().getLeased(), asyncPool.getTotalStats().getAvailable(),
        server.getRequestCount());
    int cancels = CALLS_PER_CLIENT / CANCEL_EVERY;
    assertEquals(CALLS_PER_CLIENT - cancels, classic[0], "classic calls answered 200");
    assertEquals(cancels, classic[1], "classic calls cancelled");
    assertEquals(CALLS_PER_CLIENT - cancels, async[0], "async calls answered 200");
    assertEquals(cancels, async[1], "async calls cancelled");
    assertEquals(0, pool.getTotalStats().getLeased(), "classic connections leased");
    assertEquals(0, asyncPool.getTotalStats().getLeased(), "async connections leased");
    pool.close();
    asyncPool.close();
  }

  /** One call in {@link #CANCEL_EVERY} waits to be cancelled, one in {@link #RETRY_EVERY} retries once. */
  static String path(int i) {
    return (i % CANCEL_EVERY == 0 ? "/later/" : i % RETRY_EVERY == 1 ? "/retry/" : "/ok/") + i;
  }

  /** Returns {answered 200, cancelled}. */
  private int[] runClassic(PoolingHttpClientConnectionManager pool) throws Exception {
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger cancelled = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try (CloseableHttpClient client = StoicApache.install(
        HttpClients.custom().setConnectionManager(pool), policy()).build()) {
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < CALLS_PER_CLIENT; i++) {
        boolean cancel = i % CANCEL_EVERY == 0;
        HttpGet get = new HttpGet(server.url(path(i)).uri());
        calls.add(threads.submit(() -> {
          if (cancel) canceller.schedule(get::cancel, 20, TimeUnit.MILLISECONDS);
          try {
            int code = client.execute(get, response -> {
              EntityUtils.consume(response.getEntity());
              return response.getCode();
            });
            if (code == 200) ok.incrementAndGet();
          } catch (IOException e) {
            if (get.isCancelled()) cancelled.incrementAndGet();
          }
          return null;
        }));
      }
      for (Future<?> call : calls) call.get(60, TimeUnit.SECONDS);
    } finally {
      threads.shutdownNow();
    }
    return new int[] {ok.get(), cancelled.get()};
  }

  private int[] runAsync(PoolingAsyncClientConnectionManager pool) throws Exception {
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger cancelled = new AtomicInteger();
    Semaphore inFlight = new Semaphore(64);
    try (CloseableHttpAsyncClient client = StoicApache.install(
        HttpAsyncClients.custom().setConnectionManager(pool), policy()).build()) {
      client.start();
      List<Future<SimpleHttpResponse>> calls = new ArrayList<>();
      for (int i = 0; i < CALLS_PER_CLIENT; i++) {
        boolean cancel = i % CANCEL_EVERY == 0;
        inFlight.acquire();
        Future<SimpleHttpResponse> call = client.execute(
            SimpleRequestProducer.create(SimpleRequestBuilder.get(
                server.url(path(i)).uri()).build()),
            SimpleResponseConsumer.create(), new FutureCallback<>() {
              @Override
              public void completed(SimpleHttpResponse response) {
                inFlight.release();
              }

              @Override
              public void failed(Exception e) {
                inFlight.release();
              }

              @Override
              public void cancelled() {
                inFlight.release();
              }
            });
        calls.add(call);
        if (cancel) {
          // Half are cancelled at once (in flight or leasing), half in their wait.
          if (i % (2 * CANCEL_EVERY) == 0) call.cancel(true);
          else canceller.schedule(() -> { call.cancel(true); }, 20, TimeUnit.MILLISECONDS);
        }
      }
      for (Future<SimpleHttpResponse> call : calls) {
        try {
          if (call.get(60, TimeUnit.SECONDS).getCode() == 200) ok.incrementAndGet();
        } catch (CancellationException e) {
          cancelled.incrementAndGet();
        } catch (ExecutionException e) {
          throw new AssertionError("a call failed", e);
        }
      }
      client.close(CloseMode.GRACEFUL);
    }
    return new int[] {ok.get(), cancelled.get()};
  }
}
