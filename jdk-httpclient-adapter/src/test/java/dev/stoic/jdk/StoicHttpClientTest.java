package dev.stoic.jdk;

import static dev.stoic.Decision.Action.GIVE_UP;
import static dev.stoic.Decision.Action.RETRY;
import static dev.stoic.Decision.Action.RETURN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.http.FailureKind;
import dev.stoic.IdempotencyKey;
import dev.stoic.RetriesExhaustedException;
import dev.stoic.RetryEvent;
import dev.stoic.RetryPolicy;
import dev.stoic.testing.RecordingListener;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The scenario matrix, each scenario through {@code send} and {@code sendAsync}, against a real
 * socket. Waits are 10 ms; only the Retry-After scenarios wait a whole second, as the header
 * allows nothing shorter.
 */
class StoicHttpClientTest {
  /** One JDK client for the class: each one owns a selector thread until it is collected. */
  static final HttpClient JDK = HttpClient.newHttpClient();

  final MockWebServer server = new MockWebServer();
  final RecordingListener events = new RecordingListener();
  final RecordingHttpClient attempts = new RecordingHttpClient(JDK);

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  RetryPolicy.Builder policy() {
    return RetryPolicy.builder()
        .backoff(Backoff.fixed(Duration.ofMillis(10)))
        .random(() -> 0)
        .listener(events);
  }

  HttpClient client(RetryPolicy policy) {
    return StoicHttpClient.wrap(attempts, policy);
  }

  HttpRequest get() {
    return HttpRequest.newBuilder(server.url("/items").uri()).build();
  }

  HttpRequest post(String body) {
    return HttpRequest.newBuilder(server.url("/orders").uri())
        .POST(BodyPublishers.ofString(body))
        .build();
  }

  static MockResponse response(int code, String body) {
    return new MockResponse.Builder().code(code).body(body).build();
  }

  static MockResponse response(int code, String header, String value) {
    return new MockResponse.Builder().code(code).addHeader(header, value).body("").build();
  }

  static MockResponse disconnectBeforeResponding() {
    return new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build();
  }

  static MockResponse noResponse() {
    return new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();
  }

  List<RecordedRequest> recorded() throws InterruptedException {
    List<RecordedRequest> requests = new ArrayList<>();
    for (RecordedRequest r; (r = server.takeRequest(0, TimeUnit.SECONDS)) != null; ) requests.add(r);
    return requests;
  }

  static List<String> bodies(List<RecordedRequest> requests) {
    return requests.stream().map(r -> r.getBody().utf8()).collect(Collectors.toList());
  }

  static List<String> headers(List<RecordedRequest> requests, String name) {
    return requests.stream()
        .map(r -> String.join(",", r.getHeaders().values(name)))
        .collect(Collectors.toList());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void unavailableThenOkIsRetriedOnce(Mode mode) throws Exception {
    server.enqueue(response(503, "busy"));
    server.enqueue(response(200, "ok"));
    HttpRequest request = get();

    HttpResponse<String> response = mode.call(client(policy().build()), request, BodyHandlers.ofString());

    assertEquals(200, response.statusCode());
    assertEquals("ok", response.body());
    assertEquals(2, server.getRequestCount());
    assertEquals(List.of(RETRY, RETURN), events.actions());
    assertEquals(List.of(10L), events.waitsMillis());
    assertSame(request, attempts.requests.get(0), "nothing to add: the caller's request is sent");
    assertSame(request, attempts.requests.get(1));
    List<RecordedRequest> requests = recorded();
    assertEquals(requests.get(0).getConnectionIndex(), requests.get(1).getConnectionIndex(),
        "the retried response's body was drained and its connection reused");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void tooManyRequestsWaitsTheRetryAfterSecondsEvenForPost(Mode mode) throws Exception {
    server.enqueue(response(429, "Retry-After", "1"));
    server.enqueue(response(200, "ok"));

    HttpResponse<String> response =
        mode.call(client(policy().build()), post("order"), BodyHandlers.ofString());

    assertEquals(200, response.statusCode());
    assertEquals(List.of(1000L), events.waitsMillis());
    assertEquals(List.of("order", "order"), bodies(recorded()), "the body is sent again");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void tooManyRequestsWaitsUntilTheRetryAfterDate(Mode mode) throws Exception {
    // The clock reads 10:00:00 GMT, so the date is one second away.
    server.enqueue(response(429, "Retry-After", "Sun, 22 Nov 2026 10:00:01 GMT"));
    server.enqueue(response(200, "ok"));
    RetryPolicy policy = policy().clock(new WaitRecordingClock()).build();

    HttpResponse<String> response = mode.call(client(policy), get(), BodyHandlers.ofString());

    assertEquals(200, response.statusCode());
    assertEquals(List.of(1000L), events.waitsMillis());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void retryAfterBeyondTheCapReturnsTheResponseAtOnce(Mode mode) throws Exception {
    server.enqueue(new MockResponse.Builder()
        .code(429).addHeader("Retry-After", "3600").body("slow down").build());

    HttpResponse<String> response =
        mode.call(client(policy().build()), get(), BodyHandlers.ofString());

    assertEquals(429, response.statusCode());
    assertEquals("slow down", response.body(), "the final response reaches the caller's handler");
    assertEquals(1, server.getRequestCount());
    assertEquals(List.of(GIVE_UP), events.actions());
    assertEquals("429 Too Many Requests: Retry-After of 3600 s exceeds maxRetryAfter of 60 s",
        events.last().reason());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void serverErrorOnPostWithoutKeyIsNotRetried(Mode mode) throws Exception {
    server.enqueue(response(500, "oops"));

    HttpResponse<String> response =
        mode.call(client(policy().build()), post("order"), BodyHandlers.ofString());

    assertEquals(500, response.statusCode());
    assertEquals(1, server.getRequestCount());
    assertEquals(List.of(""), headers(recorded(), "Idempotency-Key"));
    assertEquals("500 Internal Server Error is not retried for POST without an idempotency key:"
        + " the server may have processed it", events.last().reason());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void postWithAutoGeneratedKeyIsRetriedWithTheSameKeyAndBody(Mode mode) throws Exception {
    server.enqueue(response(500, "oops"));
    server.enqueue(response(502, "bad gateway"));
    server.enqueue(response(201, "created"));
    RetryPolicy policy = policy()
        .idempotencyKey(IdempotencyKey.header("Idempotency-Key").autoGenerate()).build();

    HttpResponse<String> response = mode.call(client(policy), post("order"), BodyHandlers.ofString());

    assertEquals(201, response.statusCode());
    List<RecordedRequest> requests = recorded();
    assertEquals(List.of("order", "order", "order"), bodies(requests));
    List<String> keys = headers(requests, "Idempotency-Key");
    assertTrue(keys.get(0).matches("[0-9a-f-]{36}"), keys.get(0)); // a bare UUID, the default
    assertEquals(List.of(keys.get(0), keys.get(0), keys.get(0)), keys);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void callersOwnKeyIsKeptAndMakesPostRetryable(Mode mode) throws Exception {
    server.enqueue(response(503, "busy"));
    server.enqueue(response(200, "ok"));
    RetryPolicy policy = policy()
        .idempotencyKey(IdempotencyKey.header("Idempotency-Key").autoGenerate()).build();
    HttpRequest request = HttpRequest.newBuilder(server.url("/orders").uri())
        .header("Idempotency-Key", "order-17")
        .POST(BodyPublishers.ofString("order"))
        .build();

    assertEquals(200, mode.call(client(policy), request, BodyHandlers.ofString()).statusCode());

    assertEquals(List.of("order-17", "order-17"), headers(recorded(), "Idempotency-Key"));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void everyAttemptSaysItsNumberUnlessTheCallerSetIt(Mode mode) throws Exception {
    server.enqueue(response(429, "retry-after-ms", "20"));
    server.enqueue(response(503, "busy"));
    server.enqueue(response(200, "ok"));
    RetryPolicy policy = policy().attemptCountHeader("x-envoy-attempt-count", 1).build();
    assertEquals(200, mode.call(client(policy), get(), BodyHandlers.ofString()).statusCode());
    assertEquals(List.of("1", "2", "3"), headers(recorded(), "x-envoy-attempt-count"));
    assertEquals("429 Too Many Requests: waiting for retry-after-ms", events.events.get(0).reason());

    server.enqueue(response(503, "busy"));
    server.enqueue(response(200, "ok"));
    HttpRequest own = HttpRequest.newBuilder(server.url("/items").uri())
        .header("x-envoy-attempt-count", "9").build();
    assertEquals(200, mode.call(client(policy), own, BodyHandlers.ofString()).statusCode());
    assertEquals(List.of("9", "9"), headers(recorded(), "x-envoy-attempt-count"));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void shouldRetryFalseEndsRetrying(Mode mode) throws Exception {
    server.enqueue(response(503, "x-should-retry", "false"));
    assertEquals(503, mode.call(client(policy().build()), get(), BodyHandlers.ofString())
        .statusCode());
    assertEquals(1, server.getRequestCount());
    assertEquals("503 Service Unavailable: the server's x-should-retry says not to retry",
        events.last().reason());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void gatewayTimeoutIsRetriedForGetButNotForPost(Mode mode) throws Exception {
    server.enqueue(response(504, "timeout"));
    server.enqueue(response(200, "ok"));
    assertEquals(200, mode.call(client(policy().build()), get(), BodyHandlers.ofString()).statusCode());
    assertEquals(2, server.getRequestCount());

    server.enqueue(response(504, "timeout"));
    assertEquals(504,
        mode.call(client(policy().build()), post("order"), BodyHandlers.ofString()).statusCode());
    assertEquals(3, server.getRequestCount());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void disconnectAfterTheRequestIsRetriedForGet(Mode mode) throws Exception {
    // The JDK client itself sends a GET again, once, when the connection closes before any
    // response byte; only the second disconnect reaches Stoic.
    server.enqueue(disconnectBeforeResponding());
    server.enqueue(disconnectBeforeResponding());
    server.enqueue(response(200, "ok"));

    HttpResponse<String> response =
        mode.call(client(policy().build()), get(), BodyHandlers.ofString());

    assertEquals("ok", response.body());
    assertEquals(3, server.getRequestCount());
    assertEquals(List.of(RETRY, RETURN), events.actions());
    RetryEvent first = events.events.get(0);
    assertEquals(FailureKind.AFTER_SEND, first.failureKind());
    assertEquals("java.io.IOException", first.exceptionType());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void disconnectAfterTheRequestEndsPostWithoutKey(Mode mode) {
    server.enqueue(disconnectBeforeResponding());
    server.enqueue(response(200, "never sent"));

    IOException e = assertThrows(IOException.class,
        () -> mode.call(client(policy().build()), post("order"), BodyHandlers.ofString()));

    assertFalse(e instanceof RetriesExhaustedException, "the original failure");
    assertEquals(1, RetriesExhaustedException.historyOf(e).size());
    assertEquals(1, server.getRequestCount());
    assertEquals(List.of(GIVE_UP), events.actions());
    assertEquals(FailureKind.AFTER_SEND, events.last().failureKind());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void connectionRefusedIsRetriedEvenForPostUntilAttemptsRunOut(Mode mode) throws Exception {
    URI closed = URI.create("http://localhost:" + closedPort() + "/orders");
    HttpRequest request = HttpRequest.newBuilder(closed).POST(BodyPublishers.ofString("o")).build();

    ConnectException e = assertThrows(ConnectException.class,
        () -> mode.call(client(policy().maxAttempts(3).build()), request, BodyHandlers.ofString()));

    assertEquals(3, e.getSuppressed().length, "the two earlier failures, then the history");
    assertEquals(List.of(RETRY, RETRY, GIVE_UP), events.actions());
    List<RetryEvent> history = RetriesExhaustedException.historyOf(e);
    assertEquals(3, history.size());
    for (RetryEvent event : history) assertEquals(FailureKind.CONNECT, event.failureKind());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void oneShotBodyIsNotSentAgainOnceWritten(Mode mode) throws Exception {
    server.enqueue(response(503, "busy"));
    server.enqueue(response(200, "never sent"));
    HttpRequest request = HttpRequest.newBuilder(server.url("/upload").uri())
        .PUT(StoicBodyPublishers.oneShot(BodyPublishers.ofString("payload")))
        .build();

    HttpResponse<String> response = mode.call(client(policy().build()), request, BodyHandlers.ofString());

    assertEquals(503, response.statusCode());
    assertEquals(List.of("payload"), bodies(recorded()));
    assertEquals("503 Service Unavailable: the one-shot request body was already sent",
        events.last().reason());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void oneShotBodyIsSentWhenTheFirstAttemptCouldNotConnect(Mode mode) throws Exception {
    int port = closedPort();
    try (MockWebServer late = new MockWebServer()) {
      late.enqueue(response(201, "created"));
      // The server comes up while the first retry waits.
      RetryPolicy policy = policy().listener(event -> {
        if (event.attempt() != 1) return;
        try {
          late.start(port);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).build();
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/up"))
          .POST(StoicBodyPublishers.oneShot(BodyPublishers.ofString("payload")))
          .build();

      HttpResponse<String> response = mode.call(client(policy), request, BodyHandlers.ofString());

      assertEquals(201, response.statusCode());
      assertEquals(FailureKind.CONNECT, events.events.get(0).failureKind());
      assertEquals("payload", late.takeRequest(0, TimeUnit.SECONDS).getBody().utf8());
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void replayableInputStreamBodyIsSentOnEveryAttempt(Mode mode) throws Exception {
    server.enqueue(response(503, "busy"));
    server.enqueue(response(200, "ok"));
    byte[] payload = "payload".getBytes(StandardCharsets.UTF_8);
    HttpRequest request = HttpRequest.newBuilder(server.url("/upload").uri())
        .PUT(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(payload)))
        .build();

    assertEquals(200, mode.call(client(policy().build()), request, BodyHandlers.ofString()).statusCode());

    assertEquals(List.of("payload", "payload"), bodies(recorded()));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void deadlineSpansAllAttempts(Mode mode) {
    server.enqueue(response(503, "busy"));
    server.enqueue(noResponse());
    RetryPolicy policy = policy().deadline(Duration.ofMillis(500)).build();

    assertThrows(HttpTimeoutException.class,
        () -> mode.call(client(policy), get(), BodyHandlers.ofString()));

    assertEquals(List.of(RETRY, GIVE_UP), events.actions());
    assertTrue(events.last().reason().startsWith(
        "HttpTimeoutException after the request was sent (GET is idempotent):"
            + " waiting 10 ms would cross the deadline"), events.last().reason());
    // Each attempt may take only what is left of the deadline.
    Duration first = attempts.requests.get(0).timeout().orElseThrow();
    Duration second = attempts.requests.get(1).timeout().orElseThrow();
    assertTrue(first.compareTo(Duration.ofMillis(500)) <= 0, first.toString());
    assertTrue(second.compareTo(first) < 0, second + " < " + first);
    assertTrue(events.last().elapsed().compareTo(Duration.ofSeconds(5)) < 0);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void requestTimeoutAppliesToEachAttempt(Mode mode) throws Exception {
    server.enqueue(noResponse());
    server.enqueue(response(200, "ok"));
    HttpRequest request = HttpRequest.newBuilder(server.url("/items").uri())
        .timeout(Duration.ofMillis(300))
        .build();

    assertEquals(200, mode.call(client(policy().build()), request, BodyHandlers.ofString()).statusCode());

    assertEquals("java.net.http.HttpTimeoutException", events.events.get(0).exceptionType());
    assertSame(request, attempts.requests.get(1), "the request's own timeout, again");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void attemptTimeoutShorterThanTheRequestTimeoutWins(Mode mode) throws Exception {
    server.enqueue(noResponse());
    server.enqueue(response(200, "ok"));
    HttpRequest request = HttpRequest.newBuilder(server.url("/items").uri())
        .timeout(Duration.ofSeconds(30))
        .build();
    RetryPolicy policy = policy().attemptTimeout(Duration.ofMillis(200)).build();

    assertEquals(200, mode.call(client(policy), request, BodyHandlers.ofString()).statusCode());

    assertEquals(Duration.ofMillis(200), attempts.requests.get(0).timeout().orElseThrow());
    assertEquals(Duration.ofMillis(200), attempts.requests.get(1).timeout().orElseThrow());
    assertEquals(Duration.ofSeconds(30), request.timeout().orElseThrow(), "the caller's is intact");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void retriesExhaustedReturnTheLastResponseThroughTheCallersHandler(Mode mode) throws Exception {
    server.enqueue(response(503, "first"));
    server.enqueue(response(503, "second"));
    server.enqueue(response(503, "third"));

    HttpResponse<String> response =
        mode.call(client(policy().maxAttempts(3).build()), get(), BodyHandlers.ofString());

    assertEquals(503, response.statusCode());
    assertEquals("third", response.body());
    assertEquals(List.of(RETRY, RETRY, GIVE_UP), events.actions());
    assertEquals("503 Service Unavailable: all 3 attempts used", events.last().reason());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void retriesExhaustedThrowWhenThePolicyAsks(Mode mode) {
    server.enqueue(response(503, "first"));
    server.enqueue(response(503, "second"));
    RetryPolicy policy = policy().maxAttempts(2).throwOnFailureStatus(true).build();

    RetriesExhaustedException e = assertThrows(RetriesExhaustedException.class,
        () -> mode.call(client(policy), get(), BodyHandlers.ofString()));

    assertEquals(503, e.lastStatus());
    assertEquals(2, e.attempts());
    assertNull(e.getCause());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void unauthorizedIsRetriedWithRefreshedCredentials(Mode mode) throws Exception {
    server.enqueue(response(401, "expired"));
    server.enqueue(response(200, "ok"));
    RetryPolicy policy = policy().credentialRefresher(() -> "Bearer fresh").build();
    HttpRequest request = HttpRequest.newBuilder(server.url("/me").uri())
        .header("Authorization", "Bearer stale")
        .build();

    assertEquals(200, mode.call(client(policy), request, BodyHandlers.ofString()).statusCode());

    assertEquals(List.of("Bearer stale", "Bearer fresh"), headers(recorded(), "Authorization"));
  }

  /** A port nothing listens on: bound, then released. */
  static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
