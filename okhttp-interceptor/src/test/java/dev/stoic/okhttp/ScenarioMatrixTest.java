package dev.stoic.okhttp;

import static dev.stoic.Decision.Action.GIVE_UP;
import static dev.stoic.Decision.Action.RETRY;
import static dev.stoic.Decision.Action.RETURN;
import static dev.stoic.okhttp.testing.Reply.Fault.DISCONNECT_AFTER_REQUEST;
import static dev.stoic.okhttp.testing.Reply.Fault.DISCONNECT_DURING_BODY;
import static dev.stoic.okhttp.testing.Reply.Fault.NO_RESPONSE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.http.FailureKind;
import dev.stoic.IdempotencyKey;
import dev.stoic.RetriesExhaustedException;
import dev.stoic.RetryEvent;
import dev.stoic.RetryPolicy;
import dev.stoic.okhttp.testing.Harness;
import dev.stoic.okhttp.testing.Mode;
import dev.stoic.okhttp.testing.Received;
import dev.stoic.okhttp.testing.Reply;
import dev.stoic.okhttp.testing.Running;
import dev.stoic.okhttp.testing.TestServer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The scenario matrix on real sockets, each scenario through all four {@link Mode}s:
 * interceptor and call factory, execute and enqueue.
 */
class ScenarioMatrixTest extends Harness {
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  @ParameterizedTest
  @EnumSource(Mode.class)
  void unavailableThenOkIsRetried(Mode mode) throws IOException {
    server.enqueue(Reply.status(503), Reply.status(200).body("ok"));

    try (Response response = run(mode, policy().build(), get("/items"))) {
      assertEquals(200, response.code());
      assertEquals("ok", response.body().string());
    }
    assertEquals(2, server.requestCount());
    assertEquals(List.of(RETRY, RETURN), events.actions());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void tooManyRequestsWithRetryAfterOneSecondWaitsAtLeastASecond(Mode mode) throws IOException {
    server.enqueue(Reply.status(429).header("Retry-After", "1"), Reply.status(201));

    try (Response response = run(mode, policy().build(), post("/orders", "{}"))) {
      assertEquals(201, response.code());
    }
    List<Received> received = server.received();
    assertEquals(2, received.size(), "429 is retried even for a POST without a key");
    long gapMillis = TimeUnit.NANOSECONDS.toMillis(received.get(1).nanos - received.get(0).nanos);
    assertTrue(gapMillis >= 1000, "gap " + gapMillis + " ms");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aWaitInMillisecondsWinsOverRetryAfterAndEveryAttemptSaysItsNumber(Mode mode)
      throws IOException {
    server.enqueue(Reply.status(429).header("retry-after-ms", "150").header("Retry-After", "30"),
        Reply.status(503).header("x-should-retry", "true"), Reply.status(200));
    RetryPolicy policy = policy().attemptCountHeader("X-Stainless-Retry-Count", 0).build();

    try (Response response = run(mode, policy, get("/items"))) {
      assertEquals(200, response.code());
    }
    List<Received> received = server.received();
    assertEquals(3, received.size());
    long gapMillis = TimeUnit.NANOSECONDS.toMillis(received.get(1).nanos - received.get(0).nanos);
    assertTrue(gapMillis >= 150 && gapMillis < 5000, "gap " + gapMillis + " ms");
    assertEquals(List.of("0", "1", "2"), received.stream()
        .map(r -> r.header("X-Stainless-Retry-Count")).collect(Collectors.toList()));
    assertEquals("429 Too Many Requests: waiting for retry-after-ms", events.events.get(0).reason());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theCallersOwnAttemptCountIsNeverOverwrittenAndShouldRetryFalseEndsRetrying(Mode mode)
      throws IOException {
    server.enqueue(Reply.status(503), Reply.status(503).header("Stripe-Should-Retry", "false"));
    RetryPolicy policy = policy().attemptCountHeader("x-envoy-attempt-count", 1).build();
    Request request = get("/items").newBuilder().header("x-envoy-attempt-count", "7").build();

    try (Response response = run(mode, policy, request)) {
      assertEquals(503, response.code());
    }
    assertEquals(List.of("7", "7"), server.received().stream()
        .map(r -> r.header("x-envoy-attempt-count")).collect(Collectors.toList()));
    assertEquals("503 Service Unavailable: the server's Stripe-Should-Retry says not to retry",
        events.last().reason());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void tooManyRequestsWithAnHttpDateWaitsUntilThatDate(Mode mode) throws IOException {
    AtomicReference<Instant> until = new AtomicReference<>();
    server.respondWith(request -> {
      if (until.get() != null) return Reply.status(200);
      // Whole seconds only: 1 to 2 s from now.
      until.set(request.at.truncatedTo(ChronoUnit.SECONDS).plusSeconds(2));
      return Reply.status(429).header("Retry-After", HTTP_DATE.format(until.get()));
    });

    try (Response response = run(mode, policy().build(), get("/quota"))) {
      assertEquals(200, response.code());
    }
    Instant retried = server.received().get(1).at;
    assertFalse(retried.isBefore(until.get()), retried + " is before " + until.get());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void retryAfterBeyondTheCapReturnsTheResponseAtOnce(Mode mode) throws IOException {
    server.enqueue(Reply.status(429).header("Retry-After", "3600").body("slow down"));
    long start = System.nanoTime();

    try (Response response = run(mode, policy().build(), get("/quota"))) {
      assertEquals(429, response.code());
      assertEquals("3600", response.header("Retry-After"));
      assertEquals("slow down", response.body().string());
    }
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "returned at once");
    assertEquals(1, server.requestCount());
    assertEquals(List.of(GIVE_UP), events.actions());
    assertEquals("429 Too Many Requests: Retry-After of 3600 s exceeds maxRetryAfter of 60 s",
        events.last().reason());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void serverErrorOnPostWithoutKeyIsSentOnce(Mode mode) throws IOException {
    server.enqueue(Reply.status(500).body("boom"), Reply.status(200));

    try (Response response = run(mode, policy().build(), post("/payments", "{}"))) {
      assertEquals(500, response.code());
      assertEquals("boom", response.body().string());
    }
    assertEquals(1, server.requestCount());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void postWithAutoKeySendsOneKeyOnEveryAttempt(Mode mode) throws IOException {
    server.enqueue(Reply.status(503), Reply.status(502), Reply.status(201));
    RetryPolicy policy = policy()
        .idempotencyKey(IdempotencyKey.header("Idempotency-Key").autoGenerate())
        .build();

    try (Response response = run(mode, policy, post("/payments", "{}"))) {
      assertEquals(201, response.code());
    }
    List<String> keys = server.received().stream()
        .map(request -> request.header("Idempotency-Key"))
        .collect(Collectors.toList());
    assertEquals(3, keys.size());
    assertNotNull(keys.get(0));
    assertTrue(keys.get(0).matches("[0-9a-f-]{36}"), keys.get(0)); // a bare UUID, the default
    assertEquals(Set.of(keys.get(0)), Set.copyOf(keys), "one key for all attempts");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void callersOwnKeyIsKeptAndMakesPostRetryable(Mode mode) throws IOException {
    server.enqueue(Reply.status(500), Reply.status(201));
    RetryPolicy policy = policy()
        .idempotencyKey(IdempotencyKey.header("Idempotency-Key").autoGenerate())
        .build();
    Request request = post("/payments", "{}").newBuilder().header("Idempotency-Key", "mine").build();

    try (Response response = run(mode, policy, request)) {
      assertEquals(201, response.code());
    }
    List<String> keys = server.received().stream()
        .map(received -> received.header("Idempotency-Key"))
        .collect(Collectors.toList());
    assertEquals(List.of("mine", "mine"), keys);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void unauthorizedIsRetriedOnceWithRefreshedCredentials(Mode mode) throws IOException {
    server.enqueue(Reply.status(401), Reply.status(200));
    RetryPolicy policy = policy().credentialRefresher(() -> "Bearer fresh").build();
    Request request = get("/me").newBuilder().header("Authorization", "Bearer stale").build();

    try (Response response = run(mode, policy, request)) {
      assertEquals(200, response.code());
    }
    List<String> sent = server.received().stream()
        .map(received -> received.header("Authorization"))
        .collect(Collectors.toList());
    assertEquals(List.of("Bearer stale", "Bearer fresh"), sent);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void gatewayTimeoutIsRetriedForGetButNotForPost(Mode mode) throws IOException {
    server.enqueue(Reply.status(504), Reply.status(200), Reply.status(504), Reply.status(200));

    try (Response response = run(mode, policy().build(), get("/report"))) {
      assertEquals(200, response.code());
    }
    assertEquals(2, server.requestCount());
    try (Response response = run(mode, policy().build(), post("/report", "{}"))) {
      assertEquals(504, response.code());
    }
    assertEquals(3, server.requestCount());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void disconnectBeforeAnyResponseByteIsRetriedForGet(Mode mode) throws IOException {
    server.enqueue(Reply.status(200).fault(DISCONNECT_AFTER_REQUEST), Reply.status(200).body("ok"));

    try (Response response = run(mode, policy().build(), get("/items"))) {
      assertEquals("ok", response.body().string());
    }
    assertEquals(2, server.requestCount());
    assertEquals(FailureKind.AFTER_SEND, events.events.get(0).failureKind());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void disconnectBeforeAnyResponseByteFailsPostWithoutKey(Mode mode) {
    server.enqueue(Reply.status(200).fault(DISCONNECT_AFTER_REQUEST), Reply.status(200));

    IOException e = start(mode, newCall(mode, policy().build(), post("/payments", "{}")))
        .awaitFailure();

    assertFalse(e instanceof RetriesExhaustedException, "the original failure");
    assertEquals(1, RetriesExhaustedException.historyOf(e).size());
    assertEquals(1, server.requestCount());
    assertEquals(List.of(GIVE_UP), events.actions());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void disconnectDuringTheBodyOfADiscardedResponseDoesNotStopTheRetry(Mode mode)
      throws IOException {
    server.enqueue(Reply.status(503).fault(DISCONNECT_DURING_BODY), Reply.status(200).body("ok"));

    try (Response response = run(mode, policy().build(), get("/items"))) {
      assertEquals("ok", response.body().string());
    }
    assertEquals(2, server.requestCount());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void disconnectDuringTheBodyOfTheReturnedResponseReachesTheCallerAsItReads(Mode mode)
      throws IOException {
    server.enqueue(Reply.status(200).fault(DISCONNECT_DURING_BODY), Reply.status(200));

    try (Response response = run(mode, policy().build(), get("/items"))) {
      assertEquals(200, response.code());
      // Stoic has returned by then: a response handed over is never retried.
      assertThrows(IOException.class, () -> response.body().string());
    }
    assertEquals(1, server.requestCount());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void connectionRefusedIsRetriedEvenForPostWithoutKey(Mode mode) throws IOException {
    int port = freePort();
    AtomicReference<TestServer> revived = new AtomicReference<>();
    RetryPolicy policy = policy().listener(reviveOnFirstRetry(port, revived, Reply.status(201)))
        .build();
    Request request = post("/payments", "{}").newBuilder()
        .url(server.url("/payments").newBuilder().port(port).build()).build();

    try (Response response = run(mode, policy, request)) {
      assertEquals(201, response.code());
    } finally {
      if (revived.get() != null) revived.get().close();
    }
    assertEquals(1, revived.get().requestCount());
    RetryEvent refused = events.events.get(0);
    assertEquals(FailureKind.CONNECT, refused.failureKind());
    assertEquals(ConnectException.class.getName(), refused.exceptionType());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void connectionRefusedEveryTimeEndsWithTheAttemptHistory(Mode mode) {
    Request request = new Request.Builder()
        .url(server.url("/").newBuilder().port(freePort()).build()).build();

    IOException e = start(mode, newCall(mode, policy().build(), request)).awaitFailure();

    assertInstanceOf(ConnectException.class, e, "the last attempt's own failure");
    assertEquals(3, RetriesExhaustedException.historyOf(e).size());
    assertEquals(3, e.getSuppressed().length, "the two earlier failures, then the history");
    RetriesExhaustedException report = (RetriesExhaustedException) e.getSuppressed()[2];
    assertEquals(-1, report.lastStatus());
    assertEquals(List.of(RETRY, RETRY, GIVE_UP), events.actions());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void oneShotBodyIsNeverSentTwice(Mode mode) throws IOException {
    server.enqueue(Reply.status(503), Reply.status(200));
    Request request = new Request.Builder().url(server.url("/upload"))
        .header("Idempotency-Key", "upload-1") // a key would make the retry safe, but for the body
        .put(oneShot("payload"))
        .build();

    try (Response response = run(mode, policy().build(), request)) {
      assertEquals(503, response.code());
    }
    assertEquals(1, server.requestCount());
    assertEquals("payload", server.received().get(0).body);
    assertEquals("503 Service Unavailable: the one-shot request body was already sent",
        events.last().reason());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void oneShotBodyIsSentAfterAConnectFailure(Mode mode) throws IOException {
    int port = freePort();
    AtomicReference<TestServer> revived = new AtomicReference<>();
    RetryPolicy policy = policy().listener(reviveOnFirstRetry(port, revived, Reply.status(201)))
        .build();
    Request request = new Request.Builder()
        .url(server.url("/upload").newBuilder().port(port).build())
        .post(oneShot("payload"))
        .build();

    try (Response response = run(mode, policy, request)) {
      assertEquals(201, response.code());
    } finally {
      if (revived.get() != null) revived.get().close();
    }
    assertEquals("payload", revived.get().received().get(0).body);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void cancelDuringAWaitEndsTheCallWithinMillisecondsAndNoAttemptFollows(Mode mode)
      throws InterruptedException {
    CountDownLatch secondAttempt = new CountDownLatch(1);
    server.respondWith(request -> {
      if (server.requestCount() > 1) secondAttempt.countDown();
      return Reply.status(503);
    });
    CountDownLatch waiting = new CountDownLatch(1);
    RetryPolicy policy = policy().backoff(Backoff.fixed(Duration.ofMillis(300)))
        .listener(event -> {
          if (event.action() == RETRY) waiting.countDown();
        })
        .build();
    Running running = start(mode, newCall(mode, policy, get("/items")));
    assertTrue(waiting.await(5, TimeUnit.SECONDS));

    long cancelledAt = System.nanoTime();
    running.call.cancel();
    IOException e = running.awaitFailure();
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelledAt);

    assertEquals("Canceled", e.getMessage());
    assertTrue(tookMillis < 150, "the 300 ms wait ended after " + tookMillis + " ms");
    assertTrue(running.call.isCanceled());
    assertFalse(secondAttempt.await(450, TimeUnit.MILLISECONDS), "no attempt follows");
    assertEquals(1, server.requestCount());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void cancelDuringAnAttemptEndsTheCall(Mode mode) {
    server.enqueue(Reply.status(200).fault(NO_RESPONSE), Reply.status(200));
    Running running = start(mode, newCall(mode, policy().build(), get("/items")));
    assertTrue(await(() -> server.requestCount() == 1, Duration.ofSeconds(5)));

    running.call.cancel();
    running.awaitFailure();

    assertEquals(1, server.requestCount());
    assertFalse(events.actions().contains(RETRY), events.events.toString());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void noWaitCrossesThePolicyDeadline(Mode mode) throws IOException {
    server.respondWith(request -> Reply.status(503));
    // After 1.2 s of waiting, a second wait would cross: the second attempt has ~800 ms to spare,
    // wide enough for a loaded machine (with 90 ms, a slow second attempt timed out instead).
    RetryPolicy policy = policy().maxAttempts(10).backoff(Backoff.fixed(Duration.ofMillis(1200)))
        .deadline(Duration.ofMillis(2000)).build();

    try (Response response = run(mode, policy, get("/items"))) {
      assertEquals(503, response.code(), "the last response, not an invented failure");
    }
    assertDeadlineRespected(Duration.ofMillis(2000));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void noWaitCrossesTheCallTimeout(Mode mode) throws IOException {
    server.respondWith(request -> Reply.status(503));
    // As above: ~800 ms to spare for the second attempt, wide enough for a loaded machine.
    OkHttpClient timed = client.newBuilder().callTimeout(Duration.ofMillis(2000)).build();
    RetryPolicy policy = policy().maxAttempts(10).backoff(Backoff.fixed(Duration.ofMillis(1200)))
        .build();
    Call call = newCall(mode, timed, policy, get("/items"));

    try (Response response = start(mode, call).await()) {
      assertEquals(503, response.code());
    }
    assertDeadlineRespected(Duration.ofMillis(2000));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void callTimeoutDuringAnAttemptFailsAsOkHttpWould(Mode mode) {
    server.enqueue(Reply.status(200).fault(NO_RESPONSE));
    OkHttpClient timed = client.newBuilder().callTimeout(Duration.ofMillis(200)).build();

    IOException e = start(mode, newCall(mode, timed, policy().build(), get("/stalled")))
        .awaitFailure();

    assertInstanceOf(InterruptedIOException.class, e);
    assertEquals(1, server.requestCount());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void attemptTimeoutEndsAStalledAttemptAndTheRetrySucceeds(Mode mode) throws IOException {
    server.enqueue(Reply.status(200).fault(NO_RESPONSE), Reply.status(200).body("ok"));
    RetryPolicy policy = policy().attemptTimeout(Duration.ofMillis(200)).build();

    try (Response response = run(mode, policy, get("/items"))) {
      assertEquals("ok", response.body().string());
    }
    assertEquals(2, server.requestCount());
    assertEquals("java.net.SocketTimeoutException", events.events.get(0).exceptionType());
    assertEquals(FailureKind.AFTER_SEND, events.events.get(0).failureKind());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void exhaustedRetriesReturnTheLastResponseUnchangedAndReadable(Mode mode) throws IOException {
    server.enqueue(
        Reply.status(503).header("X-Attempt", "1").body("first"),
        Reply.status(503).header("X-Attempt", "2").body("second"),
        Reply.status(503).header("X-Attempt", "3").body("third"));

    try (Response response = run(mode, policy().build(), get("/items"))) {
      assertEquals(503, response.code());
      assertEquals("3", response.header("X-Attempt"));
      assertEquals("third", response.body().string());
    }
    assertEquals(List.of(RETRY, RETRY, GIVE_UP), events.actions());
    assertEquals("503 Service Unavailable: all 3 attempts used", events.last().reason());
  }

  @ParameterizedTest
  @EnumSource(value = Mode.class, names = {"EXECUTE", "FACTORY_EXECUTE"})
  void interruptingAWaitThrowsInterruptedIoExceptionAndKeepsTheFlag(Mode mode) throws Exception {
    server.respondWith(request -> Reply.status(503));
    CountDownLatch waiting = new CountDownLatch(1);
    RetryPolicy policy = policy().backoff(Backoff.fixed(Duration.ofSeconds(5)))
        .listener(event -> {
          if (event.action() == RETRY) waiting.countDown();
        })
        .build();
    Call call = newCall(mode, policy, get("/items"));
    CompletableFuture<IOException> failure = new CompletableFuture<>();
    AtomicBoolean flagKept = new AtomicBoolean();
    Thread thread = new Thread(() -> {
      try (Response response = call.execute()) {
        failure.completeExceptionally(new AssertionError("expected a failure: " + response));
      } catch (IOException e) {
        flagKept.set(Thread.currentThread().isInterrupted());
        failure.complete(e);
      }
    });
    thread.start();
    assertTrue(waiting.await(5, TimeUnit.SECONDS));

    thread.interrupt();

    assertInstanceOf(InterruptedIOException.class, failure.get(5, TimeUnit.SECONDS));
    assertTrue(flagKept.get(), "the interrupt flag is restored");
    assertEquals(1, server.requestCount());
  }

  /** A listener that starts a server on {@code port} when the first retry is decided. */
  private static dev.stoic.RetryListener reviveOnFirstRetry(
      int port, AtomicReference<TestServer> revived, Reply reply) {
    return event -> {
      if (event.action() != RETRY || revived.get() != null) return;
      try {
        TestServer server = TestServer.start(port);
        server.enqueue(reply);
        revived.set(server);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  /** A port nothing listens on: connecting to it is refused. */
  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
