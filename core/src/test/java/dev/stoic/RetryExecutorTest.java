package dev.stoic;

import static dev.stoic.Decision.Action.GIVE_UP;
import static dev.stoic.Decision.Action.RETRY;
import static dev.stoic.Decision.Action.RETURN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.http.FailureKind;
import dev.stoic.http.StatusGuide;
import dev.stoic.spi.CallInfo;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.RecordingListener;
import dev.stoic.testing.ScriptedTransport.Mode;
import dev.stoic.testing.ScriptedTransport;
import dev.stoic.testing.VirtualClock;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The executor's loop, run in virtual time, each scenario both synchronously and async. */
class RetryExecutorTest {
  final VirtualClock clock = new VirtualClock();
  final RecordingListener events = new RecordingListener();

  RetryPolicy.Builder policy() {
    return RetryPolicy.builder()
        .clock(clock)
        .random(() -> 0.5)
        .backoff(Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30)).noJitter())
        .listener(events);
  }

  static CallInfo get() {
    return CallInfo.builder("GET", "https://api.example.com/items").build();
  }

  static CallInfo post() {
    return CallInfo.builder("POST", "https://api.example.com/items").build();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void unavailableTwiceThenOkRetriesWithExactExponentialWaits(Mode mode) throws Exception {
    FakeResponse first = FakeResponse.of(503);
    FakeResponse second = FakeResponse.of(503);
    FakeResponse ok = FakeResponse.of(200);
    ScriptedTransport transport = new ScriptedTransport(first, second, ok);

    FakeResponse result = transport.run(mode, policy().build(), get());

    assertSame(ok, result);
    assertEquals(List.of(RETRY, RETRY, RETURN), events.actions());
    assertEquals(List.of(1000L, 2000L), events.waitsMillis());
    assertEquals(Duration.ofSeconds(3), clock.elapsed());
    assertEquals(1, first.closed, "discarded responses are closed");
    assertEquals(1, second.closed);
    assertEquals(0, ok.closed, "the returned response is handed over open");
  }

  @org.junit.jupiter.api.Test
  void anEarlyDecisionFromTheResponseHeadReadsItsHeadersThroughTheAccessAndStands()
      throws Exception {
    FakeResponse unavailable = FakeResponse.of(503, "Retry-After", "2");
    FakeResponse ok = FakeResponse.of(200);
    List<FakeResponse> script = new java.util.ArrayList<>(List.of(unavailable, ok));
    List<Boolean> retries = new java.util.ArrayList<>();

    // No jitter (draw 0): the 2 s hint as it is; without the hint the backoff would wait 1 s.
    RetryPolicy p = policy().random(() -> 0.0).build();
    FakeResponse result = new dev.stoic.engine.RetryExecutor(p).execute(get(),
        context -> {
          FakeResponse response = script.remove(0);
          retries.add(context.decide(response, FakeResponse.ACCESS)); // the head-and-access form
          return response;
        }, FakeResponse.ACCESS, dev.stoic.spi.Cancellation.NEVER);

    assertSame(ok, result);
    assertEquals(List.of(true, false), retries);
    assertEquals(List.of(RETRY, RETURN), events.actions());
    assertEquals(List.of(2000L), events.waitsMillis(), "Retry-After read through the access");
    assertEquals(Duration.ofSeconds(2), clock.elapsed());
    assertEquals(1, unavailable.closed, "the retried response is closed");
    assertEquals(0, ok.closed);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void equalJitterWaitIsExactForAGivenDraw(Mode mode) throws Exception {
    RetryPolicy p = policy().backoff(Backoff.defaults()).random(() -> 0.25).build();
    new ScriptedTransport(FakeResponse.of(502), FakeResponse.of(502), FakeResponse.of(204))
        .run(mode, p, get());
    // Equal jitter: d/2 + draw * d/2 = 500 + 125 ms, then 1000 + 250 ms.
    assertEquals(List.of(625L, 1250L), events.waitsMillis());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void exhaustedRetriesReturnTheLastResponseUnchangedAndOpen(Mode mode) throws Exception {
    FakeResponse[] script = new FakeResponse[3];
    for (int i = 0; i < 3; i++) script[i] = FakeResponse.of(503);
    RetryPolicy p = policy().maxAttempts(3).build();

    FakeResponse result = new ScriptedTransport((Object[]) script).run(mode, p, get());

    assertSame(script[2], result);
    assertEquals(0, script[2].closed);
    assertEquals(List.of(RETRY, RETRY, GIVE_UP), events.actions());
    assertEquals("503 Service Unavailable: all 3 attempts used", events.last().reason());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void throwOnFailureStatusClosesTheResponseAndExplainsIt(Mode mode) {
    FakeResponse last = FakeResponse.of(503);
    RetryPolicy p = policy().maxAttempts(2).throwOnFailureStatus(true).build();

    RetriesExhaustedException e = assertThrows(RetriesExhaustedException.class,
        () -> new ScriptedTransport(FakeResponse.of(503), last).run(mode, p, get()));

    assertEquals(1, last.closed);
    assertEquals(503, e.lastStatus());
    assertEquals(2, e.attempts());
    assertTrue(e.getMessage().startsWith(
        "GET https://api.example.com/items failed after 2 attempts: 503 Service Unavailable"),
        e.getMessage());
    String meaning = StatusGuide.explain(503).substring("503 Service Unavailable: ".length());
    assertTrue(e.getMessage().endsWith(": all 2 attempts used. " + meaning), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aGiveUpMessageNamedTheStatusTwice(Mode mode) {
    // Regression (issue 32): "503 Service Unavailable: all 2 attempts used. 503 Service
    // Unavailable: The server cannot serve ..." named the status once in the reason and again in
    // the explanation that followed it.
    RetryPolicy p = policy().maxAttempts(2).throwOnFailureStatus(true).build();
    RetriesExhaustedException e = assertThrows(RetriesExhaustedException.class,
        () -> new ScriptedTransport(FakeResponse.of(503), FakeResponse.of(503))
            .run(mode, p, get()));
    assertEquals(1, e.getMessage().split("503 Service Unavailable", -1).length - 1, e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void retryAfterSetsTheWaitAndJitterOnlyAdds(Mode mode) throws Exception {
    RetryPolicy p = policy().random(() -> 0.5).build();
    new ScriptedTransport(FakeResponse.of(429, "Retry-After", "7"), FakeResponse.of(200))
        .run(mode, p, post());
    // Hint 7 s, spread = min(0.7 s, 1 s) * 0.5 = 350 ms; backoff (1 s) is shorter.
    assertEquals(List.of(7350L), events.waitsMillis());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void retryAfterAsAnHttpDateIsMeasuredAgainstTheClock(Mode mode) throws Exception {
    RetryPolicy p = policy().random(() -> 0.0).build();
    new ScriptedTransport(
            FakeResponse.of(503, "Retry-After", "Sun, 22 Nov 2026 10:00:12 GMT"),
            FakeResponse.of(200))
        .run(mode, p, get());
    assertEquals(List.of(12_000L), events.waitsMillis());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void retryAfterBeyondTheCapReturnsAtOnce(Mode mode) throws Exception {
    FakeResponse limited = FakeResponse.of(429, "Retry-After", "3600");
    FakeResponse result = new ScriptedTransport(limited).run(mode, policy().build(), get());
    assertSame(limited, result);
    assertEquals(List.of(GIVE_UP), events.actions());
    assertEquals("429 Too Many Requests: Retry-After of 3600 s exceeds maxRetryAfter of 60 s",
        events.last().reason());
    assertEquals(Duration.ZERO, clock.elapsed());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aWaitThatWouldCrossTheDeadlineIsNotStarted(Mode mode) throws Exception {
    RetryPolicy p = policy().deadline(Duration.ofMillis(2500)).build();
    FakeResponse third = FakeResponse.of(503);
    FakeResponse result = new ScriptedTransport(FakeResponse.of(503), FakeResponse.of(503), third)
        .run(mode, p, get());
    // 1 s, then 2 s would end at 3 s > 2.5 s.
    assertSame(second(result, third), result);
    assertEquals(List.of(RETRY, GIVE_UP), events.actions());
    assertEquals(
        "503 Service Unavailable: waiting 2000 ms would cross the deadline (1500 ms left)",
        events.last().reason());
  }

  private static FakeResponse second(FakeResponse result, FakeResponse third) {
    assertFalse(result == third, "no third attempt");
    return result;
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void retryAfterBeyondTheDeadlineEndsRetrying(Mode mode) throws Exception {
    RetryPolicy p = policy().deadline(Duration.ofSeconds(10)).build();
    new ScriptedTransport(FakeResponse.of(503, "Retry-After", "20")).run(mode, p, get());
    assertEquals(
        "503 Service Unavailable: Retry-After of 20 s is beyond the deadline (10 s left)",
        events.last().reason());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void serverErrorOnPostWithoutKeyIsNotRetried(Mode mode) throws Exception {
    ScriptedTransport transport = new ScriptedTransport(FakeResponse.of(500));
    transport.run(mode, policy().build(), post());
    assertEquals(1, transport.attempts.size());
    assertEquals(
        "500 Internal Server Error is not retried for POST without an idempotency key:"
            + " the server may have processed it",
        events.last().reason());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void autoGeneratedKeyIsTheSameOnEveryAttempt(Mode mode) throws Exception {
    int[] generated = {0};
    RetryPolicy p = policy()
        .idempotencyKey(IdempotencyKey.header("Idempotency-Key")
            .autoGenerate(() -> "key-" + (++generated[0])))
        .build();
    ScriptedTransport transport =
        new ScriptedTransport(FakeResponse.of(500), FakeResponse.of(502), FakeResponse.of(201));
    transport.run(mode, p, post());
    assertEquals(3, transport.attempts.size());
    for (var attempt : transport.attempts) {
      assertEquals("Idempotency-Key", attempt.idempotencyHeader());
      assertEquals("key-1", attempt.idempotencyKey());
    }
    assertEquals(1, generated[0], "one key per logical call");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void callersOwnKeyIsNeverReplacedAndMakesPostRetryable(Mode mode) throws Exception {
    RetryPolicy p = policy()
        .idempotencyKey(IdempotencyKey.header("Idempotency-Key").autoGenerate()).build();
    CallInfo call = CallInfo.builder("POST", "https://api.example.com/pay")
        .callerIdempotencyKey("mine").build();
    ScriptedTransport transport = new ScriptedTransport(FakeResponse.of(503), FakeResponse.of(200));
    transport.run(mode, p, call);
    assertEquals(2, transport.attempts.size());
    assertNull(transport.attempts.get(0).idempotencyKey(), "nothing to add");
    assertNull(transport.attempts.get(0).idempotencyHeader());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void getIsNeverGivenAKey(Mode mode) throws Exception {
    RetryPolicy p = policy()
        .idempotencyKey(IdempotencyKey.header("Idempotency-Key").autoGenerate()).build();
    ScriptedTransport transport = new ScriptedTransport(FakeResponse.of(200));
    transport.run(mode, p, get());
    assertNull(transport.attempts.get(0).idempotencyKey());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void gatewayTimeoutIsRetriedForGetButNotForPost(Mode mode) throws Exception {
    ScriptedTransport getCall = new ScriptedTransport(FakeResponse.of(504), FakeResponse.of(200));
    getCall.run(mode, policy().build(), get());
    assertEquals(2, getCall.attempts.size());

    ScriptedTransport postCall = new ScriptedTransport(FakeResponse.of(504));
    postCall.run(mode, policy().build(), post());
    assertEquals(1, postCall.attempts.size());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void tooManyRequestsIsRetriedEvenForPostWithoutKey(Mode mode) throws Exception {
    ScriptedTransport transport = new ScriptedTransport(FakeResponse.of(429), FakeResponse.of(200));
    transport.run(mode, policy().build(), post());
    assertEquals(2, transport.attempts.size());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void oneShotBodyIsNotResentOnceWritten(Mode mode) throws Exception {
    CallInfo call = CallInfo.builder("PUT", "https://api.example.com/file")
        .bodyReplayable(false).build();
    ScriptedTransport transport = new ScriptedTransport(FakeResponse.of(503));
    transport.writesBody = true;
    transport.run(mode, policy().build(), call);
    assertEquals(1, transport.attempts.size());
    assertEquals("503 Service Unavailable: the one-shot request body was already sent",
        events.last().reason());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void oneShotBodyIsRetriedAfterAConnectFailure(Mode mode) throws Exception {
    CallInfo call = CallInfo.builder("POST", "https://api.example.com/file")
        .bodyReplayable(false).build();
    ScriptedTransport transport =
        new ScriptedTransport(new ConnectException("Connection refused"), FakeResponse.of(201));
    assertEquals(201, transport.run(mode, policy().build(), call).status);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void readTimeoutOnPostWithoutKeyIsRethrownUnchanged(Mode mode) {
    SocketTimeoutException timeout = new SocketTimeoutException("Read timed out");
    Exception e = assertThrows(Exception.class,
        () -> new ScriptedTransport(timeout).run(mode, policy().build(), post()));
    assertSame(timeout, e);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void exhaustedIoFailuresThrowTheLastAttemptsOwnExceptionWithTheEarlierOnesAndTheHistory(
      Mode mode) {
    IOException first = new SocketTimeoutException("Read timed out");
    IOException second = new ConnectException("Connection refused");
    IOException third = new IOException("unexpected end of stream");
    RetryPolicy p = policy().maxAttempts(3).build();

    Exception e = assertThrows(Exception.class,
        () -> new ScriptedTransport(first, second, third).run(mode, p, get()));

    assertSame(third, e);
    Throwable[] suppressed = e.getSuppressed();
    assertEquals(3, suppressed.length);
    assertEquals(List.of(first, second), List.of(suppressed[0], suppressed[1]));
    RetriesExhaustedException report = (RetriesExhaustedException) suppressed[2];
    assertEquals(report.history(), RetriesExhaustedException.historyOf(e));
    assertEquals(3, report.attempts());
    assertEquals(-1, report.lastStatus());
    assertEquals(FailureKind.CONNECT, report.history().get(1).failureKind());
    assertEquals("GET https://api.example.com/items failed after 3 attempts:"
        + " IOException after the request was sent (GET is idempotent): all 3 attempts used",
        report.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aFailureAfterOneAttemptCarriesAHistoryOfOne(Mode mode) {
    UnknownHostException unknown = new UnknownHostException("nowhere.invalid");
    Exception e = assertThrows(Exception.class,
        () -> new ScriptedTransport(unknown).run(mode, policy().build(), get()));
    assertSame(unknown, e);
    assertEquals(1, RetriesExhaustedException.historyOf(e).size());
  }

  /** Regression: an exception instance a transport throws again must not collect a report per call. */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void theSameExceptionThrownByTwoCallsKeepsOneReport(Mode mode) {
    UnknownHostException unknown = new UnknownHostException("nowhere.invalid");
    for (int call = 0; call < 2; call++) {
      assertThrows(Exception.class,
          () -> new ScriptedTransport(unknown).run(mode, policy().build(), get()));
    }
    assertEquals(1, unknown.getSuppressed().length);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void unknownHostIsNeverRetried(Mode mode) {
    UnknownHostException unknown = new UnknownHostException("nowhere.invalid");
    Exception e = assertThrows(Exception.class,
        () -> new ScriptedTransport(unknown).run(mode, policy().build(), get()));
    assertSame(unknown, e);
    assertEquals(List.of(GIVE_UP), events.actions());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void runtimeExceptionsPropagateWithoutRetry(Mode mode) {
    IllegalStateException bug = new IllegalStateException("bug");
    Exception e = assertThrows(Exception.class,
        () -> new ScriptedTransport(bug).run(mode, policy().build(), get()));
    assertSame(bug, e);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void exceptionRulesOverrideTheBuiltInClassification(Mode mode) throws Exception {
    RetryPolicy p = policy().neverRetryOnException(SocketTimeoutException.class)
        .retryOnException(UnknownHostException.class).build();
    ScriptedTransport unknown =
        new ScriptedTransport(new UnknownHostException("flaky-dns"), FakeResponse.of(200));
    assertEquals(200, unknown.run(mode, p, get()).status);

    SocketTimeoutException timeout = new SocketTimeoutException("Read timed out");
    assertSame(timeout, assertThrows(Exception.class,
        () -> new ScriptedTransport(timeout).run(mode, p, get())));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void unauthorizedIsRetriedOnceWithRefreshedCredentials(Mode mode) throws Exception {
    RetryPolicy p = policy().credentialRefresher(() -> "Bearer fresh").build();
    ScriptedTransport transport = new ScriptedTransport(
        FakeResponse.of(401), FakeResponse.of(401));
    FakeResponse result = transport.run(mode, p, get());
    assertEquals(401, result.status);
    assertEquals(2, transport.attempts.size());
    assertNull(transport.attempts.get(0).authorization());
    assertEquals("Bearer fresh", transport.attempts.get(1).authorization());
    assertEquals(List.of(0L), events.waitsMillis());
    assertEquals("401 Unauthorized again after refreshing credentials", events.last().reason());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void unauthorizedWithoutRefresherIsReturned(Mode mode) throws Exception {
    ScriptedTransport transport = new ScriptedTransport(FakeResponse.of(401));
    transport.run(mode, policy().build(), get());
    assertEquals(1, transport.attempts.size());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void conflictIsRetriedOnlyWithAKey(Mode mode) throws Exception {
    ScriptedTransport keyless = new ScriptedTransport(FakeResponse.of(409));
    keyless.run(mode, policy().build(), get());
    assertEquals(1, keyless.attempts.size());

    CallInfo keyed = CallInfo.builder("POST", "https://api.example.com/pay")
        .callerIdempotencyKey("k").build();
    ScriptedTransport withKey = new ScriptedTransport(FakeResponse.of(409), FakeResponse.of(200));
    withKey.run(mode, policy().build(), keyed);
    assertEquals(2, withKey.attempts.size());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void payloadTooLargeIsRetriedOnlyWithRetryAfter(Mode mode) throws Exception {
    ScriptedTransport plain = new ScriptedTransport(FakeResponse.of(413));
    plain.run(mode, policy().build(), get());
    assertEquals(1, plain.attempts.size());

    ScriptedTransport hinted =
        new ScriptedTransport(FakeResponse.of(413, "Retry-After", "2"), FakeResponse.of(200));
    hinted.run(mode, policy().random(() -> 0).build(), get());
    assertEquals(2, hinted.attempts.size());
    assertEquals(List.of(2000L), events.waitsMillis());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void statusOverridesWinOverTheTable(Mode mode) throws Exception {
    RetryPolicy p = policy().retryOnStatus(404).neverRetryStatus(503).build();
    ScriptedTransport notFound = new ScriptedTransport(FakeResponse.of(404), FakeResponse.of(200));
    notFound.run(mode, p, get());
    assertEquals(2, notFound.attempts.size());

    ScriptedTransport unavailable = new ScriptedTransport(FakeResponse.of(503));
    unavailable.run(mode, p, get());
    assertEquals(1, unavailable.attempts.size());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void eventsRedactUrlSecrets(Mode mode) throws Exception {
    RetryPolicy p = policy().secretQueryParameters("session").build();
    CallInfo call = CallInfo.builder(
        "GET", "https://user:hunter2@api.example.com/x?session=abc123&page=2&token=t0k#frag").build();
    new ScriptedTransport(FakeResponse.of(503), FakeResponse.of(200)).run(mode, p, call);
    for (RetryEvent event : events.events) {
      assertEquals(
          "https://REDACTED@api.example.com/x?session=REDACTED&page=2&token=REDACTED", event.url());
      assertFalse(event.toString().contains("hunter2"));
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aThrowingListenerDoesNotChangeTheCall(Mode mode) throws Exception {
    RetryPolicy p = policy().listener(e -> { throw new IllegalStateException("boom"); }).build();
    FakeResponse ok = FakeResponse.of(200);
    assertSame(ok, new ScriptedTransport(FakeResponse.of(503), ok).run(mode, p, get()));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void successOnFirstAttemptEmitsOneReturnEvent(Mode mode) throws Exception {
    new ScriptedTransport(FakeResponse.of(200)).run(mode, policy().build(), get());
    assertEquals(1, events.events.size());
    RetryEvent event = events.last();
    assertEquals(1, event.attempt());
    assertEquals(200, event.status());
    assertEquals("2xx success", event.reason());
    assertNull(event.exceptionType());
    assertNotNull(event.toString());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void connectFailureRetriesPostWithoutKey(Mode mode) throws Exception {
    ScriptedTransport transport =
        new ScriptedTransport(new ConnectException("Connection refused"), FakeResponse.of(200));
    transport.run(mode, policy().build(), post());
    assertEquals(2, transport.attempts.size());
    assertEquals(FailureKind.CONNECT, events.events.get(0).failureKind());
    assertInstanceOf(String.class, events.events.get(0).exceptionType());
    assertEquals("java.net.ConnectException", events.events.get(0).exceptionType());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void perAttemptTimeoutIsTheSmallerOfAttemptTimeoutAndTimeLeft(Mode mode) throws Exception {
    RetryPolicy p = policy().attemptTimeout(Duration.ofSeconds(2))
        .deadline(Duration.ofMillis(2500)).build();
    ScriptedTransport transport = new ScriptedTransport(FakeResponse.of(503), FakeResponse.of(200));
    transport.run(mode, p, get());
    assertEquals(Duration.ofSeconds(2), transport.attempts.get(0).timeout());
    assertEquals(Duration.ofMillis(1500), transport.attempts.get(1).timeout());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void noTimeoutWithoutDeadlineOrAttemptTimeout(Mode mode) throws Exception {
    ScriptedTransport transport = new ScriptedTransport(FakeResponse.of(200));
    transport.run(mode, policy().build(), get());
    assertNull(transport.attempts.get(0).timeout());
    assertTrue(Map.of().isEmpty());
  }
}
