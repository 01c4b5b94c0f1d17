package dev.stoic.apache;

import static dev.stoic.Decision.Action.GIVE_UP;
import static dev.stoic.Decision.Action.RETRY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.Hedging;
import dev.stoic.LivePolicy;
import dev.stoic.RetriesExhaustedException;
import dev.stoic.RetryPolicy;
import dev.stoic.RetryRoutes;
import dev.stoic.ThrottledException;
import dev.stoic.apache.Hc5.Call;
import dev.stoic.apache.Hc5.Mode;
import dev.stoic.testing.AdapterScenarios.Answer;
import dev.stoic.testing.RecordingListener;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What Stoic promises in HC5 beyond the shared scenarios, on MockWebServer, through the classic
 * builder, the wrapped classic client and the async builder: hints, deadlines and attempt
 * timeouts, one-shot bodies, retried bodies and the pool, routes, per-request policies,
 * throttles. Every test ends with nothing leased.
 */
class ApacheAdapterTest {
  final MockWebServer server = new MockWebServer();
  final RecordingListener events = new RecordingListener();
  final RecordingClock clock = RecordingClock.skippingWaits();
  Hc5 client;

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (client != null) assertEquals(0, client.leasedWhenQuiet(), "connections leased");
    } finally {
      if (client != null) client.close();
      server.close();
    }
  }

  RetryPolicy.Builder policy() {
    return RetryPolicy.builder()
        .backoff(Backoff.fixed(Duration.ofMillis(10)))
        .random(() -> 0)
        .clock(clock)
        .listener(events);
  }

  Hc5 client(Mode mode, RetryPolicy policy) {
    client = Hc5.create(mode, policy);
    return client;
  }

  static MockResponse response(int code, String body) {
    return new MockResponse.Builder().code(code).body(body).build();
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
    return requests.stream().map(r -> r.getBody() == null ? "" : r.getBody().utf8())
        .collect(Collectors.toList());
  }

  /**
   * The actions once {@code count} are in: an async caller's future completes with its body, just
   * before the engine records the attempt that brought it.
   */
  List<dev.stoic.Decision.Action> actionsOnceDone(int count) throws InterruptedException {
    for (int i = 0; i < 500 && events.actions().size() < count; i++) Thread.sleep(10);
    return events.actions();
  }

  Call get() {
    return Call.get(server.url("/items").uri());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void retryAfterSecondsIsWaitedExactly(Mode mode) throws Exception {
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "2").build());
    server.enqueue(response(200, "ok"));

    assertEquals(new Answer(200, "ok"), client(mode, policy().build()).send(get()));

    assertEquals(Duration.ofSeconds(2), clock.waited());
    assertEquals(2, recorded().size());
  }

  @ParameterizedTest
  @EnumSource(value = Mode.class, names = {"CLASSIC", "ASYNC"})
  void hc5sOwnRetriesAreOffWhereStoicIsInstalled(Mode mode) throws Exception {
    // HC5's default strategy re-sends a 503 to a GET once: were it on, 3 attempts would be 6.
    for (int i = 0; i < 6; i++) server.enqueue(response(503, "busy " + i));

    Answer answer = client(mode, policy().maxAttempts(3).build()).send(get());

    assertEquals(new Answer(503, "busy 2"), answer);
    assertEquals(3, recorded().size());
    assertEquals(List.of(RETRY, RETRY, GIVE_UP), actionsOnceDone(3));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aOneShotBodyIsNeverSentTwiceEvenWithAKey(Mode mode) throws Exception {
    server.enqueue(response(503, "busy"));
    server.enqueue(response(200, "made"));
    Call post = Call.post(server.url("/orders").uri(), "{\"n\":1}")
        .header("Idempotency-Key", "k-1").oneShotBody();

    Answer answer = client(mode, policy().build()).send(post);

    assertEquals(new Answer(503, "busy"), answer);
    assertEquals(List.of("{\"n\":1}"), bodies(recorded()));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRepeatableBodyIsSentOnEveryAttempt(Mode mode) throws Exception {
    server.enqueue(response(503, "busy"));
    server.enqueue(response(201, "made"));
    Call post = Call.post(server.url("/orders").uri(), "{\"n\":2}").header("Idempotency-Key", "k-2");

    assertEquals(new Answer(201, "made"), client(mode, policy().build()).send(post));

    List<RecordedRequest> requests = recorded();
    assertEquals(List.of("{\"n\":2}", "{\"n\":2}"), bodies(requests));
    assertEquals(List.of("k-2", "k-2"),
        requests.stream().map(r -> r.getHeaders().get("Idempotency-Key")).toList());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aSmallRetriedBodyIsReadSoTheNextAttemptReusesItsConnection(Mode mode) throws Exception {
    server.enqueue(response(503, "x".repeat(1024)));
    server.enqueue(response(200, "ok"));

    assertEquals(new Answer(200, "ok"), client(mode, policy().build()).send(get()));

    List<RecordedRequest> requests = recorded();
    assertEquals(requests.get(0).getConnectionIndex(), requests.get(1).getConnectionIndex());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRetriedBodyOverTheLimitIsDroppedWithItsConnection(Mode mode) throws Exception {
    server.enqueue(response(503, "x".repeat(1024 * 1024)));
    server.enqueue(response(200, "ok"));

    assertEquals(new Answer(200, "ok"), client(mode, policy().build()).send(get()));

    List<RecordedRequest> requests = recorded();
    assertTrue(requests.get(1).getConnectionIndex() > requests.get(0).getConnectionIndex(),
        "a fresh connection for the retry");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRetriedBodyThatNeverEndsIsDroppedAndTheRetryGoesAhead(Mode mode) throws Exception {
    server.enqueue(new MockResponse.Builder().code(503).addHeader("Content-Length", "100")
        .body("partial").onResponseBody(SocketEffect.Stall.INSTANCE).build());
    server.enqueue(response(200, "ok"));

    assertEquals(new Answer(200, "ok"), client(mode, policy().build()).send(get()));

    assertEquals(2, recorded().size());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void anAttemptTimeoutEndsAStalledAttemptAndTheRetryAnswers(Mode mode) throws Exception {
    server.enqueue(noResponse());
    server.enqueue(response(200, "ok"));
    RetryPolicy policy = policy().attemptTimeout(Duration.ofMillis(200)).build();

    assertEquals(new Answer(200, "ok"), client(mode, policy).send(get()));

    assertEquals(List.of(RETRY, dev.stoic.Decision.Action.RETURN), actionsOnceDone(2));
    assertTrue(events.events.get(0).exceptionType().endsWith("SocketTimeoutException"),
        events.events.get(0).exceptionType());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theDeadlineSpansAllAttempts(Mode mode) throws Exception {
    server.enqueue(response(503, "busy"));
    server.enqueue(noResponse());
    RetryPolicy policy = policy().deadline(Duration.ofMillis(500)).build();

    Exception e = assertThrows(Exception.class, () -> client(mode, policy).send(get()));

    Throwable failure = e instanceof ExecutionException ? e.getCause() : e;
    assertInstanceOf(SocketTimeoutException.class, failure, "the last attempt's own failure");
    assertEquals(2, RetriesExhaustedException.historyOf(failure).size());
    assertEquals(List.of(RETRY, GIVE_UP), actionsOnceDone(2));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRouteAndARequestsOwnPolicyChooseTheRules(Mode mode) throws Exception {
    for (int i = 0; i < 5; i++) server.enqueue(response(503, "busy " + i));
    RetryRoutes routes = RetryRoutes.builder()
        .pathPrefix("/once", policy().maxAttempts(1).build())
        .otherwise(policy().maxAttempts(3).build())
        .build();
    client = Hc5.create(mode, routes);

    assertEquals(503, client.send(Call.get(server.url("/once/a").uri())).status());
    assertEquals(1, recorded().size());

    HttpClientContext context = StoicApache.usePolicy(HttpClientContext.create(),
        policy().maxAttempts(2).build());
    assertEquals(503, client.send(Call.get(server.url("/once/b").uri()), context).status());
    assertEquals(2, recorded().size());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aThrottleThatRefusesStopsTheCallBeforeAnythingIsSent(Mode mode) throws Exception {
    RetryPolicy policy = policy().throttle(host -> -1).build();

    Exception e = assertThrows(Exception.class, () -> client(mode, policy).send(get()));

    Throwable failure = e instanceof ExecutionException ? e.getCause() : e;
    assertInstanceOf(ThrottledException.class, failure);
    assertEquals(0, server.getRequestCount());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRedirectWithinAnAttemptCarriesTheAttemptsKeyCountAndBody(Mode mode) throws Exception {
    server.enqueue(response(503, "busy"));
    server.enqueue(new MockResponse.Builder().code(307).addHeader("Location", "/moved").build());
    server.enqueue(response(201, "made"));
    RetryPolicy policy = policy()
        .idempotencyKey(dev.stoic.IdempotencyKey.header("Idempotency-Key").autoGenerate())
        .attemptCountHeader("X-Attempt", 0).build();

    Answer answer = client(mode, policy).send(Call.post(server.url("/orders").uri(), "{}"));

    assertEquals(new Answer(201, "made"), answer);
    List<RecordedRequest> requests = recorded();
    assertEquals(List.of("0", "1", "1"),
        requests.stream().map(r -> r.getHeaders().get("X-Attempt")).toList());
    assertEquals(1, requests.stream().map(r -> r.getHeaders().get("Idempotency-Key")).distinct().count());
    assertEquals(List.of("{}", "{}", "{}"), bodies(requests));
    assertEquals("/moved", requests.get(2).getUrl().encodedPath());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void observersSeeTheCallAndEachAttemptAsOnEveryClient(Mode mode) throws Exception {
    server.enqueue(response(503, "busy"));
    server.enqueue(response(200, "ok"));
    dev.stoic.testing.RecordingObserver observer = new dev.stoic.testing.RecordingObserver();

    client(mode, policy().observer(observer).build()).send(get());

    actionsOnceDone(2);
    for (int i = 0; i < 500 && observer.lines.stream().noneMatch(l -> l.startsWith("call ")); i++) {
      Thread.sleep(10);
    }
    String url = server.url("/items").toString();
    assertEquals(List.of("start GET " + url + " " + server.getHostName(), "attempt 1", "sent 1",
        "attempt 2", "sent 2", "call RETURN"), observer.lines.stream()
        .filter(l -> !l.startsWith("ended "))
        .map(l -> l.startsWith("call ") ? l.substring(0, l.indexOf(' ', 5)) : l).toList());
  }

  // Live policies: each call takes the policy of its start.

  static RetryPolicy attempts(int n) {
    return RetryPolicy.builder().maxAttempts(n).backoff(Backoff.fixed(Duration.ofMillis(1))).build();
  }

  void enqueueAll(int... codes) {
    for (int code : codes) server.enqueue(new MockResponse.Builder().code(code).body("b").build());
  }

  @ParameterizedTest
  @EnumSource(Hc5.Mode.class)
  void callsAfterASwapFollowTheNewPolicy(Hc5.Mode mode) throws Exception {
    LivePolicy live = LivePolicy.of(attempts(2));
    client = Hc5.create(mode, live);
    enqueueAll(503, 503, 503, 503, 200);

    assertEquals(503, client.send(Hc5.Call.get(server.url("/a").uri())).status());
    live.set(attempts(3));
    assertEquals(200, client.send(Hc5.Call.get(server.url("/b").uri())).status());

    assertEquals(5, server.getRequestCount(), "two attempts, then three");
  }

  @Test
  void anAsyncCallWhosePolicyHedgesAfterASwapFailsAtOnce() throws Exception {
    LivePolicy live = LivePolicy.of(attempts(2));
    client = Hc5.create(Hc5.Mode.ASYNC, live);
    live.set(attempts(2).toBuilder().hedging(Hedging.after(Duration.ofMillis(50))).build());

    ExecutionException e = assertThrows(ExecutionException.class,
        () -> client.sendAsync(Hc5.Call.get(server.url("/c").uri()), HttpClientContext.create())
            .get());
    assertTrue(e.getCause().getMessage().contains("cannot hedge"), e.getCause().getMessage());
    assertEquals(0, server.getRequestCount());
  }
}
