package dev.stoic.http;

import static dev.stoic.Decision.Action.GIVE_UP;
import static dev.stoic.Decision.Action.RETRY;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stoic.Backoff;
import dev.stoic.Decision;
import dev.stoic.Outcome;
import dev.stoic.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The JDK client's HTTP/2 proofs that a request was not processed, as its own source throws them,
 * and what the decision makes of such a proof. OkHttp's are tested in the OkHttp adapter's module,
 * with OkHttp's own exception types.
 */
class Http2ProofsTest {
  final RetryPolicy policy = RetryPolicy.builder().random(() -> 0.5).build();

  @Test
  void theJdksUnprocessedStreamIsAProofAndItsGoawayReceivedIsNot() {
    assertEquals(FailureKind.UNPROCESSED,
        FailureKind.of(new IOException("request not processed by peer")), "JDK 17.0.16+, 21, 25");
    assertEquals(FailureKind.UNPROCESSED,
        FailureKind.of(new IOException("Received RST_STREAM: Stream not processed")),
        "JDK 17 before 17.0.16: REFUSED_STREAM");
    assertEquals(FailureKind.UNPROCESSED,
        FailureKind.of(new IOException("too many concurrent streams")),
        "JDK 17: no stream to send it on, so nothing was sent");
    assertEquals(FailureKind.AFTER_SEND, FailureKind.of(new IOException("GOAWAY received")),
        "JDK 17 before 17.0.16 fails processed and unprocessed streams alike");
    assertEquals(FailureKind.AFTER_SEND,
        FailureKind.of(new IOException("Received RST_STREAM: Stream cancelled")));
    assertEquals(FailureKind.AFTER_SEND,
        FailureKind.of(new IOException("request not processed by peer") {}),
        "only the client's own plain IOException carries the proof");
  }

  @Test
  void aWrappedProofIsStillAProof() {
    IOException wrapped = new IOException("send failed",
        new IOException("request not processed by peer"));
    assertEquals(FailureKind.UNPROCESSED, FailureKind.of(wrapped));
  }

  @Test
  void anUnprocessedPostWithoutAKeyIsRetriedSoon() {
    Decision decision = policy.decide(Outcome.failure(new IOException("request not processed by peer"))
        .method("POST").bodySent(true).draw(0.25).build());
    assertEquals(RETRY, decision.action());
    assertEquals(Duration.ofMillis(25).toNanos(), decision.waitNanos(), "a quarter of 100 ms");
    assertEquals(Decision.Cause.EXCEPTION, decision.cause());
    assertEquals("IOException: HTTP/2 proved the request was not processed", decision.reason());
    RetryPolicy quick = policy.toBuilder().backoff(Backoff.fixed(Duration.ofMillis(40))).build();
    assertEquals(Duration.ofMillis(10).toNanos(), quick.decide(
        Outcome.failure(new IOException("request not processed by peer")).method("POST")
            .draw(0.25).build()).waitNanos(), "a quarter of a backoff under 100 ms");
    assertEquals(Duration.ofMillis(100).toNanos(), policy.decide(
        Outcome.failure(new IOException("request not processed by peer")).method("POST")
            .attempt(3).draw(0.25).build()).waitNanos(), "a quarter of 400 ms after attempt 3");
  }

  @Test
  void anUnprocessedOneShotBodyThatWentOutIsNotSentAgain() {
    Decision decision = policy.decide(Outcome.failure(new IOException("request not processed by peer"))
        .method("POST").bodySent(true).bodyReplayable(false).build());
    assertEquals(GIVE_UP, decision.action());
    assertEquals(Decision.Cause.UNSAFE, decision.cause());
  }

  @Test
  void anUnprocessedRequestStillCountsItsAttemptsAndTheDeadline() {
    IOException proof = new IOException("request not processed by peer");
    assertEquals(GIVE_UP, policy.decide(Outcome.failure(proof).method("POST").attempt(5).build())
        .action());
    RetryPolicy withDeadline = policy.toBuilder().deadline(Duration.ofSeconds(1)).build();
    Decision late = withDeadline.decide(Outcome.failure(proof).method("GET")
        .elapsed(Duration.ofMillis(995)).build());
    assertEquals(GIVE_UP, late.action());
    assertEquals(Decision.Cause.DEADLINE, late.cause());
  }

  @Test
  void aPolicyRuleStillWins() {
    RetryPolicy never = policy.toBuilder().neverRetryOnException(IOException.class).build();
    assertEquals(GIVE_UP, never.decide(Outcome.failure(new IOException("request not processed by peer"))
        .method("GET").build()).action());
  }
}
