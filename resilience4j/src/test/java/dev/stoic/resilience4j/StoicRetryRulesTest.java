package dev.stoic.resilience4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.RetryPolicy;
import dev.stoic.testing.VirtualClock;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The config the bridge builds, function by function, with exact values and no sockets. */
class StoicRetryRulesTest {
  final VirtualClock clock = new VirtualClock();

  RetryPolicy.Builder policy() {
    return RetryPolicy.builder().clock(clock).random(() -> 0.5)
        .backoff(Backoff.fixed(Duration.ofMillis(100)));
  }

  static boolean retries(RetryConfig config, FakeHttp response) {
    return config.<FakeHttp>getResultPredicate().test(response);
  }

  static long interval(RetryConfig config, int attempt, FakeHttp response) {
    return config.<FakeHttp>getIntervalBiFunction().apply(attempt, Either.right(response));
  }

  static long interval(RetryConfig config, int attempt, Throwable failure) {
    return config.<FakeHttp>getIntervalBiFunction().apply(attempt, Either.left(failure));
  }

  @Test
  void maxAttemptsComesFromThePolicy() {
    RetryConfig config = StoicRetry.config(policy().maxAttempts(7).build(), FakeHttp.READER);
    assertEquals(7, config.getMaxAttempts());
  }

  @Test
  void serverErrorsAreRetriedOnlyWhenTheRequestIsSafeToRepeat() {
    RetryConfig config = StoicRetry.config(policy().build(), FakeHttp.READER);
    assertTrue(retries(config, new FakeHttp("GET", 503)));
    assertTrue(retries(config, new FakeHttp("PUT", 500)));
    assertTrue(retries(config, new FakeHttp("delete", 502)));
    assertFalse(retries(config, new FakeHttp("POST", 503)));
    assertFalse(retries(config, new FakeHttp("PATCH", 500)));
    assertTrue(retries(config, new FakeHttp("POST", 503).requestHeader("Idempotency-Key", "\"k\"")));
  }

  @Test
  void statusesTheServerDidNotProcessAreRetriedForAnyMethod() {
    RetryConfig config = StoicRetry.config(policy().build(), FakeHttp.READER);
    for (int status : new int[] {408, 425, 429}) {
      assertTrue(retries(config, new FakeHttp("POST", status)), "POST " + status);
    }
  }

  @Test
  void conditionalStatusesFollowTheirConditions() {
    RetryConfig config = StoicRetry.config(policy().build(), FakeHttp.READER);
    assertFalse(retries(config, new FakeHttp("PUT", 409)));
    assertTrue(retries(config, new FakeHttp("PUT", 409).requestHeader("Idempotency-Key", "k")));
    assertFalse(retries(config, new FakeHttp("PUT", 413)));
    assertTrue(retries(config, new FakeHttp("PUT", 413).header("Retry-After", "5")));
    // 401 needs a credential refresh, which the bridge cannot do.
    assertFalse(retries(config, new FakeHttp("GET", 401)));
  }

  @Test
  void successesRedirectsAndClientErrorsAreNeverRetried() {
    RetryConfig config = StoicRetry.config(policy().build(), FakeHttp.READER);
    for (int status : new int[] {200, 204, 301, 304, 400, 404, 422, 501, 505}) {
      assertFalse(retries(config, new FakeHttp("GET", status)), "GET " + status);
    }
  }

  @Test
  void thePolicysOwnStatusRulesApply() {
    RetryPolicy policy = policy().retryOnStatus(404).neverRetryStatus(503).build();
    RetryConfig config = StoicRetry.config(policy, FakeHttp.READER);
    assertTrue(retries(config, new FakeHttp("GET", 404)));
    assertFalse(retries(config, new FakeHttp("GET", 503)));
  }

  @Test
  void aHintLongerThanMaxRetryAfterReturnsTheResponseAtOnce() {
    RetryConfig config =
        StoicRetry.config(policy().maxRetryAfter(Duration.ofSeconds(60)).build(), FakeHttp.READER);
    assertTrue(retries(config, new FakeHttp("GET", 429).header("Retry-After", "60")));
    assertFalse(retries(config, new FakeHttp("GET", 429).header("Retry-After", "61")));
    assertFalse(retries(config, new FakeHttp("GET", 503).header("X-RateLimit-Reset", "120")));
  }

  @Test
  void withoutAHintTheWaitIsThePolicysBackoff() {
    RetryPolicy policy = policy()
        .backoff(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(10)).equalJitter())
        .build();
    RetryConfig config = StoicRetry.config(policy, FakeHttp.READER);
    // Equal jitter with a draw of 0.5: three quarters of 100, 200, 400 ms.
    assertEquals(75, interval(config, 1, new FakeHttp("GET", 503)));
    assertEquals(150, interval(config, 2, new FakeHttp("GET", 503)));
    assertEquals(300, interval(config, 3, new ConnectException()));
  }

  @Test
  void retryAfterIsAMinimumWithASmallSpread() {
    RetryConfig config = StoicRetry.config(policy().build(), FakeHttp.READER);
    // 2 s, plus half (the draw) of a spread of 10% of the hint: 2,100 ms.
    assertEquals(2100, interval(config, 1, new FakeHttp("GET", 429).header("Retry-After", "2")));
    // An HTTP-date is read on the policy's clock (2026-11-22T10:00:00Z): 30 s, and a spread of
    // half of 1 s (10% of the hint, capped at a second).
    assertEquals(30_500, interval(config, 1,
        new FakeHttp("GET", 503).header("Retry-After", "Sun, 22 Nov 2026 10:00:30 GMT")));
  }

  @Test
  void aRateLimitResetCountsAsAHintFor429And503Only() {
    RetryConfig config = StoicRetry.config(policy().build(), FakeHttp.READER);
    assertEquals(3150, interval(config, 1, new FakeHttp("GET", 429).header("X-RateLimit-Reset", "3")));
    assertEquals(100, interval(config, 1, new FakeHttp("GET", 500).header("X-RateLimit-Reset", "3")));
  }

  @Test
  void connectFailuresAreRetriedForAnyCallButFailuresAfterSendingOnlyForIdempotentCalls() {
    RetryPolicy policy = policy().build();
    Predicate<Throwable> any = StoicRetry.config(policy, FakeHttp.READER).getExceptionPredicate();
    Predicate<Throwable> idempotent =
        StoicRetry.configForIdempotentCalls(policy, FakeHttp.READER).getExceptionPredicate();

    assertTrue(any.test(new ConnectException("Connection refused")));
    assertTrue(any.test(new UncheckedIOException(new ConnectException("Connection refused"))));
    assertFalse(any.test(new SocketTimeoutException("Read timed out")));
    assertFalse(any.test(new IOException("unexpected end of stream")));

    assertTrue(idempotent.test(new SocketTimeoutException("Read timed out")));
    assertTrue(idempotent.test(new IOException("unexpected end of stream")));
  }

  @Test
  void hopelessFailuresAreNeverRetried() {
    Predicate<Throwable> retried =
        StoicRetry.configForIdempotentCalls(policy().build(), FakeHttp.READER).getExceptionPredicate();
    assertFalse(retried.test(new UnknownHostException("nowhere.example")));
    assertFalse(retried.test(new SSLHandshakeException("PKIX path building failed")));
    assertFalse(retried.test(new InterruptedIOException()));
    assertFalse(retried.test(new IllegalStateException("a bug")));
  }

  @Test
  void thePolicysExceptionRulesApply() {
    RetryPolicy policy = policy().neverRetryOnException(ConnectException.class).build();
    assertFalse(StoicRetry.config(policy, FakeHttp.READER).getExceptionPredicate()
        .test(new ConnectException("Connection refused")));
  }

  @Test
  void everyRetriedResponseIsClosedAndTheFinalOneReachesTheCallerOpen() throws Throwable {
    RetryConfig config = StoicRetry.config(policy().backoff(Backoff.none()).build(), FakeHttp.READER);
    List<FakeHttp> sent = new ArrayList<>(List.of(
        new FakeHttp("GET", 503), new FakeHttp("GET", 502), new FakeHttp("GET", 200)));
    List<FakeHttp> seen = new ArrayList<>();
    CheckedSupplier<FakeHttp> call = Retry.decorateCheckedSupplier(Retry.of("t", config), () -> {
      FakeHttp next = sent.remove(0);
      seen.add(next);
      return next;
    });

    FakeHttp result = call.get();

    assertSame(seen.get(2), result);
    assertEquals(1, seen.get(0).closed);
    assertEquals(1, seen.get(1).closed);
    assertEquals(0, result.closed);
  }

  @Test
  void whenAttemptsRunOutTheLastResponseIsReturnedUnclosed() throws Throwable {
    RetryPolicy policy = policy().backoff(Backoff.none()).maxAttempts(2).build();
    RetryConfig config = StoicRetry.config(policy, FakeHttp.READER);
    List<FakeHttp> seen = new ArrayList<>();
    FakeHttp result = Retry.decorateCheckedSupplier(Retry.of("t", config), () -> {
      FakeHttp next = new FakeHttp("GET", 503);
      seen.add(next);
      return next;
    }).get();

    assertEquals(2, seen.size());
    assertSame(seen.get(1), result);
    assertEquals(503, result.status);
    assertEquals(0, result.closed);
  }

  @Test
  void nullArgumentsAreRejected() {
    assertThrows(NullPointerException.class, () -> StoicRetry.config(null, FakeHttp.READER));
    assertThrows(NullPointerException.class, () -> StoicRetry.config(policy().build(), null));
  }
}
