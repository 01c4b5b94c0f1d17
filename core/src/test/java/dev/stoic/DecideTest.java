package dev.stoic;

import static dev.stoic.Decision.Action.GIVE_UP;
import static dev.stoic.Decision.Action.RETRY;
import static dev.stoic.Decision.Action.RETURN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stoic.Decision.Action;
import dev.stoic.http.FailureKind;
import dev.stoic.http.Retryability;
import dev.stoic.http.StatusTableTest;
import dev.stoic.testing.MethodClass;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * {@link RetryPolicy#decide} on its own, with no executor: a pure function of the policy and the
 * outcome. The policy here has a clock and a random source that fail when touched, and a budget
 * of one token: deciding must use none of them.
 */
class DecideTest {
  /** Equal jitter from 1 s and a draw of 0.25: 500 ms + 0.25 × 500 ms. */
  static final Duration FIRST_WAIT = Duration.ofMillis(625);

  final RetryBudget budget = RetryBudget.perHost(1, 1, 0.1);
  final RetryPolicy policy = RetryPolicy.builder()
      .clock(new UntouchableClock())
      .random(() -> {
        throw new AssertionError("decide() drew from the policy's random source");
      })
      .retryBudget(budget)
      .deadline(Duration.ofSeconds(30))
      .build();

  @Test
  void everyListedCodeGetsTheActionItsTreatmentGivesEachKindOfRequest() {
    Map<Retryability, Map<MethodClass, Action>> expected = StatusDecisionsTest.EXPECTED_ACTION;
    int decided = 0;
    for (Map.Entry<Integer, Retryability> code : StatusTableTest.EXPECTED.entrySet()) {
      for (MethodClass method : MethodClass.values()) {
        Decision decision = policy.decide(response(code.getKey(), method).build());
        assertEquals(expected.get(code.getValue()).get(method), decision.action(),
            code.getKey() + " " + method + ": " + decision);
        if (decision.action() == RETRY) assertEquals(FIRST_WAIT, decision.waitTime());
        decided++;
      }
    }
    assertEquals(4 * StatusTableTest.EXPECTED.size(), decided);
    assertEquals(1.0, budget.available("api.example.com"), "deciding spends no budget");
  }

  @Test
  void theSameOutcomeAlwaysGetsTheSameDecision() {
    Outcome outcome = response(503, MethodClass.GET).header("Retry-After", "7").build();
    Decision first = policy.decide(outcome);
    for (int i = 0; i < 100; i++) assertEquals(first, policy.decide(outcome));
    assertEquals(RETRY, first.action());
    // The hint plus a spread of draw × min(hint / 10, 1 s): 7 s + 0.25 × 700 ms.
    assertEquals(Duration.ofMillis(7175), first.waitTime());
    assertEquals("503 Service Unavailable: waiting for Retry-After", first.reason());
  }

  @Test
  void aDateHintIsReadAgainstTheOutcomesNotAClock() {
    Outcome outcome = response(429, MethodClass.POST_WITHOUT_KEY)
        .header("Retry-After", "Tue, 01 Dec 2026 12:00:10 GMT")
        .now(Instant.parse("2026-12-01T12:00:00Z"))
        .draw(0)
        .build();
    assertEquals(Duration.ofSeconds(10), policy.decide(outcome).waitTime());
  }

  @Test
  void aSuccessIsReturnedAndAllocatesNoDecision() {
    Outcome ok = response(200, MethodClass.POST_WITHOUT_KEY).build();
    assertSame(policy.decide(ok), policy.decide(ok));
    assertEquals(RETURN, policy.decide(ok).action());
  }

  @Test
  void failuresAreDecidedByKindAndSafety() {
    assertEquals(RETRY, policy.decide(Outcome.failure(new ConnectException("refused"))
        .method("POST").draw(0.25).build()).action());
    Decision readTimeout = policy.decide(Outcome.failure(new SocketTimeoutException("Read timed out"))
        .method("POST").build());
    assertEquals(GIVE_UP, readTimeout.action());
    assertEquals("SocketTimeoutException after the request was sent: POST without an idempotency"
        + " key may have been processed", readTimeout.reason());
    assertEquals(RETRY, policy.decide(Outcome.failure(new IOException("reset"))
        .method("POST").idempotencyKey(true).draw(0.25).build()).action());
    assertEquals(GIVE_UP, policy.decide(Outcome.failure(new IOException("x"))
        .failureKind(FailureKind.CANCELLED).build()).action());
  }

  @Test
  void theDeadlineIsMeasuredFromTheOutcomesElapsedTime() {
    Decision late = policy.decide(response(503, MethodClass.GET)
        .elapsed(Duration.ofMillis(29_500)).build());
    assertEquals(GIVE_UP, late.action());
    assertEquals("503 Service Unavailable: waiting 625 ms would cross the deadline (500 ms left)",
        late.reason());
    Decision clientLimit = policy.decide(response(503, MethodClass.GET)
        .callTimeout(Duration.ofSeconds(1)).elapsed(Duration.ofMillis(600)).build());
    assertEquals(GIVE_UP, clientLimit.action(), "OkHttp's call timeout counts like the deadline");
  }

  @Test
  void aRetryIsScheduledOnlyWhenItsAttemptHasAsLongAsTheLastOneTookAfterTheWait() {
    // 30 s deadline, 625 ms wait: at 29,300 ms, 75 ms would be left after the wait.
    Decision fast = policy.decide(response(503, MethodClass.GET)
        .elapsed(Duration.ofMillis(29_300)).attemptTime(Duration.ofMillis(70)).build());
    assertEquals(RETRY, fast.action());
    Decision slow = policy.decide(response(503, MethodClass.GET)
        .elapsed(Duration.ofMillis(29_300)).attemptTime(Duration.ofMillis(80)).build());
    assertEquals(GIVE_UP, slow.action());
    assertEquals(Decision.Cause.DEADLINE, slow.cause());
    assertEquals("503 Service Unavailable: after waiting 625 ms only 75 ms would be left before"
        + " the deadline, less than the 80 ms an attempt needs", slow.reason());
    Decision floor = policy.decide(response(503, MethodClass.GET)
        .elapsed(Duration.ofMillis(29_368)).build());
    assertEquals(GIVE_UP, floor.action(), "7 ms left: under the 10 ms any attempt is given");
    assertEquals(RETRY, policy.decide(response(503, MethodClass.GET)
        .elapsed(Duration.ofMillis(29_365)).build()).action(), "10 ms left");
  }

  @Test
  void theLastAttemptGivesUp() {
    Decision last = policy.decide(response(503, MethodClass.GET).attempt(5).build());
    assertEquals(GIVE_UP, last.action());
    assertEquals("503 Service Unavailable: all 5 attempts used", last.reason());
  }

  @Test
  void aHintBeyondMaxRetryAfterIsReportedInUnitsAPersonReads() {
    RetryPolicy strict = policy.toBuilder().maxRetryAfter(Duration.ofMillis(500)).build();
    Decision d = strict.decide(response(429, MethodClass.GET).header("Retry-After", "1").build());
    assertEquals("429 Too Many Requests: Retry-After of 1000 ms exceeds maxRetryAfter of 500 ms",
        d.reason());
  }

  @Test
  void badOutcomesAreRefusedWhenBuilt() {
    assertThrows(IllegalArgumentException.class, () -> Outcome.status(42));
    assertThrows(IllegalArgumentException.class, () -> Outcome.status(200).draw(1.0));
    assertThrows(IllegalArgumentException.class, () -> Outcome.status(200).attempt(0));
    assertThrows(IllegalArgumentException.class,
        () -> Outcome.status(200).elapsed(Duration.ofMillis(-1)));
    assertThrows(NullPointerException.class, () -> Outcome.failure(null));
    assertThrows(NullPointerException.class, () -> Outcome.status(200).header("Retry-After", null));
  }

  private static OutcomeBuilder response(int status, MethodClass method) {
    return Outcome.status(status)
        .method(method.method())
        .idempotencyKey(method.key() != null)
        .draw(0.25);
  }

  /** A clock that fails the test when anything reads it. */
  static final class UntouchableClock implements RetryClock {
    @Override
    public long nanoTime() {
      throw new AssertionError("decide() read the clock");
    }

    @Override
    public Instant instant() {
      throw new AssertionError("decide() read the clock");
    }

    @Override
    public void sleep(Duration duration) {
      throw new AssertionError("decide() slept");
    }

    @Override
    public void sleep(Duration duration, CompletionStage<?> wake) {
      throw new AssertionError("decide() slept");
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
      throw new AssertionError("decide() scheduled");
    }
  }

  static {
    // The fixtures this test relies on: four kinds of request.
    assertEquals(List.of("GET", "PUT", "POST", "POST"),
        List.of(MethodClass.values()).stream().map(MethodClass::method).toList());
  }
}
