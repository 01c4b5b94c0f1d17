package dev.stoic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.ThrottleTest.ScriptedGate;
import dev.stoic.ThrottleTest.ScriptedThrottle;
import dev.stoic.spi.CallInfo;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.ScriptedTransport.Mode;
import dev.stoic.testing.ScriptedTransport;
import dev.stoic.testing.VirtualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Throttle.all: every throttle's permit, the longest wait, refusals let go of the others. */
class AllThrottlesTest {
  final VirtualClock clock = new VirtualClock();
  static final CallInfo CALL = CallInfo.builder("GET", "https://api.example.com/x").build();
  static final long MS = 1_000_000L;

  RetryPolicy policy(Throttle throttle) {
    return RetryPolicy.builder().clock(clock).random(() -> 0)
        .backoff(Backoff.fixed(Duration.ofMillis(100))).throttle(throttle)
        .deadline(Duration.ofSeconds(5)).build();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void eachAttemptWaitsForTheLongestPermitAndEveryThrottleHearsEveryResponse(Mode mode)
      throws Exception {
    ScriptedThrottle pacer = new ScriptedThrottle(250 * MS, 10 * MS);
    ScriptedThrottle other = new ScriptedThrottle(40 * MS, 70 * MS);
    new ScriptedTransport(FakeResponse.of(503), FakeResponse.of(200))
        .run(mode, policy(Throttle.all(pacer, other)), CALL);
    // 250 ms (the longer first permit) + 100 ms backoff + 70 ms (the longer second permit).
    assertEquals(Duration.ofMillis(420), clock.elapsed());
    List<String> expected = List.of("reserve api.example.com", "503 []",
        "reserve api.example.com", "200 []");
    assertEquals(expected, pacer.seen);
    assertEquals(expected, other.seen);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRefusalByOneLetsGoOfThePermitsTheOthersGaveAndSendsNothing(Mode mode) {
    ScriptedGate first = new ScriptedGate();
    ScriptedGate breaker = new ScriptedGate();
    breaker.refusal = new CircuitOpenException("api.example.com", java.time.Instant.EPOCH,
        "the circuit for api.example.com is open");
    ScriptedGate last = new ScriptedGate();
    ScriptedTransport transport = new ScriptedTransport();
    CircuitOpenException e = assertThrows(CircuitOpenException.class,
        () -> transport.run(mode, policy(Throttle.all(first, breaker, last)), CALL));
    assertSame(breaker.refusal, e);
    assertEquals(0, transport.attempts.size());
    assertEquals(List.of("permit api.example.com safe", "failed CANCELLED"), first.seen);
    assertEquals(List.of("permit api.example.com safe"), breaker.seen);
    assertEquals(List.of(), last.seen, "never asked");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void noPermitFromOneFailsTheCallAsThrottled(Mode mode) {
    ScriptedGate first = new ScriptedGate();
    ScriptedTransport transport = new ScriptedTransport();
    assertThrows(ThrottledException.class, () -> transport.run(mode,
        policy(Throttle.all(first, new ScriptedThrottle(-1L))), CALL));
    assertEquals(List.of("permit api.example.com safe", "failed CANCELLED"), first.seen);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRetryIsRefusedWhenAnyThrottleRefusesIt(Mode mode) throws Exception {
    ScriptedGate pacer = new ScriptedGate();
    ScriptedGate breaker = new ScriptedGate();
    breaker.retryRefusal = "the circuit for api.example.com is open";
    ScriptedTransport transport = new ScriptedTransport(FakeResponse.of(503), FakeResponse.of(200));
    assertEquals(503, transport.run(mode, policy(Throttle.all(pacer, breaker)), CALL).status);
    assertEquals(1, transport.attempts.size());
    assertTrue(pacer.seen.contains("retry in 100 ms?"), pacer.seen.toString());
  }

  @Test
  void oneThrottleIsItselfAndBadArgumentsAreRefused() {
    ScriptedThrottle one = new ScriptedThrottle();
    assertSame(one, Throttle.all(one));
    assertThrows(NullPointerException.class, () -> Throttle.all(null));
    assertThrows(NullPointerException.class, () -> Throttle.all(one, (Throttle) null));
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> Throttle.all(one, new ScriptedThrottle(), one));
    assertEquals("throttle 3 is throttle 1 again: it would count every attempt twice",
        twice.getMessage());
  }

  @Test
  void describeNamesEveryThrottle() {
    String described = policy(Throttle.all(new ScriptedThrottle(), new ScriptedGate())).describe();
    assertTrue(described.contains("throttle = all of dev.stoic.ThrottleTest$ScriptedThrottle, "
        + "dev.stoic.ThrottleTest$ScriptedGate (set)"), described);
  }

  @Test
  void aThrottleThatThrowsOnAReportDoesNotKeepItFromTheOthers() {
    ScriptedGate throwing = new ScriptedGate();
    throwing.throwOnReport = new IllegalStateException("bug");
    ScriptedGate after = new ScriptedGate();
    Throttle both = Throttle.all(throwing, after);
    assertThrows(IllegalStateException.class,
        () -> both.onFailure("api.example.com", dev.stoic.http.FailureKind.CONNECT));
    assertEquals(List.of("failed CONNECT"), after.seen);
  }

  @Test
  void reserveNanosAsksAsForARequestNotSafeToRepeat() {
    ScriptedGate gate = new ScriptedGate();
    assertEquals(7, Throttle.all(gate, new ScriptedThrottle(7L)).reserveNanos("h"));
    assertEquals(List.of("permit h unsafe"), gate.seen);
    gate.refusal = new java.io.IOException("no");
    assertEquals(-1, Throttle.all(new ScriptedThrottle(), gate).reserveNanos("h"));
  }
}
