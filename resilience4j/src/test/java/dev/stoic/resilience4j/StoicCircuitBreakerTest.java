package dev.stoic.resilience4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.CircuitOpenException;
import dev.stoic.RetriesExhaustedException;
import dev.stoic.RetryBudget;
import dev.stoic.Decision.Action;
import dev.stoic.RetryEvent;
import dev.stoic.RetryPolicy;
import dev.stoic.engine.RetryExecutor;
import dev.stoic.http.FailureKind;
import dev.stoic.spi.CallInfo;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.RecordingListener;
import dev.stoic.testing.ScriptedTransport.Mode;
import dev.stoic.testing.ScriptedTransport;
import dev.stoic.testing.VirtualClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The breaker as a policy's throttle, through the real executor in virtual time: each scenario
 * runs the same script synchronously and asynchronously.
 */
class StoicCircuitBreakerTest {
  static final String HOST = "api.example.com";
  static final CallInfo GET = CallInfo.builder("GET", "https://api.example.com/items").build();
  static final CallInfo POST = CallInfo.builder("POST", "https://api.example.com/orders").build();
  static final CallInfo KEYED_POST = CallInfo.builder("POST", "https://api.example.com/orders")
      .callerIdempotencyKey("order-17").build();

  final VirtualClock clock = new VirtualClock();
  final Instant start = clock.instant();
  final RecordingListener events = new RecordingListener();

  /** Opens after 4 counted attempts at 50% faults; open for 5 s; one probe. */
  StoicCircuitBreaker breaker(UnaryOperator<StoicCircuitBreaker.Builder> settings) {
    return settings.apply(StoicCircuitBreaker.builder()
        .clock(clock)
        .minimumAttempts(4)
        .failureRateThreshold(50)
        .openInterval(Duration.ofSeconds(5)))
        .build();
  }

  StoicCircuitBreaker breaker() {
    return breaker(b -> b);
  }

  RetryPolicy.Builder policy(StoicCircuitBreaker breaker) {
    return RetryPolicy.builder()
        .clock(clock)
        .random(() -> 0)
        .backoff(Backoff.fixed(Duration.ofMillis(100)))
        .retryBudget(RetryBudget.unlimited())
        .maxAttempts(1)
        .listener(events)
        .throttle(breaker);
  }

  static CircuitBreaker.State state(StoicCircuitBreaker breaker) {
    return breaker.circuitBreaker(HOST).orElseThrow().getState();
  }

  static CircuitBreaker.Metrics metrics(StoicCircuitBreaker breaker) {
    return breaker.circuitBreaker(HOST).orElseThrow().getMetrics();
  }

  /** Runs one call per outcome, one attempt each, and returns the statuses (-1 for a failure). */
  static List<Integer> calls(Mode mode, RetryPolicy policy, CallInfo call, Object... outcomes) {
    List<Integer> statuses = new ArrayList<>();
    for (Object outcome : outcomes) {
      try {
        statuses.add(new ScriptedTransport(outcome).run(mode, policy, call).status);
      } catch (Exception e) {
        statuses.add(-1);
      }
    }
    return statuses;
  }

  void trip(Mode mode, StoicCircuitBreaker breaker) {
    calls(mode, policy(breaker).build(), GET, FakeResponse.of(503), FakeResponse.of(503),
        FakeResponse.of(503), FakeResponse.of(503));
    assertEquals(State.OPEN, state(breaker));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void serverFaultsOpenTheCircuitAndLaterCallsFailAtOnceWithoutBeingSent(Mode mode) {
    StoicCircuitBreaker breaker = breaker();
    RetryPolicy policy = policy(breaker).build();
    calls(mode, policy, GET, FakeResponse.of(200), FakeResponse.of(503), FakeResponse.of(200));
    assertEquals(State.CLOSED, state(breaker)); // 3 attempts: below the minimum of 4
    calls(mode, policy, GET, FakeResponse.of(502));
    assertEquals(State.OPEN, state(breaker)); // 2 faults in 4: 50%

    ScriptedTransport transport = new ScriptedTransport();
    CircuitOpenException e = assertThrows(CircuitOpenException.class,
        () -> transport.run(mode, policy, GET));
    assertEquals(0, transport.attempts.size());
    assertEquals(HOST, e.host());
    assertEquals(start.plusSeconds(5), e.notBefore());
    assertEquals("the circuit for api.example.com is open after server faults; the next probe is"
        + " allowed at 2026-11-22T10:00:05Z (in 5000 ms)", e.getMessage());
    assertEquals(Duration.ZERO, clock.elapsed());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void clientErrorsRateLimitsAndCancelsNeverCount(Mode mode) {
    StoicCircuitBreaker breaker = breaker();
    RetryPolicy policy = policy(breaker).build();
    calls(mode, policy, GET, FakeResponse.of(404), FakeResponse.of(400), FakeResponse.of(409),
        FakeResponse.of(429), FakeResponse.of(408), FakeResponse.of(401), FakeResponse.of(404),
        new CancellationException(), new CancellationException());
    assertEquals(State.CLOSED, state(breaker));
    assertEquals(0, metrics(breaker).getNumberOfFailedCalls());
    assertEquals(7, metrics(breaker).getNumberOfSuccessfulCalls()); // cancels count neither way
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void faultsAreTheServerErrorsThePolicysStatusTableRetries(Mode mode) {
    StoicCircuitBreaker breaker = breaker(b -> b.minimumAttempts(100).consecutiveFaults(0));
    RetryPolicy policy = policy(breaker).build();
    // Retried when safe by the default table: 500, 502, 503, 504, 599, and an unlisted 5xx.
    calls(mode, policy, GET, FakeResponse.of(500), FakeResponse.of(502), FakeResponse.of(503),
        FakeResponse.of(504), FakeResponse.of(599), FakeResponse.of(520));
    assertEquals(6, metrics(breaker).getNumberOfFailedCalls());
    // Never retried: the server answered deliberately, it is not failing.
    calls(mode, policy, GET, FakeResponse.of(501), FakeResponse.of(505), FakeResponse.of(507),
        FakeResponse.of(511));
    assertEquals(6, metrics(breaker).getNumberOfFailedCalls());
    assertEquals(4, metrics(breaker).getNumberOfSuccessfulCalls());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aPolicyRuleChangesWhatCounts(Mode mode) {
    StoicCircuitBreaker breaker = breaker(b -> b.minimumAttempts(100));
    RetryPolicy policy = policy(breaker).neverRetryStatus(503).retryOnStatus(501).build();
    calls(mode, policy, GET, FakeResponse.of(503), FakeResponse.of(501));
    assertEquals(1, metrics(breaker).getNumberOfFailedCalls());
    assertEquals(1, metrics(breaker).getNumberOfSuccessfulCalls());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void timeoutsResetsAndConnectFailuresCountButUnknownHostsDoNot(Mode mode) {
    StoicCircuitBreaker breaker = breaker(b -> b.minimumAttempts(100));
    RetryPolicy policy = policy(breaker).build();
    calls(mode, policy, GET, new SocketTimeoutException("timeout"),
        new ConnectException("Connection refused"), new IOException("unexpected end of stream"),
        new UnknownHostException(HOST));
    assertEquals(3, metrics(breaker).getNumberOfFailedCalls());
    assertEquals(0, metrics(breaker).getNumberOfSuccessfulCalls());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void a429HoldsTheHostUntilItsHintThenCallsGoOnWithoutAHalfOpenPhase(Mode mode)
      throws Exception {
    StoicCircuitBreaker breaker = breaker();
    List<State> transitions = new ArrayList<>();
    RetryPolicy policy = policy(breaker).build();
    calls(mode, policy, GET, FakeResponse.of(429, "Retry-After", "3"));
    breaker.circuitBreaker(HOST).orElseThrow().getEventPublisher()
        .onStateTransition(e -> transitions.add(e.getStateTransition().getToState()));

    ScriptedTransport refused = new ScriptedTransport();
    CircuitOpenException e = assertThrows(CircuitOpenException.class,
        () -> refused.run(mode, policy, POST));
    assertEquals(start.plusSeconds(3), e.notBefore());
    assertEquals("api.example.com is held until 2026-11-22T10:00:03Z (in 3000 ms) as its"
        + " rate-limit hint asked", e.getMessage());
    assertEquals(0, refused.attempts.size());

    clock.advance(Duration.ofSeconds(3));
    // Every kind of request goes again, several at once: nothing probes.
    assertEquals(List.of(200, 200, 200),
        calls(mode, policy, POST, FakeResponse.of(200), FakeResponse.of(200), FakeResponse.of(200)));
    assertEquals(List.of(), transitions);
    assertEquals(State.CLOSED, state(breaker));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theCallThatGotThe429RetriesAtTheHintAndIsNotHeldBack(Mode mode) throws Exception {
    StoicCircuitBreaker breaker = breaker();
    ScriptedTransport transport = new ScriptedTransport(
        FakeResponse.of(429, "Retry-After", "2"), FakeResponse.of(200));
    assertEquals(200, transport.run(mode, policy(breaker).maxAttempts(3).build(), GET).status);
    assertEquals(Duration.ofSeconds(2), clock.elapsed());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aSpentQuotaHoldsTheHostUntilItsReset(Mode mode) {
    StoicCircuitBreaker breaker = breaker();
    RetryPolicy policy = policy(breaker).build();
    calls(mode, policy, GET, new FakeResponse(200, java.util.Map.of(
        "RateLimit-Remaining", List.of("0"), "RateLimit-Reset", List.of("7"))));
    CircuitOpenException e = assertThrows(CircuitOpenException.class,
        () -> new ScriptedTransport().run(mode, policy, GET));
    assertEquals(start.plusSeconds(7), e.notBefore());
    clock.advance(Duration.ofSeconds(7));
    assertEquals(List.of(200), calls(mode, policy, GET, FakeResponse.of(200)));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theCircuitStaysOpenForTheServersHintWhenItIsLonger(Mode mode) {
    StoicCircuitBreaker breaker = breaker();
    RetryPolicy policy = policy(breaker).build();
    calls(mode, policy, GET, FakeResponse.of(503), FakeResponse.of(503), FakeResponse.of(503),
        FakeResponse.of(503, "Retry-After", "20"));
    assertEquals(State.OPEN, state(breaker));
    clock.advance(Duration.ofSeconds(10));
    CircuitOpenException e = assertThrows(CircuitOpenException.class,
        () -> new ScriptedTransport().run(mode, policy, GET));
    assertEquals(start.plusSeconds(20), e.notBefore());

    clock.advance(Duration.ofSeconds(10).plusMillis(1));
    assertEquals(List.of(200), calls(mode, policy, GET, FakeResponse.of(200)));
    assertEquals(State.CLOSED, state(breaker));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aShorterHintLeavesTheConfiguredInterval(Mode mode) {
    StoicCircuitBreaker breaker = breaker();
    RetryPolicy policy = policy(breaker).build();
    calls(mode, policy, GET, FakeResponse.of(503), FakeResponse.of(503), FakeResponse.of(503),
        FakeResponse.of(503, "Retry-After", "1"));
    CircuitOpenException e = assertThrows(CircuitOpenException.class,
        () -> new ScriptedTransport().run(mode, policy, GET));
    assertEquals(start.plusSeconds(5), e.notBefore());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void onlyRequestsSafeToRepeatProbe(Mode mode) throws Exception {
    StoicCircuitBreaker breaker = breaker();
    RetryPolicy policy = policy(breaker).build();
    trip(mode, breaker);
    clock.advance(Duration.ofSeconds(6));

    ScriptedTransport post = new ScriptedTransport();
    CircuitOpenException e = assertThrows(CircuitOpenException.class,
        () -> post.run(mode, policy, POST));
    assertEquals(0, post.attempts.size());
    assertTrue(e.getMessage().contains("only requests safe to repeat"), e.getMessage());
    assertEquals(State.OPEN, state(breaker)); // the POST did not turn it half-open

    // A keyed POST may probe; its success closes the circuit, and plain POSTs go again.
    assertEquals(200, new ScriptedTransport(FakeResponse.of(200)).run(mode, policy, KEYED_POST).status);
    assertEquals(State.CLOSED, state(breaker));
    assertEquals(200, new ScriptedTransport(FakeResponse.of(200)).run(mode, policy, POST).status);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aFailedProbeOpensTheCircuitForAnotherInterval(Mode mode) {
    StoicCircuitBreaker breaker = breaker();
    RetryPolicy policy = policy(breaker).build();
    trip(mode, breaker);
    clock.advance(Duration.ofSeconds(5).plusMillis(1));
    assertEquals(List.of(503), calls(mode, policy, GET, FakeResponse.of(503)));
    CircuitOpenException e = assertThrows(CircuitOpenException.class,
        () -> new ScriptedTransport().run(mode, policy, GET));
    assertEquals(clock.instant().plusSeconds(5), e.notBefore());
  }

  @Test
  void aHalfOpenCircuitLetsOneProbeThroughAtATime() throws Exception {
    StoicCircuitBreaker breaker = breaker();
    trip(Mode.SYNC, breaker);
    clock.advance(Duration.ofSeconds(5).plusMillis(1));
    assertEquals(0, breaker.permitNanos(HOST, true));
    CircuitOpenException e = assertThrows(CircuitOpenException.class,
        () -> breaker.permitNanos(HOST, true));
    assertTrue(e.getMessage().startsWith(
        "the circuit for api.example.com is half-open and its probe is in flight"), e.getMessage());
    assertEquals(-1, breaker.reserveNanos(HOST));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRetryThatWouldMeetTheOpenCircuitEndsTheCallAtOnce(Mode mode) throws Exception {
    StoicCircuitBreaker breaker = breaker(b -> b.minimumAttempts(2));
    RetryPolicy policy = policy(breaker).maxAttempts(5).build();
    ScriptedTransport transport = new ScriptedTransport(FakeResponse.of(503), FakeResponse.of(503));

    assertEquals(503, transport.run(mode, policy, GET).status);
    assertEquals(2, transport.attempts.size());
    assertEquals(Duration.ofMillis(100), clock.elapsed()); // one backoff, none after the trip
    RetryEvent last = events.last();
    assertEquals(Action.GIVE_UP, last.action());
    assertTrue(last.reason().startsWith("503 Service Unavailable: the circuit for api.example.com"
        + " is open after server faults; the next probe is allowed at"), last.reason());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aFailingCallEndsWithItsOwnFailureWhenTheCircuitOpens(Mode mode) {
    StoicCircuitBreaker breaker = breaker(b -> b.minimumAttempts(2));
    RetryPolicy policy = policy(breaker).maxAttempts(5).build();
    ScriptedTransport transport = new ScriptedTransport(
        new ConnectException("Connection refused"), new ConnectException("Connection refused"));

    ConnectException e = assertThrows(ConnectException.class,
        () -> transport.run(mode, policy, POST));
    assertEquals(2, transport.attempts.size());
    RetriesExhaustedException report = (RetriesExhaustedException) e.getSuppressed()[1];
    assertTrue(report.getMessage().contains("the circuit for api.example.com is not closed"),
        report.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRefusedCallIsReportedToListenersLikeAnyOtherEnd(Mode mode) {
    StoicCircuitBreaker breaker = breaker();
    trip(mode, breaker);
    assertThrows(CircuitOpenException.class,
        () -> new ScriptedTransport().run(mode, policy(breaker).build(), GET));
    RetryEvent refused = events.last();
    assertEquals(1, refused.attempt());
    assertEquals(-1, refused.status());
    assertEquals("dev.stoic.CircuitOpenException", refused.exceptionType());
    assertEquals(FailureKind.REFUSED, refused.failureKind());
    assertEquals(Action.GIVE_UP, refused.action());
    assertTrue(refused.reason().startsWith("not sent: the circuit for api.example.com is open"),
        refused.reason());
  }

  @Test
  void anAsyncProbeCancelledByItsCallerGivesItsPermitBack() throws Exception {
    StoicCircuitBreaker breaker = breaker();
    trip(Mode.ASYNC, breaker);
    clock.advance(Duration.ofSeconds(5).plusMillis(1));
    RetryExecutor executor = new RetryExecutor(policy(breaker).build());
    CompletableFuture<FakeResponse> hanging = new CompletableFuture<>();
    CompletableFuture<FakeResponse> probe =
        executor.executeAsync(GET, context -> hanging, FakeResponse.ACCESS);
    assertEquals(State.HALF_OPEN, state(breaker));

    probe.cancel(true);
    assertTrue(hanging.isCancelled());
    // The permit came back: the next request probes, and closes the circuit.
    assertEquals(200, new ScriptedTransport(FakeResponse.of(200))
        .run(Mode.ASYNC, policy(breaker).build(), GET).status);
    assertEquals(State.CLOSED, state(breaker));
  }

  @Test
  void aProbeNeverAnsweredIsWrittenOffAfterMaxProbeTime() throws Exception {
    StoicCircuitBreaker breaker = breaker(b -> b.maxProbeTime(Duration.ofSeconds(30)));
    trip(Mode.SYNC, breaker);
    clock.advance(Duration.ofSeconds(5).plusMillis(1));
    assertEquals(0, breaker.permitNanos(HOST, true)); // a probe that will never report
    clock.advance(Duration.ofSeconds(29));
    assertThrows(CircuitOpenException.class, () -> breaker.permitNanos(HOST, true));
    assertEquals(State.HALF_OPEN, state(breaker));

    clock.advance(Duration.ofSeconds(1));
    CircuitOpenException e = assertThrows(CircuitOpenException.class,
        () -> breaker.permitNanos(HOST, true));
    assertEquals(State.OPEN, state(breaker));
    assertEquals(clock.instant().plusSeconds(5), e.notBefore());
    clock.advance(Duration.ofSeconds(5).plusMillis(1));
    assertEquals(0, breaker.permitNanos(HOST, true));
  }

  @Test
  void aThrottleReportForAnUnknownHostCreatesItsBreaker() {
    StoicCircuitBreaker breaker = breaker();
    assertNull(breaker.refusesRetry("other.example.com", 0, true));
    assertFalse(breaker.circuitBreaker("other.example.com").isPresent());
    breaker.onFailure("other.example.com", FailureKind.CONNECT);
    assertEquals(1, breaker.circuitBreaker("other.example.com").orElseThrow().getMetrics()
        .getNumberOfFailedCalls());
  }
}
