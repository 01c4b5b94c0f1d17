package dev.stoic;

import static dev.stoic.Decision.Action.GIVE_UP;
import static dev.stoic.Decision.Action.RETRY;
import static dev.stoic.Decision.Action.RETURN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stoic.Decision.Cause;
import dev.stoic.Decision.Action;
import dev.stoic.http.FailureKind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Every decision says why in one word ({@link Decision#cause()}), and how much of a retry's wait a
 * server hint added to the backoff ({@link Decision#hintedWaitNanos()}). Metrics count by these.
 */
class DecisionCauseTest {
  final RetryPolicy policy = RetryPolicy.builder()
      .clock(new DecideTest.UntouchableClock())
      .deadline(Duration.ofSeconds(30))
      .build();

  @Test
  void aSuccessIsReturnedForItsStatus() {
    assertDecision(RETURN, Cause.STATUS, 0, policy.decide(get(200).build()));
    assertDecision(RETURN, Cause.STATUS, 0, policy.decide(get(304).build()));
  }

  @Test
  void aRetryableStatusWithoutHintIsRetriedForItsStatus() {
    Decision d = policy.decide(get(503).build());
    assertDecision(RETRY, Cause.STATUS, 0, d);
    assertEquals(Duration.ofMillis(625), d.waitTime()); // equal jitter from 1 s, draw 0.25
  }

  @Test
  void aRetryAfterLongerThanTheBackoffSetsTheWaitAndCountsAsHinted() {
    // 5 s + 0.25 x 500 ms of spread = 5.125 s; the backoff alone would have waited 625 ms.
    Decision d = policy.decide(get(503).header("Retry-After", "5").build());
    assertDecision(RETRY, Cause.HINT, Duration.ofMillis(4500).toNanos(), d);
    assertEquals(Duration.ofMillis(5125), d.waitTime());
  }

  @Test
  void aRetryAfterShorterThanTheBackoffIsStillTheCauseButAddsNothing() {
    Decision d = policy.decide(get(503).header("Retry-After", "0").build());
    assertDecision(RETRY, Cause.HINT, 0, d);
    assertEquals(Duration.ofMillis(625), d.waitTime());
  }

  @Test
  void aRateLimitResetIsAHintToo() {
    Decision d = policy.decide(get(429).header("RateLimit-Reset", "2").build());
    // 2 s + 0.25 x 200 ms = 2.05 s, against 625 ms of backoff.
    assertDecision(RETRY, Cause.HINT, Duration.ofMillis(1425).toNanos(), d);
  }

  @Test
  void aHintBeyondMaxRetryAfterEndsTheCallForTheHint() {
    assertDecision(GIVE_UP, Cause.HINT, 0,
        policy.decide(get(503).header("Retry-After", "120").build()));
  }

  @Test
  void aHintOrAWaitPastTheDeadlineEndsTheCallForTheDeadline() {
    assertDecision(GIVE_UP, Cause.DEADLINE, 0, policy.decide(
        get(503).header("Retry-After", "20").elapsed(Duration.ofSeconds(15)).build()));
    assertDecision(GIVE_UP, Cause.DEADLINE, 0,
        policy.decide(get(503).elapsed(Duration.ofMillis(29_500)).build()));
  }

  @Test
  void theLastAttemptEndsTheCallForAttempts() {
    assertDecision(GIVE_UP, Cause.ATTEMPTS, 0, policy.decide(get(503).attempt(5).build()));
  }

  @Test
  void aStatusThatIsNeverRetriedEndsTheCallForItsStatus() {
    assertDecision(GIVE_UP, Cause.STATUS, 0, policy.decide(get(404).build()));
    assertDecision(GIVE_UP, Cause.STATUS, 0, policy.decide(get(401).build())); // no refresher
  }

  @Test
  void aRequestNotSafeToRepeatEndsTheCallAsUnsafe() {
    assertDecision(GIVE_UP, Cause.UNSAFE, 0,
        policy.decide(Outcome.status(503).method("POST").draw(0.25).build()));
    assertDecision(GIVE_UP, Cause.UNSAFE, 0, policy.decide(
        Outcome.failure(new SocketTimeoutException("Read timed out")).method("POST").build()));
    assertDecision(GIVE_UP, Cause.UNSAFE, 0, policy.decide(
        get(503).bodyReplayable(false).bodySent(true).build()));
  }

  @Test
  void failuresAreRetriedOrEndedForTheException() {
    Decision timeout = policy.decide(
        Outcome.failure(new SocketTimeoutException("Read timed out")).method("GET").draw(0.25).build());
    assertDecision(RETRY, Cause.EXCEPTION, 0, timeout);
    Decision connect = policy.decide(
        Outcome.failure(new ConnectException("refused")).method("POST").draw(0.25).build());
    assertDecision(RETRY, Cause.EXCEPTION, 0, connect);
    assertDecision(GIVE_UP, Cause.EXCEPTION, 0, policy.decide(
        Outcome.failure(new UnknownHostException("nowhere.example")).method("GET").build()));
    assertDecision(GIVE_UP, Cause.EXCEPTION, 0, policy.decide(
        Outcome.failure(new IllegalStateException("bug")).method("GET").build()));
  }

  @Test
  void aCancelOrAnInterruptEndsTheCallAsCancelled() {
    assertDecision(GIVE_UP, Cause.CANCEL, 0, policy.decide(Outcome.failure(new IOException("Canceled"))
        .failureKind(FailureKind.CANCELLED).method("GET").build()));
    assertDecision(GIVE_UP, Cause.CANCEL, 0,
        policy.decide(Outcome.failure(new InterruptedException()).method("GET").build()));
  }

  @Test
  void aDecisionBuiltWithoutCauseSaysOther() {
    assertEquals(Cause.OTHER, Decision.giveUp("by hand").cause());
    assertEquals(Cause.OTHER, Decision.retry(0, "by hand").cause());
    assertEquals(Cause.STATUS, Decision.returning("by hand").cause());
    assertEquals(Cause.BUDGET, Decision.giveUp(Cause.BUDGET, "spent").cause());
  }

  private static OutcomeBuilder get(int status) {
    return Outcome.status(status).method("GET").draw(0.25);
  }

  private static void assertDecision(Action action, Cause cause, long hintedNanos, Decision d) {
    assertEquals(action, d.action(), d.toString());
    assertEquals(cause, d.cause(), d.toString());
    assertEquals(hintedNanos, d.hintedWaitNanos(), d.toString());
  }
}
