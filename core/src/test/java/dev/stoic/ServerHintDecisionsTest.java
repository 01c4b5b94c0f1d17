package dev.stoic;

import static dev.stoic.Decision.Action.GIVE_UP;
import static dev.stoic.Decision.Action.RETRY;
import static dev.stoic.Decision.Action.RETURN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.spi.CallInfo;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.ScriptedTransport;
import dev.stoic.testing.VirtualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Server hints beyond Retry-After in {@link RetryPolicy#decide}: waits in milliseconds
 * (retry-after-ms, x-ms-retry-after-ms) first, then Retry-After, then a rate-limit reset; and the
 * server's say on retrying (x-should-retry, Stripe-Should-Retry), which never makes an unsafe
 * repeat safe. Names are configurable on the builder; the attempt-count header is opt-in.
 */
class ServerHintDecisionsTest {
  final RetryPolicy policy = RetryPolicy.builder().deadline(Duration.ofSeconds(30)).build();

  static OutcomeBuilder outcome(int status, String method) {
    return Outcome.status(status).method(method).draw(0.25);
  }

  @Test
  void aWaitInMillisecondsWinsOverRetryAfterAndIsNeverUndercut() {
    Decision d = policy.decide(outcome(429, "POST").header("retry-after-ms", "2500")
        .header("Retry-After", "30").build());
    assertEquals(RETRY, d.action());
    // 2.5 s plus the spread, 0.25 × min(250 ms, 1 s); above the backoff of 625 ms.
    assertEquals(Duration.ofNanos(2_562_500_000L), d.waitTime());
    assertEquals("429 Too Many Requests: waiting for retry-after-ms", d.reason());
    assertTrue(d.serverHinted());

    Decision azure = policy.decide(outcome(503, "GET").header("x-ms-retry-after-ms", "1500")
        .header("Retry-After", "1").build());
    assertEquals(Duration.ofNanos(1_537_500_000L), azure.waitTime());
    assertEquals("503 Service Unavailable: waiting for x-ms-retry-after-ms", azure.reason());

    // A short hint on a later attempt: the backoff is longer, and is what Stoic waits.
    Decision later = policy.decide(outcome(503, "GET").header("retry-after-ms", "10")
        .attempt(3).build());
    assertEquals(Duration.ofMillis(2500), later.waitTime()); // 4 s nominal, equal jitter, 0.25
    assertTrue(later.serverHinted());

    Decision plain = policy.decide(outcome(503, "GET").build());
    assertFalse(plain.serverHinted(), "the backoff alone is not a server hint");
  }

  @Test
  void aWaitInMillisecondsMeetsTheSameCapAndDeadline() {
    Decision capped = policy.decide(outcome(429, "GET").header("retry-after-ms", "61000").build());
    assertEquals(GIVE_UP, capped.action());
    assertEquals("429 Too Many Requests: retry-after-ms of 61 s exceeds maxRetryAfter of 60 s",
        capped.reason());
    Decision late = policy.decide(outcome(429, "GET").header("retry-after-ms", "5000")
        .elapsed(Duration.ofSeconds(27)).build());
    assertEquals(GIVE_UP, late.action());
    assertEquals("429 Too Many Requests: retry-after-ms of 5000 ms is beyond the deadline (3000 ms left)",
        late.reason());
    // 413 is retried only with a hint; a millisecond hint is one.
    assertEquals(RETRY, policy.decide(outcome(413, "GET").header("retry-after-ms", "100").build())
        .action());
    assertEquals(GIVE_UP, policy.decide(outcome(413, "GET").build()).action());
  }

  @Test
  void shouldRetryFalseEndsRetryingWhateverTheTableSays() {
    for (String name : new String[] {"x-should-retry", "Stripe-Should-Retry"}) {
      Decision d = policy.decide(outcome(503, "GET").header(name, "false")
          .header("Retry-After", "1").build());
      assertEquals(GIVE_UP, d.action(), name);
      assertEquals("503 Service Unavailable: the server's " + name + " says not to retry",
          d.reason());
    }
    assertEquals(GIVE_UP, policy.decide(outcome(429, "GET").header("x-should-retry", "false")
        .build()).action());
    assertEquals(RETURN, policy.decide(outcome(200, "GET").header("x-should-retry", "false")
        .build()).action(), "a success is a success");
  }

  @Test
  void shouldRetryTrueRetriesWhatTheTableWouldNotButNeverAnUnsafeRepeat() {
    Decision badRequest = policy.decide(outcome(400, "GET").header("x-should-retry", "true").build());
    assertEquals(RETRY, badRequest.action());
    assertEquals("400 Bad Request (the server's x-should-retry says to retry)", badRequest.reason());
    assertEquals(GIVE_UP, policy.decide(outcome(400, "GET").build()).action(), "without the hint");

    Decision post = policy.decide(outcome(400, "POST").header("x-should-retry", "true").build());
    assertEquals(GIVE_UP, post.action());
    assertEquals("400 Bad Request (the server's x-should-retry says to retry) is not retried for"
        + " POST without an idempotency key: the server may have processed it", post.reason());
    assertEquals(RETRY, policy.decide(outcome(400, "POST").idempotencyKey(true)
        .header("Stripe-Should-Retry", "true").build()).action());
    // 409 needs a key by the table; the server's word makes an idempotent GET enough.
    assertEquals(RETRY, policy.decide(outcome(409, "GET").header("x-should-retry", "true").build())
        .action());
    // A 503 for POST stays unsafe: "true" does not say the server did not act.
    assertEquals(GIVE_UP, policy.decide(outcome(503, "POST").header("x-should-retry", "true")
        .build()).action());
    // Together with a wait, the wait applies.
    Decision waited = policy.decide(outcome(400, "GET").header("x-should-retry", "true")
        .header("retry-after-ms", "2000").build());
    assertEquals(Duration.ofMillis(2050), waited.waitTime());
  }

  @Test
  void hintsCanBeSwitchedOffOrAddedByName() {
    RetryPolicy none = policy.toBuilder().delayHintHeaders().shouldRetryHeaders().build();
    Decision d = none.decide(outcome(503, "GET").header("retry-after-ms", "100")
        .header("Retry-After", "3").header("x-should-retry", "false").build());
    assertEquals(RETRY, d.action());
    assertEquals("503 Service Unavailable: waiting for Retry-After", d.reason());

    RetryPolicy custom = policy.toBuilder().delayHintHeaders("X-Acme-Wait-Ms")
        .shouldRetryHeaders("X-Acme-Retry").build();
    Decision acme = custom.decide(outcome(503, "GET").header("x-acme-wait-ms", "700")
        .header("retry-after-ms", "100").build());
    assertEquals(Duration.ofNanos(717_500_000L), acme.waitTime());
    assertEquals("503 Service Unavailable: waiting for X-Acme-Wait-Ms", acme.reason());
    assertEquals(GIVE_UP, custom.decide(outcome(503, "GET").header("x-acme-retry", "false").build())
        .action());
    assertEquals(RETRY, custom.decide(outcome(503, "GET").header("x-should-retry", "false").build())
        .action(), "a default name no longer configured is not read");
    assertEquals(List.of("X-Acme-Wait-Ms"), custom.hintHeaders().delayMillis());
  }

  @Test
  void badHintSettingsAreRefusedNamingTheSetting() {
    RetryPolicy.Builder b = RetryPolicy.builder();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> b.delayHintHeaders("retry after ms"));
    assertEquals("delayHintHeaders: not a valid header name: \"retry after ms\"", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> b.delayHintHeaders("Retry-After"));
    assertTrue(e.getMessage().startsWith("delayHintHeaders: Retry-After is always read"));
    e = assertThrows(IllegalArgumentException.class, () -> b.shouldRetryHeaders(""));
    assertTrue(e.getMessage().startsWith("shouldRetryHeaders:"));
    assertThrows(NullPointerException.class, () -> b.shouldRetryHeaders((String[]) null));
    assertThrows(NullPointerException.class, () -> b.delayHintHeaders("a", null));
    e = assertThrows(IllegalArgumentException.class, () -> b.attemptCountHeader("X-Count", 2));
    assertEquals("attemptCountHeader: first must be 0 or 1: 2", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> b.attemptCountHeader("X Count", 1));
    assertTrue(e.getMessage().startsWith("attemptCountHeader:"));
    assertThrows(NullPointerException.class, () -> b.attemptCountHeader(null, 1));
  }

  @Test
  void theAttemptCountHeaderIsOptInAndCountsAttemptsOrRetries() throws Exception {
    assertNull(RetryPolicy.defaults().attemptCountHeader());
    RetryPolicy stainless = RetryPolicy.builder().clock(new VirtualClock()).random(() -> 0)
        .attemptCountHeader("X-Stainless-Retry-Count", 0).build();
    RetryPolicy envoy = stainless.toBuilder().attemptCountHeader("x-envoy-attempt-count", 1).build();
    for (RetryPolicy p : new RetryPolicy[] {stainless, envoy}) {
      ScriptedTransport transport = new ScriptedTransport(FakeResponse.of(503),
          new FakeResponse(429, Map.of("retry-after-ms", List.of("5"))), FakeResponse.of(200));
      transport.run(ScriptedTransport.Mode.ASYNC, p,
          CallInfo.builder("GET", "https://api.example.com/").build());
      int first = p == stainless ? 0 : 1;
      for (int i = 0; i < 3; i++) {
        assertEquals(p.attemptCountHeader(), transport.attempts.get(i).attemptCountHeader());
        assertEquals(Integer.toString(first + i), transport.attempts.get(i).attemptCountValue());
      }
    }
  }
}
