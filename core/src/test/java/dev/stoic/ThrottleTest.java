package dev.stoic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stoic.engine.RetryExecutor;
import dev.stoic.http.FailureKind;
import dev.stoic.http.Retryability;
import dev.stoic.http.ServerHints;
import dev.stoic.spi.CallInfo;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.RecordingListener;
import dev.stoic.testing.ScriptedTransport.Mode;
import dev.stoic.testing.ScriptedTransport;
import dev.stoic.testing.VirtualClock;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The executor asks the throttle before every attempt, telling it whether the request is safe to
 * repeat, reports every response and failure to it, and asks it before a retry.
 */
class ThrottleTest {
  final VirtualClock clock = new VirtualClock();

  /** Hands out scripted waits and records what it is told. */
  static final class ScriptedThrottle implements Throttle {
    final List<Long> waits;
    final List<String> seen = new ArrayList<>();

    ScriptedThrottle(Long... waits) {
      this.waits = new ArrayList<>(List.of(waits));
    }

    @Override
    public long reserveNanos(String host) {
      seen.add("reserve " + host);
      return waits.isEmpty() ? 0 : waits.remove(0);
    }

    @Override
    public void onResponse(String host, int status, ServerHints hints) {
      seen.add(status + " " + hints.values("RateLimit-Remaining"));
    }
  }

  RetryPolicy policy(Throttle throttle) {
    return RetryPolicy.builder().clock(clock).random(() -> 0).backoff(Backoff.fixed(Duration.ofMillis(100)))
        .throttle(throttle).deadline(Duration.ofSeconds(5)).build();
  }

  static final CallInfo CALL = CallInfo.builder("GET", "https://api.example.com/x").build();

  @ParameterizedTest
  @EnumSource(Mode.class)
  void everyAttemptWaitsForItsPermitAndEveryResponseIsReported(Mode mode) throws Exception {
    ScriptedThrottle throttle = new ScriptedThrottle(250_000_000L, 50_000_000L);
    new ScriptedTransport(FakeResponse.of(503, "RateLimit-Remaining", "0"), FakeResponse.of(200))
        .run(mode, policy(throttle), CALL);
    assertEquals(List.of("reserve api.example.com", "503 [0]", "reserve api.example.com", "200 []"),
        throttle.seen);
    // 250 ms permit + 100 ms backoff + 50 ms permit.
    assertEquals(Duration.ofMillis(400), clock.elapsed());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRefusedPermitFailsTheCallWithoutSendingAnything(Mode mode) {
    ScriptedTransport transport = new ScriptedTransport();
    ThrottledException e = assertThrows(ThrottledException.class,
        () -> transport.run(mode, policy(new ScriptedThrottle(-1L)), CALL));
    assertEquals("the client-side rate limit for api.example.com has no permit available",
        e.getMessage());
    assertEquals(0, transport.attempts.size());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aPermitWaitBeyondTheDeadlineFailsAtOnce(Mode mode) {
    ScriptedTransport transport = new ScriptedTransport();
    assertThrows(ThrottledException.class,
        () -> transport.run(mode, policy(new ScriptedThrottle(6_000_000_000L)), CALL));
    assertEquals(Duration.ZERO, clock.elapsed());
  }

  /** A gate that records what the executor tells it and refuses as scripted. */
  static final class ScriptedGate implements Throttle {
    final List<String> seen = new ArrayList<>();
    IOException refusal;
    String retryRefusal;
    RuntimeException throwOnReport;

    @Override
    public long reserveNanos(String host) {
      throw new AssertionError("the executor asks permitNanos");
    }

    @Override
    public long permitNanos(String host, boolean safeToRepeat) throws IOException {
      seen.add("permit " + host + (safeToRepeat ? " safe" : " unsafe"));
      if (refusal != null) throw refusal;
      return 0;
    }

    @Override
    public void onResponse(String host, int status, Retryability treatment, ServerHints hints) {
      seen.add(status + " " + treatment);
    }

    @Override
    public void onFailure(String host, FailureKind kind) {
      seen.add("failed " + kind);
      if (throwOnReport != null) throw throwOnReport;
    }

    @Override
    public String refusesRetry(String host, long waitNanos, boolean safeToRepeat) {
      seen.add("retry in " + waitNanos / 1_000_000 + " ms?");
      if (throwOnReport != null) throw throwOnReport;
      return retryRefusal;
    }
  }

  static final CallInfo POST = CallInfo.builder("POST", "https://api.example.com/x").build();
  static final CallInfo KEYED_POST = CallInfo.builder("POST", "https://api.example.com/x")
      .callerIdempotencyKey("k").build();

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theGateLearnsWhetherTheRequestIsSafeToRepeatAndThePolicysTreatmentOfEachStatus(Mode mode)
      throws Exception {
    ScriptedGate gate = new ScriptedGate();
    RetryPolicy policy = policy(gate).toBuilder().neverRetryStatus(502).build();
    new ScriptedTransport(FakeResponse.of(503), FakeResponse.of(200)).run(mode, policy, CALL);
    new ScriptedTransport(FakeResponse.of(502)).run(mode, policy, POST);
    new ScriptedTransport(FakeResponse.of(404)).run(mode, policy, KEYED_POST);
    assertEquals(List.of(
        "permit api.example.com safe", "503 WHEN_SAFE", "retry in 100 ms?",
        "permit api.example.com safe", "200 PASS_THROUGH",
        "permit api.example.com unsafe", "502 NEVER",
        "permit api.example.com safe", "404 NEVER"), gate.seen);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void failuresAreReportedWithTheirKind(Mode mode) throws Exception {
    ScriptedGate gate = new ScriptedGate();
    new ScriptedTransport(new ConnectException("refused"), FakeResponse.of(200))
        .run(mode, policy(gate), POST);
    assertEquals(List.of("permit api.example.com unsafe", "failed CONNECT", "retry in 100 ms?",
        "permit api.example.com unsafe", "200 PASS_THROUGH"), gate.seen);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aGatesOwnRefusalEndsTheCallUnsentAndIsReported(Mode mode) {
    ScriptedGate gate = new ScriptedGate();
    gate.refusal = new CircuitOpenException("api.example.com", clock.instant().plusSeconds(5),
        "the circuit for api.example.com is open");
    RecordingListener events = new RecordingListener();
    ScriptedTransport transport = new ScriptedTransport();
    CircuitOpenException e = assertThrows(CircuitOpenException.class, () -> transport.run(mode,
        policy(gate).toBuilder().listener(events).build(), CALL));
    assertSame(gate.refusal, e);
    assertEquals(0, transport.attempts.size());
    RetryEvent refused = events.last();
    assertEquals(FailureKind.REFUSED, refused.failureKind());
    assertEquals(Decision.Action.GIVE_UP, refused.action());
    assertEquals("CircuitOpenException", refused.outcome());
    assertEquals("not sent: the circuit for api.example.com is open", refused.reason());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void anotherThrottlesRefusalMessageStaysOutOfTheEvent(Mode mode) {
    ScriptedGate gate = new ScriptedGate();
    gate.refusal = new IOException("token=s3cret");
    RecordingListener events = new RecordingListener();
    assertThrows(IOException.class, () -> new ScriptedTransport().run(mode,
        policy(gate).toBuilder().listener(events).build(), CALL));
    assertEquals("not sent: IOException from the throttle", events.last().reason());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRetryTheGateWouldRefuseEndsTheCallAtOnceAndCostsNoBudget(Mode mode) throws Exception {
    ScriptedGate gate = new ScriptedGate();
    gate.retryRefusal = "the circuit is open";
    RetryBudget budget = RetryBudget.perHost();
    RetryPolicy policy = policy(gate).toBuilder().retryBudget(budget).build();
    RecordingListener events = new RecordingListener();
    ScriptedTransport transport = new ScriptedTransport(FakeResponse.of(503));
    assertEquals(503, transport.run(mode, policy.toBuilder().listener(events).build(), CALL).status);
    assertEquals(1, transport.attempts.size());
    assertEquals(Duration.ZERO, clock.elapsed());
    assertEquals("503 Service Unavailable: the circuit is open", events.last().reason());
    assertEquals(budget.available("api.example.com"), RetryBudget.perHost().available("x"));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aGateThrowingWhenToldOfAFailureIsIgnored(Mode mode) throws Exception {
    ScriptedGate gate = new ScriptedGate();
    gate.throwOnReport = new IllegalStateException("bug");
    FakeResponse response = new ScriptedTransport(new ConnectException("refused"),
        FakeResponse.of(200)).run(mode, policy(gate), CALL);
    assertEquals(200, response.status);
  }

  @org.junit.jupiter.api.Test
  void anAsyncAttemptAbandonedByItsCallerIsReportedAsCancelled() {
    ScriptedGate gate = new ScriptedGate();
    CompletableFuture<FakeResponse> hanging = new CompletableFuture<>();
    CompletableFuture<FakeResponse> call = new RetryExecutor(policy(gate))
        .executeAsync(CALL, context -> hanging, FakeResponse.ACCESS);
    call.cancel(true);
    assertEquals(List.of("permit api.example.com safe", "failed CANCELLED"), gate.seen);
  }
}
