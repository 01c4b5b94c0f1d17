package dev.stoic.apache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Hedging;
import dev.stoic.RetryPolicy;
import dev.stoic.apache.Hc5.Call;
import dev.stoic.apache.Hc5.Mode;
import dev.stoic.testing.RecordingListener;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Nesting, HC5's own retries under a wrapper, hedging refused, and cancelling a call. */
class LayersAndCancelTest {
  final MockWebServer server = new MockWebServer();
  final RecordingListener events = new RecordingListener();
  final PoolingHttpClientConnectionManager pool =
      PoolingHttpClientConnectionManagerBuilder.create().build();

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() {
    assertEquals(0, pool.getTotalStats().getLeased(), "connections leased");
    pool.close();
    server.close();
  }

  RetryPolicy.Builder policy(RecordingClock clock) {
    return RetryPolicy.builder().maxAttempts(3).random(() -> 0).clock(clock).listener(events);
  }

  static MockResponse busy(String retryAfter) {
    return new MockResponse.Builder().code(503).addHeader("Retry-After", retryAfter).body("busy").build();
  }

  int status(CloseableHttpClient client) throws IOException {
    return client.execute(new HttpGet(server.url("/items").uri()), response -> {
      EntityUtils.consume(response.getEntity());
      return response.getCode();
    });
  }

  @Test
  void twoStoicLayersOnOneCallMakeThreeAttemptsThreeNotNine() throws Exception {
    for (int i = 0; i < 9; i++) server.enqueue(busy("0"));
    RecordingClock clock = RecordingClock.skippingWaits();
    CloseableHttpClient inner = StoicApache.install(
        HttpClients.custom().setConnectionManager(pool), policy(clock).build()).build();

    try (CloseableHttpClient outer = StoicApache.wrap(inner, policy(clock).build())) {
      assertEquals(503, status(outer));
    }

    assertEquals(3, server.getRequestCount());
  }

  @Test
  void aWrappedClientBuiltWithHc5sRetriesResendsWithinEachAttempt() throws Exception {
    // What wrap() gives on a client built with HC5's defaults: its strategy re-sends a 503 to a
    // GET once inside each Stoic attempt, so two attempts make four requests.
    for (int i = 0; i < 4; i++) server.enqueue(busy("0"));
    RecordingClock clock = RecordingClock.skippingWaits();
    CloseableHttpClient defaults = HttpClients.custom().setConnectionManager(pool).build();

    try (CloseableHttpClient client = StoicApache.wrap(defaults, policy(clock).maxAttempts(2).build())) {
      assertEquals(503, status(client));
    }

    assertEquals(4, server.getRequestCount());
  }

  @Test
  void aHedgingPolicyIsRefusedWithAClearMessage() {
    RetryPolicy hedged = RetryPolicy.builder().hedging(Hedging.after(Duration.ofMillis(50))).build();

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StoicApache.install(HttpClients.custom(), hedged));

    assertTrue(e.getMessage().startsWith("StoicApache.install cannot hedge (the otherwise policy"
        + " has hedging"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> StoicApache.wrap(HttpClients.createDefault(), hedged));
  }

  @Test
  void aHedgingPolicyChosenForOneRequestFailsThatCallBeforeSending() throws Exception {
    RecordingClock clock = RecordingClock.skippingWaits();
    RetryPolicy hedged = RetryPolicy.builder().hedging(Hedging.after(Duration.ofMillis(50))).build();
    HttpClientContext context = StoicApache.usePolicy(HttpClientContext.create(), hedged);
    try (Hc5 async = Hc5.create(Mode.ASYNC, policy(clock).build());
        CloseableHttpClient classic = StoicApache.install(
            HttpClients.custom().setConnectionManager(pool), policy(clock).build()).build()) {
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> async.sendAsync(Call.get(server.url("/").uri()), context).get());
      assertTrue(e.getCause() instanceof IllegalArgumentException, e.getCause().toString());
      assertThrows(IllegalArgumentException.class,
          () -> classic.execute(new HttpGet(server.url("/").uri()), context, r -> r.getCode()));
    }
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void cancellingAnAsyncCallDuringItsWaitCallsTheWaitOff() throws Exception {
    server.enqueue(busy("30"));
    server.enqueue(busy("0"));
    RecordingClock clock = RecordingClock.keepingWaits();
    try (Hc5 client = Hc5.create(Mode.ASYNC, policy(clock).build())) {
      Future<SimpleHttpResponse> call = client.sendAsync(Call.get(server.url("/").uri()),
          HttpClientContext.create());
      assertTrue(clock.waiting.await(10, TimeUnit.SECONDS), "the retry waits");

      call.cancel(true);

      assertTrue(clock.calledOff.await(10, TimeUnit.SECONDS), "the wait is called off");
      assertThrows(CancellationException.class, call::get);
      assertEquals(0, client.leasedWhenQuiet());
    }
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void cancellingAnAsyncCallInFlightAbortsTheExchange() throws Exception {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
    RecordingClock clock = RecordingClock.keepingWaits();
    try (Hc5 client = Hc5.create(Mode.ASYNC, policy(clock).build())) {
      Future<SimpleHttpResponse> call = client.sendAsync(Call.get(server.url("/").uri()),
          HttpClientContext.create());
      server.takeRequest(10, TimeUnit.SECONDS);

      call.cancel(true);

      assertThrows(CancellationException.class, call::get);
      assertEquals(0, client.leasedWhenQuiet());
    }
    assertEquals(1, server.getRequestCount());
    assertEquals(0, clock.waits.size(), "no retry after a cancel");
  }

  @Test
  void cancellingAClassicRequestDuringItsWaitEndsTheCall() throws Exception {
    server.enqueue(busy("30"));
    server.enqueue(busy("0"));
    RecordingClock clock = RecordingClock.keepingWaits();
    HttpGet request = new HttpGet(server.url("/items").uri());
    try (CloseableHttpClient client = StoicApache.install(
        HttpClients.custom().setConnectionManager(pool), policy(clock).build()).build()) {
      CompletableFuture<Integer> call = CompletableFuture.supplyAsync(() -> {
        try {
          return client.execute(request, response -> response.getCode());
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      assertTrue(clock.waiting.await(10, TimeUnit.SECONDS), "the retry waits");

      request.cancel();

      ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
      assertEquals("Canceled", e.getCause().getCause().getMessage(), "the engine's cancel");
      assertEquals(java.util.List.of(dev.stoic.Decision.Action.RETRY), events.actions()
          .subList(0, 1));
    }
    assertEquals(1, server.getRequestCount());
  }
}
