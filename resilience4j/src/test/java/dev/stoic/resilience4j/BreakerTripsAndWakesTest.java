package dev.stoic.resilience4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.CircuitOpenException;
import dev.stoic.RetryBudget;
import dev.stoic.RetryClock;
import dev.stoic.RetryPolicy;
import dev.stoic.Throttle;
import dev.stoic.spi.CallInfo;
import dev.stoic.http.FailureKind;
import dev.stoic.http.ServerHints;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.ScriptedTransport;
import dev.stoic.testing.ScriptedTransport.Mode;
import dev.stoic.testing.VirtualClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The breaker trips on a few server faults in a row whatever came before, and calls already
 * waiting to retry on the host end when it opens, not when their wait runs out: sync and async,
 * in virtual time.
 */
class BreakerTripsAndWakesTest {
  static final String HOST = "api.example.com";
  static final CallInfo GET = CallInfo.builder("GET", "https://api.example.com/items").build();
  static final CallInfo POST = CallInfo.builder("POST", "https://api.example.com/orders").build();

  final VirtualClock clock = new VirtualClock();

  /** The defaults (a 10 s window at 50%, 5 faults in a row), open for 5 s. */
  StoicCircuitBreaker breaker(UnaryOperator<StoicCircuitBreaker.Builder> settings) {
    return settings.apply(StoicCircuitBreaker.builder().clock(clock)).build();
  }

  RetryPolicy policy(Throttle throttle) {
    return RetryPolicy.builder()
        .clock(clock)
        .random(() -> 0)
        .backoff(Backoff.fixed(Duration.ofSeconds(2)))
        .retryBudget(RetryBudget.unlimited())
        .maxAttempts(3)
        .throttle(throttle)
        .build();
  }

  static State state(StoicCircuitBreaker breaker) {
    return breaker.circuitBreaker(HOST).orElseThrow().getState();
  }

  void successes(StoicCircuitBreaker breaker, int n) {
    for (int i = 0; i < n; i++) breaker.onResponse(HOST, 200, hints(null));
  }

  ServerHints hints(String retryAfter) {
    return ServerHints.of(
        name -> name.equalsIgnoreCase("Retry-After") && retryAfter != null
            ? List.of(retryAfter) : List.of(), clock.instant());
  }

  static void faults(StoicCircuitBreaker breaker, int n) {
    for (int i = 0; i < n; i++) breaker.onFailure(HOST, FailureKind.CONNECT);
  }

  @Test
  void fiveServerFaultsInARowOpenTheCircuitWhateverTheSuccessesBefore() {
    StoicCircuitBreaker breaker = breaker(b -> b);
    successes(breaker, 1_000);
    faults(breaker, 4);
    assertEquals(State.CLOSED, state(breaker));
    faults(breaker, 1);
    assertEquals(State.OPEN, state(breaker));
  }

  @Test
  void theRateWindowAloneWaitsForAsManyFaultsAsItHeldSuccesses() {
    StoicCircuitBreaker breaker = breaker(b -> b.consecutiveFaults(0));
    successes(breaker, 100);
    faults(breaker, 99);
    assertEquals(State.CLOSED, state(breaker));
    faults(breaker, 1);
    assertEquals(State.OPEN, state(breaker));
  }

  @Test
  void anAnswerBetweenFaultsStartsTheCountAgain() {
    StoicCircuitBreaker breaker = breaker(b -> b.consecutiveFaults(3).minimumAttempts(100));
    for (int i = 0; i < 10; i++) {
      faults(breaker, 2);
      breaker.onResponse(HOST, 404, hints(null));
    }
    assertEquals(State.CLOSED, state(breaker));
    faults(breaker, 3);
    assertEquals(State.OPEN, state(breaker));
  }

  @Test
  void consecutiveFaultsRefusesANegativeCount() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StoicCircuitBreaker.builder().consecutiveFaults(-1));
    assertEquals("consecutiveFaults must be >= 0: -1", e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aCallWaitingToRetryEndsWhenTheCircuitOpensNotWhenItsWaitRunsOut(Mode mode) {
    StoicCircuitBreaker breaker = breaker(b -> b);
    successes(breaker, 100);
    clock.schedule(Duration.ofMillis(100), () -> faults(breaker, 5)); // other calls' faults
    ScriptedTransport transport = new ScriptedTransport(FakeResponse.of(503));

    CircuitOpenException e = assertThrows(CircuitOpenException.class,
        () -> transport.run(mode, policy(breaker), GET));
    assertEquals(Duration.ofMillis(100), clock.elapsed()); // not the 2 s backoff
    assertEquals(1, transport.attempts.size());
    assertEquals(clock.instant().plusSeconds(5), e.notBefore());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aCallNotSafeToRepeatWaitingToRetryEndsToo(Mode mode) {
    StoicCircuitBreaker breaker = breaker(b -> b);
    clock.schedule(Duration.ofMillis(300), () -> faults(breaker, 5));
    ScriptedTransport transport = new ScriptedTransport(
        new java.net.ConnectException("Connection refused"));

    assertThrows(CircuitOpenException.class, () -> transport.run(mode, policy(breaker), POST));
    assertEquals(Duration.ofMillis(300), clock.elapsed());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aWaitEndingAfterTheOpenIntervalGoesOnAndProbes(Mode mode) throws Exception {
    StoicCircuitBreaker breaker = breaker(b -> b.openInterval(Duration.ofSeconds(1)));
    clock.schedule(Duration.ofMillis(100), () -> faults(breaker, 5));
    ScriptedTransport transport = new ScriptedTransport(FakeResponse.of(503), FakeResponse.of(200));

    assertEquals(200, transport.run(mode, policy(breaker), GET).status);
    assertEquals(Duration.ofSeconds(2), clock.elapsed());
    assertEquals(State.CLOSED, state(breaker));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRateLimitHoldWakesTheWaitsItWouldRefuse(Mode mode) {
    StoicCircuitBreaker breaker = breaker(b -> b);
    clock.schedule(Duration.ofMillis(50), () -> breaker.onResponse(HOST, 429, hints("30")));
    ScriptedTransport transport = new ScriptedTransport(FakeResponse.of(503));

    CircuitOpenException e = assertThrows(CircuitOpenException.class,
        () -> transport.run(mode, policy(breaker), GET));
    assertEquals(Duration.ofMillis(50), clock.elapsed());
    assertTrue(e.getMessage().contains("is held until"), e.getMessage());
  }

  @Test
  void aWatchSetOnAnOpenCircuitWakesAtOnceAndACancelledOneNeverAgain() {
    StoicCircuitBreaker breaker = breaker(b -> b);
    AtomicInteger wakes = new AtomicInteger();
    RetryClock.Cancellable closed = breaker.watchRefusals(HOST, wakes::incrementAndGet);
    assertEquals(0, wakes.get()); // closed: nothing to wake for yet
    closed.cancel();
    faults(breaker, 5);
    assertEquals(0, wakes.get());
    // Opened after the retry was decided but before its wait began: woken as the watch is set.
    RetryClock.Cancellable open = breaker.watchRefusals(HOST, wakes::incrementAndGet);
    assertEquals(1, wakes.get());
    open.cancel();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aWaitEndedOnTimeLeavesNoWatchBehind(Mode mode) throws Exception {
    StoicCircuitBreaker breaker = breaker(b -> b);
    ScriptedTransport transport = new ScriptedTransport(FakeResponse.of(503), FakeResponse.of(200));
    assertEquals(200, transport.run(mode, policy(breaker), GET).status);
    assertEquals(Duration.ofSeconds(2), clock.elapsed());
    faults(breaker, 5); // nothing waits: nothing to wake, nothing scheduled
    assertEquals(0, clock.pendingTasks());
  }
}
