package dev.stoic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.spi.Adapters;
import dev.stoic.spi.CallInfo;
import dev.stoic.spi.Cancellation;
import dev.stoic.spi.Router;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.ScriptedTransport.Mode;
import dev.stoic.testing.VirtualClock;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A shadowed candidate decides every real outcome and is counted exactly, in virtual time. */
class ShadowTest {
  final VirtualClock clock = new VirtualClock();

  RetryPolicy.Builder policy() {
    return RetryPolicy.builder().clock(clock).random(() -> 0.5).maxAttempts(3)
        .maxRetryAfter(Duration.ofSeconds(10))
        .backoff(Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30)).noJitter());
  }

  static CallInfo get() {
    return CallInfo.builder("GET", "https://api.example.com/items").build();
  }

  /** Runs one call through {@code live}'s router, answered by {@code script} in order. */
  FakeResponse call(Mode mode, LivePolicy live, CallInfo call, FakeResponse... script)
      throws Exception {
    Router router = Adapters.router(live);
    ArrayDeque<FakeResponse> answers = new ArrayDeque<>(Arrays.asList(script));
    var runner = router.route(null, call.host(), "/items");
    if (mode == Mode.SYNC) {
      return runner.sendSerially(call, attempt -> answers.remove(), FakeResponse.ACCESS,
          Cancellation.NEVER);
    }
    CompletableFuture<FakeResponse> result = runner.sendAsync(call,
        attempt -> CompletableFuture.completedFuture(answers.remove()), FakeResponse.ACCESS);
    clock.runAll();
    return result.get();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void candidateWithLongerMaxRetryAfterWouldRetryA429WithALongRetryAfter(Mode mode)
      throws Exception {
    LivePolicy live = LivePolicy.of(policy().build());
    live.shadow(policy().maxRetryAfter(Duration.ofMinutes(2)).build());

    FakeResponse answer =
        call(mode, live, get(), FakeResponse.of(429, "Retry-After", "30"));

    assertEquals(429, answer.status, "the live policy decided: it gave up");
    assertEquals(Duration.ZERO, clock.elapsed(), "the candidate never waits");
    ShadowReport report = live.shadowReport();
    assertEquals(1, report.calls());
    assertEquals(1, report.compared());
    assertEquals(Map.of("candidate would retry 429 for GET", 1L), report.disagreements());
    assertEquals(1, report.extraAttempts());
    // Retry-After 30 s, plus the spread that keeps hinted clients apart (1 s at most, draw 0.5).
    assertEquals(Duration.ofMillis(30_500), report.extraWait());
    assertEquals(Map.of(), report.estimatedDisagreements());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void candidateWithFewerAttemptsSavesEveryLaterAttemptAndWaitExactly(Mode mode)
      throws Exception {
    LivePolicy live = LivePolicy.of(policy().build());
    live.shadow(policy().maxAttempts(1).build());

    call(mode, live, get(), FakeResponse.of(503), FakeResponse.of(503), FakeResponse.of(200));

    assertEquals(Duration.ofSeconds(3), clock.elapsed(), "live waited 1 s and 2 s");
    ShadowReport report = live.shadowReport();
    assertEquals(Map.of("candidate gives up on 503 for GET where live retried", 1L),
        report.disagreements());
    assertEquals(1, report.divergedCalls());
    assertEquals(1, report.compared(), "after it gave up, the candidate decides nothing");
    assertEquals(-2, report.extraAttempts());
    assertEquals(Duration.ofSeconds(-3), report.extraWait());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void afterTheFirstDisagreementCountsAreEstimates(Mode mode) throws Exception {
    LivePolicy live = LivePolicy.of(policy().build());
    live.shadow(policy()
        .backoff(Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(30)).noJitter())
        .build());

    call(mode, live, get(), FakeResponse.of(503), FakeResponse.of(503), FakeResponse.of(200));

    ShadowReport report = live.shadowReport();
    assertEquals(3, report.compared());
    assertEquals(Map.of("candidate waits longer after 503 for GET", 1L), report.disagreements());
    assertEquals(Duration.ofSeconds(1), report.extraWait());
    assertEquals(Map.of("candidate waits longer after 503 for GET", 1L),
        report.estimatedDisagreements());
    assertEquals(Duration.ofSeconds(2), report.estimatedExtraWait());
    assertEquals(0, report.extraAttempts());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void candidateThatRetries503WhereLiveNeverDoesIsNamedByMethod(Mode mode) throws Exception {
    LivePolicy live = LivePolicy.of(policy().neverRetryStatus(503).build());
    live.shadow(policy().build());
    CallInfo post = CallInfo.builder("POST", "https://api.example.com/items")
        .callerIdempotencyKey("k1").build();

    call(mode, live, post, FakeResponse.of(503));
    call(mode, live, get(), FakeResponse.of(200));

    ShadowReport report = live.shadowReport();
    assertEquals(2, report.calls());
    assertEquals(Map.of("candidate would retry 503 for POST", 1L), report.disagreements());
    assertEquals(Duration.ofSeconds(1), report.extraWait());
    assertTrue(live.describe().contains("shadow.disagreement = 1 x candidate would retry 503 for POST"),
        live.describe());
  }

  @Test
  void aFailureIsNamedByItsKind() throws Exception {
    LivePolicy live = LivePolicy.of(policy().neverRetryOnException(ConnectException.class).build());
    live.shadow(policy().build());
    var runner = Adapters.router(live).route(null, "api.example.com", "/items");

    assertThrows(ConnectException.class, () -> runner.sendSerially(get(), attempt -> {
      throw new ConnectException("refused");
    }, FakeResponse.ACCESS, Cancellation.NEVER));

    assertEquals(Map.of("candidate would retry connect failure for GET", 1L),
        live.shadowReport().disagreements());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void promoteSwitchesToTheCandidateAndEndsTheShadow(Mode mode) throws Exception {
    LivePolicy live = LivePolicy.of(policy().build());
    live.shadow(policy().maxRetryAfter(Duration.ofMinutes(2)).build());
    live.promote();

    FakeResponse answer = call(mode, live, get(),
        FakeResponse.of(429, "Retry-After", "30"), FakeResponse.of(200));

    assertEquals(200, answer.status);
    assertEquals(Duration.ofMillis(30_500), clock.elapsed());
    assertNull(live.shadowReport());
    assertEquals(1, live.swaps());
  }
}
