package dev.stoic.jdk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.RetryBudget;
import dev.stoic.RetryPolicy;
import dev.stoic.engine.RetryExecutor;
import dev.stoic.jdk.StoicHttpClient;
import dev.stoic.spi.Cancellation;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A retried response's body over a real socket: a small complete body is read and its connection
 * kept; a slow, endless or stalled body is let go within the discard's window, never past the
 * deadline, and at once when the call is cancelled. The server writes bytes at its own pace (a few
 * milliseconds between pieces); the test itself never sleeps.
 */
@Timeout(30)
class DiscardOverTheWireTest {
  /** How much later than its bound a call may end on a loaded machine. */
  static final long SLACK_MILLIS = 500;
  static final ExecutorService POOL = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "discard-test-client");
    thread.setDaemon(true);
    return thread;
  });
  static final HttpClient JDK = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .executor(POOL)
      .build();

  RawServer server;

  @AfterEach
  void stop() throws IOException {
    if (server != null) server.close();
  }

  /** The first calls of a JVM load much of the JDK client (100+ ms): not what is measured here. */
  @BeforeAll
  static void warmUp() throws Exception {
    try (RawServer warm = new RawServer((arrival, exchange) ->
        exchange.complete(arrival % 2 == 1 ? 503 : 200, "warm"))) {
      HttpClient client = StoicHttpClient.wrap(JDK, policy().build());
      HttpRequest request = HttpRequest.newBuilder(warm.uri("/warm")).build();
      for (int i = 0; i < 3; i++) {
        call(client, request, false);
        call(client, request, true);
      }
    }
  }

  @AfterAll
  static void shutDown() {
    POOL.shutdownNow();
  }

  static RetryPolicy.Builder policy() {
    return RetryPolicy.builder()
        .maxAttempts(3)
        .backoff(Backoff.none())
        .retryBudget(RetryBudget.unlimited());
  }

  /** Answers the first request with {@code hostile} and every later one with 200 "ok". */
  RawServer serve(RawServer.Script hostile) throws IOException {
    server = new RawServer((arrival, exchange) -> arrival == 1
        ? hostile.answer(arrival, exchange)
        : exchange.complete(200, "ok"));
    return server;
  }

  HttpRequest get() {
    return HttpRequest.newBuilder(server.uri("/items")).build();
  }

  static HttpResponse<String> call(HttpClient client, HttpRequest request, boolean async)
      throws Exception {
    if (!async) return client.send(request, BodyHandlers.ofString());
    try {
      return client.sendAsync(request, BodyHandlers.ofString()).get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  /** Runs a call through the adapter and returns how long it took, in milliseconds. */
  long timedOk(HttpClient client, boolean async) throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> response = call(client, get(), async);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(200, response.statusCode());
    assertEquals("ok", response.body());
    return millis;
  }

  @ParameterizedTest(name = "async={0}")
  @ValueSource(booleans = {false, true})
  void aSmallCompleteBodyIsReadAndItsConnectionKept(boolean async) throws Exception {
    serve((arrival, exchange) -> exchange.complete(503, "x".repeat(4_000)));
    ObservingHttpClient observed = new ObservingHttpClient(JDK, 503);

    timedOk(StoicHttpClient.wrap(observed, policy().build()), async);

    assertEquals(List.of(0, 0), server.connectionOfArrival, "the retry reused the connection");
    assertEquals(1, observed.cancelled.getCount(), "the body was read, not cancelled");
  }

  @ParameterizedTest(name = "async={0}")
  @ValueSource(booleans = {false, true})
  void aSlowBodyIsLetGoWhenTheWindowCloses(boolean async) throws Exception {
    // 10 KB, within the byte limit, at 1 KB per 30 ms: it would take 300 ms.
    serve((arrival, exchange) -> {
      exchange.head(503, "Content-Length: 10240");
      exchange.trickle(10_240, 1_024, 30);
      return true;
    });
    ObservingHttpClient observed = new ObservingHttpClient(JDK, 503);

    long millis = timedOk(StoicHttpClient.wrap(observed, policy().build()), async);

    assertTrue(observed.cancelled.await(1, TimeUnit.SECONDS), "the read was cut short");
    long window = (observed.cancelledNanos - observed.subscribedNanos) / 1_000_000;
    assertTrue(window >= 90 && window < 100 + SLACK_MILLIS, "read for " + window + " ms");
    assertTrue(millis < 100 + SLACK_MILLIS, "the call took " + millis + " ms");
    assertEquals(List.of(0, 1), server.connectionOfArrival, "the connection was not reused");
    assertTrue(server.firstClose.await(1, TimeUnit.SECONDS), "the connection was closed");
  }

  /** The case: 300 KB at 1 KB per 100 ms took ~29 s and ended in an IOException. */
  @ParameterizedTest(name = "async={0}")
  @ValueSource(booleans = {false, true})
  void aSlowBodyLongerThanTheLimitIsNotReadAtAll(boolean async) throws Exception {
    serve((arrival, exchange) -> {
      exchange.head(503, "Retry-After: 0", "Content-Length: 307200");
      exchange.trickle(307_200, 1_024, 100);
      return true;
    });
    ObservingHttpClient observed = new ObservingHttpClient(JDK, 503);
    RetryPolicy policy = policy().deadline(Duration.ofSeconds(3)).build();

    long millis = timedOk(StoicHttpClient.wrap(observed, policy), async);

    assertTrue(millis < SLACK_MILLIS, "the call took " + millis + " ms");
    assertEquals(0, observed.requested.get(), "not a byte was asked for");
    assertEquals(0, observed.cancelled.getCount());
  }

  @ParameterizedTest(name = "async={0}")
  @ValueSource(booleans = {false, true})
  void anEndlessChunkedBodyIsLetGo(boolean async) throws Exception {
    serve((arrival, exchange) -> {
      exchange.head(503, "Retry-After: 0", "Transfer-Encoding: chunked");
      exchange.endlessChunks(512, 5);
      return true;
    });
    ObservingHttpClient observed = new ObservingHttpClient(JDK, 503);
    RetryPolicy policy = policy().deadline(Duration.ofSeconds(5)).build();
    HttpClient client = StoicHttpClient.wrap(observed, policy);

    long start = System.nanoTime();
    HttpResponse<String> response = call(client,
        HttpRequest.newBuilder(server.uri("/items")).timeout(Duration.ofSeconds(3)).build(), async);
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertEquals(200, response.statusCode());
    assertTrue(millis < 100 + SLACK_MILLIS, "the call took " + millis + " ms");
    assertTrue(server.firstClose.await(1, TimeUnit.SECONDS), "the endless body's connection closed");
  }

  @ParameterizedTest(name = "async={0}")
  @ValueSource(booleans = {false, true})
  void aBodyStalledAfterTheHeadersIsLetGo(boolean async) throws Exception {
    serve((arrival, exchange) -> {
      exchange.head(503, "Content-Length: 1000");
      exchange.stall();
      return false;
    });
    ObservingHttpClient observed = new ObservingHttpClient(JDK, 503);

    long millis = timedOk(StoicHttpClient.wrap(observed, policy().build()), async);

    assertTrue(millis < 100 + SLACK_MILLIS, "the call took " + millis + " ms");
    assertTrue(server.firstClose.await(1, TimeUnit.SECONDS), "the stalled connection closed");
  }

  /** With a window far longer than the deadline, the deadline is what ends the read. */
  @ParameterizedTest(name = "async={0}")
  @ValueSource(booleans = {false, true})
  void theReadNeverOutlivesTheDeadline(boolean async) throws Exception {
    serve((arrival, exchange) -> {
      exchange.head(503, "Content-Length: 1000");
      exchange.stall();
      return false;
    });
    ObservingHttpClient observed = new ObservingHttpClient(JDK, 503);
    RetryPolicy policy = policy().deadline(Duration.ofMillis(400)).build();

    long start = System.nanoTime();
    Exception e = assertThrows(Exception.class, () -> run(observed, policy, async, null));
    long millis = (System.nanoTime() - start) / 1_000_000;

    // The retry was decided when time was left; the next attempt then had none (see the report).
    assertInstanceOf(IOException.class, e, "the deadline passed with no response to return");
    assertTrue(observed.cancelled.await(1, TimeUnit.SECONDS), "the read was cut short");
    long ended = (observed.cancelledNanos - start) / 1_000_000;
    assertTrue(ended < 400 + SLACK_MILLIS / 5, "the read ended " + ended + " ms into the call");
    assertTrue(millis < 400 + SLACK_MILLIS, "the call took " + millis + " ms");
  }

  /**
   * A status classifier that throws (it is called for codes outside 100 to 599 as they are seen)
   * throws inside the JDK's body handler. The connection is let go at once, and the call fails
   * with that exception both ways, not retried as the IOException {@code send} would wrap it in.
   */
  @ParameterizedTest(name = "async={0}")
  @ValueSource(booleans = {false, true})
  void aDecisionThatThrowsLetsTheConnectionGoAndEndsTheCall(boolean async) throws Exception {
    serve((arrival, exchange) -> {
      exchange.head(999, "Content-Length: 1000");
      exchange.stall();
      return false;
    });
    RetryPolicy policy = policy().statusClassifier(code -> {
      if (code > 599) throw new IllegalStateException("no rule for " + code);
      return null;
    }).build();

    Exception e = assertThrows(Exception.class,
        () -> call(StoicHttpClient.wrap(JDK, policy), get(), async));

    assertInstanceOf(IllegalStateException.class, e);
    assertEquals("no rule for 999", e.getMessage());
    assertTrue(server.firstClose.await(1, TimeUnit.SECONDS), "the connection was let go");
    assertEquals(1, server.connectionOfArrival.size(), "not retried");
  }

  @Test
  void cancellingTheFutureDuringADiscardEndsItAtOnce() throws Exception {
    serve((arrival, exchange) -> {
      exchange.head(503, "Content-Length: 1000");
      exchange.stall();
      return false;
    });
    ObservingHttpClient observed = new ObservingHttpClient(JDK, 503);
    RetryPolicy policy = policy().build();
    AtomicReference<CompletableFuture<HttpResponse<String>>> future = new AtomicReference<>();
    CompletableFuture.runAsync(() -> {
      try {
        run(observed, policy, true, future);
      } catch (Exception ignored) {
        // the cancel, checked below
      }
    });
    assertTrue(observed.subscribed.await(5, TimeUnit.SECONDS), "the discard is reading");
    while (future.get() == null) Thread.onSpinWait(); // set as soon as executeAsync returns

    long cancel = System.nanoTime();
    future.get().cancel(true);

    assertTrue(future.get().isCancelled());
    assertTrue(observed.ended.await(1, TimeUnit.SECONDS), "the read stopped");
    assertEquals("error", observed.endedBy, "the JDK cancelled the exchange and closed it");
    assertTrue(server.firstClose.await(1, TimeUnit.SECONDS), "the connection closed");
    long late = (observed.endedNanos - cancel) / 1_000_000;
    assertTrue(late < SLACK_MILLIS, "stopped " + late + " ms after the cancel");
    assertEquals(1, server.connectionOfArrival.size(), "no further attempt");
  }

  @Test
  void interruptingSendDuringADiscardEndsItAtOnce() throws Exception {
    serve((arrival, exchange) -> {
      exchange.head(503, "Content-Length: 1000");
      exchange.stall();
      return false;
    });
    ObservingHttpClient observed = new ObservingHttpClient(JDK, 503);
    RetryPolicy policy = policy().build();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    Thread sender = new Thread(() -> {
      try {
        run(observed, policy, false, null);
      } catch (Throwable t) {
        thrown.set(t);
      } finally {
        done.countDown();
      }
    }, "discard-test-sender");
    sender.start();
    assertTrue(observed.subscribed.await(5, TimeUnit.SECONDS), "the discard is reading");

    long interrupt = System.nanoTime();
    sender.interrupt();

    assertTrue(done.await(1, TimeUnit.SECONDS), "send returned");
    assertInstanceOf(InterruptedException.class, thrown.get());
    assertTrue(observed.ended.await(1, TimeUnit.SECONDS), "the read stopped");
    assertEquals("error", observed.endedBy, "the JDK cancelled the exchange and closed it");
    assertTrue(server.firstClose.await(1, TimeUnit.SECONDS), "the connection closed");
    long late = (observed.endedNanos - interrupt) / 1_000_000;
    assertTrue(late < SLACK_MILLIS, "stopped " + late + " ms after the interrupt");
  }

  /**
   * One call through {@link JdkCall} with a discard window of 10 s, far longer than any test
   * waits: whatever ends the read is not the window.
   */
  HttpResponse<String> run(HttpClient client, RetryPolicy policy, boolean async,
      AtomicReference<CompletableFuture<HttpResponse<String>>> futureOut) throws Exception {
    JdkCall<String> call = new JdkCall<>(client, get(), BodyHandlers.ofString(), null,
        BoundedDiscard.MAX_BYTES, Duration.ofSeconds(10));
    RetryExecutor executor = new RetryExecutor(policy);
    if (!async) {
      return executor.execute(call.describedFor(policy), call, HttpResponseAccess.instance(),
          Cancellation.NEVER);
    }
    CompletableFuture<HttpResponse<String>> future =
        executor.executeAsync(call.describedFor(policy), call, HttpResponseAccess.instance());
    if (futureOut != null) futureOut.set(future);
    try {
      return future.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }
}
