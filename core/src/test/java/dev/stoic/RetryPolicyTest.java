package dev.stoic;

import static dev.stoic.Decision.Action.GIVE_UP;
import static dev.stoic.Decision.Action.RETRY;
import static dev.stoic.Decision.Action.RETURN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.http.Retryability;
import dev.stoic.spi.CallInfo;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.RecordingListener;
import dev.stoic.testing.ScriptedTransport.Mode;
import dev.stoic.testing.ScriptedTransport;
import dev.stoic.testing.VirtualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The policy's defaults, its builder's validation, and how rules combine. */
class RetryPolicyTest {
  static final Duration DAY_AND_A_SECOND = Duration.ofDays(1).plusSeconds(1);

  @Test
  void defaultsAreFiveAttemptsDefaultBackoffSixtySecondHintsNoDeadlineAndRecognisedKeys() {
    RetryPolicy p = RetryPolicy.defaults();
    assertEquals(5, p.maxAttempts());
    assertSame(Backoff.defaults(), p.backoff());
    assertEquals(Duration.ofSeconds(60), p.maxRetryAfter());
    assertNull(p.deadline());
    assertNull(p.attemptTimeout());
    assertSame(IdempotencyKey.defaults(), p.idempotencyKey());
    assertEquals(List.of(), p.listeners());
    assertSame(Redaction.defaults(), p.redaction());
    assertSame(RetryClock.system(), p.clock());
    assertNull(p.credentialRefresher());
    assertFalse(p.throwOnFailureStatus());
    assertNull(p.exceptionRule(new IOException()));
    assertEquals(Retryability.WHEN_SAFE, p.retryability(503));
    assertSame(p, RetryPolicy.defaults());
  }

  @Test
  void anEmptyBuilderBuildsTheDefaults() {
    RetryPolicy built = RetryPolicy.builder().build();
    RetryPolicy defaults = RetryPolicy.defaults();
    assertEquals(defaults.toString(), built.toString());
    for (int code = 100; code < 600; code++) {
      assertEquals(defaults.retryability(code), built.retryability(code), "status " + code);
    }
  }

  @Test
  void theDefaultRandomDrawsAreInZeroToOne() {
    DoubleSupplier random = RetryPolicy.defaults().random();
    for (int i = 0; i < 1000; i++) {
      double draw = random.getAsDouble();
      assertTrue(draw >= 0 && draw < 1, () -> "draw " + draw);
    }
  }

  @Test
  void toBuilderKeepsEverySetting() {
    VirtualClock clock = new VirtualClock();
    DoubleSupplier random = () -> 0.5;
    CredentialRefresher refresher = () -> "Bearer fresh";
    RetryListener listener = event -> {};
    IdempotencyKey key = IdempotencyKey.header("X-Key").autoGenerate().plain();
    Backoff backoff = Backoff.fixed(Duration.ofMillis(300));
    RetryPolicy original = RetryPolicy.builder()
        .maxAttempts(7)
        .backoff(backoff)
        .maxRetryAfter(Duration.ofSeconds(9))
        .deadline(Duration.ofSeconds(20))
        .attemptTimeout(Duration.ofSeconds(4))
        .retryOnStatus(404)
        .neverRetryStatus(503)
        .statusClassifier(code -> code == 418 ? Retryability.ALWAYS : null)
        .retryOnException(UnknownHostException.class)
        .neverRetryOnException(SocketTimeoutException.class)
        .idempotencyKey(key)
        .listener(listener)
        .secretHeaders("X-Token")
        .secretQueryParameters("session")
        .clock(clock)
        .random(random)
        .credentialRefresher(refresher)
        .throwOnFailureStatus(true)
        .build();

    RetryPolicy copy = original.toBuilder().build();

    assertEquals(7, copy.maxAttempts());
    assertSame(backoff, copy.backoff());
    assertEquals(Duration.ofSeconds(9), copy.maxRetryAfter());
    assertEquals(Duration.ofSeconds(20), copy.deadline());
    assertEquals(Duration.ofSeconds(4), copy.attemptTimeout());
    assertEquals(Retryability.WHEN_SAFE, copy.retryability(404));
    assertEquals(Retryability.NEVER, copy.retryability(503));
    assertEquals(Retryability.ALWAYS, copy.retryability(418));
    assertEquals(Boolean.TRUE, copy.exceptionRule(new UnknownHostException()));
    assertEquals(Boolean.FALSE, copy.exceptionRule(new SocketTimeoutException()));
    assertSame(key, copy.idempotencyKey());
    assertEquals(List.of(listener), copy.listeners());
    assertSame(original.redaction(), copy.redaction());
    assertTrue(copy.redaction().isSecretHeader("x-token"));
    assertEquals("https://h/?session=REDACTED", copy.redaction().url("https://h/?session=s"));
    assertSame(clock, copy.clock());
    assertSame(random, copy.random());
    assertSame(refresher, copy.credentialRefresher());
    assertTrue(copy.throwOnFailureStatus());
    assertEquals(original.toString(), copy.toString());
  }

  @Test
  void changingABuilderFromToBuilderLeavesTheOriginalPolicyAlone() {
    RetryListener first = event -> {};
    RetryPolicy original = RetryPolicy.builder().listener(first).retryOnStatus(404).build();

    RetryPolicy.Builder builder = original.toBuilder()
        .maxAttempts(2)
        .neverRetryStatus(404)
        .retryOnStatus(400)
        .retryOnException(UnknownHostException.class)
        .listener(event -> {})
        .secretHeaders("X-Token")
        .deadline(Duration.ofSeconds(1));
    RetryPolicy variant = builder.build();

    assertEquals(5, original.maxAttempts());
    assertEquals(Retryability.WHEN_SAFE, original.retryability(404));
    assertEquals(Retryability.NEVER, original.retryability(400));
    assertNull(original.exceptionRule(new UnknownHostException()));
    assertEquals(List.of(first), original.listeners());
    assertFalse(original.redaction().isSecretHeader("X-Token"));
    assertNull(original.deadline());

    assertEquals(2, variant.maxAttempts());
    assertEquals(Retryability.NEVER, variant.retryability(404));
    assertEquals(2, variant.listeners().size());
  }

  @Test
  void changingABuilderAfterBuildLeavesTheBuiltPolicyAlone() {
    RetryPolicy.Builder builder = RetryPolicy.builder().retryOnStatus(404);
    RetryPolicy built = builder.build();
    builder.neverRetryStatus(404).listener(event -> {}).retryOnException(IOException.class);
    assertEquals(Retryability.WHEN_SAFE, built.retryability(404));
    assertEquals(List.of(), built.listeners());
    assertNull(built.exceptionRule(new IOException()));
  }

  @Test
  void listenersCannotBeModified() {
    RetryPolicy p = RetryPolicy.builder().listener(event -> {}).build();
    assertThrows(UnsupportedOperationException.class, () -> p.listeners().add(event -> {}));
    assertThrows(UnsupportedOperationException.class, () -> p.listeners().clear());
    assertThrows(UnsupportedOperationException.class, () -> RetryPolicy.defaults().listeners()
        .add(event -> {}));
  }

  @Test
  void listenersAreCalledInTheOrderAdded() throws Exception {
    StringBuilder order = new StringBuilder();
    RetryPolicy p = RetryPolicy.builder()
        .clock(new VirtualClock())
        .listener(event -> order.append('a'))
        .listener(event -> order.append('b'))
        .build();
    new ScriptedTransport(FakeResponse.of(200)).run(Mode.SYNC, p, get());
    assertEquals("ab", order.toString());
  }

  /* Validation: every setter, null, out of range, absurd. */

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 101, Integer.MIN_VALUE, Integer.MAX_VALUE})
  void maxAttemptsOutsideOneToOneHundredIsRejected(int attempts) {
    assertMessage(IllegalArgumentException.class, "maxAttempts must be in [1, 100]: " + attempts,
        () -> RetryPolicy.builder().maxAttempts(attempts));
  }

  @Test
  void maxAttemptsOfOneAndOneHundredAreAccepted() {
    assertEquals(1, RetryPolicy.builder().maxAttempts(1).build().maxAttempts());
    assertEquals(100, RetryPolicy.builder().maxAttempts(100).build().maxAttempts());
  }

  @Test
  void nullSettingsAreRejectedNamingTheArgument() {
    RetryPolicy.Builder b = RetryPolicy.builder();
    assertMessage(NullPointerException.class, "backoff == null", () -> b.backoff(null));
    assertMessage(NullPointerException.class, "maxRetryAfter == null", () -> b.maxRetryAfter(null));
    assertMessage(NullPointerException.class, "deadline == null", () -> b.deadline(null));
    assertMessage(NullPointerException.class, "attemptTimeout == null",
        () -> b.attemptTimeout(null));
    assertMessage(NullPointerException.class, "retryability == null",
        () -> b.statusRule(null, 500));
    assertMessage(NullPointerException.class, "codes == null",
        () -> b.statusRule(Retryability.ALWAYS, (int[]) null));
    assertMessage(NullPointerException.class, "codes == null", () -> b.retryOnStatus((int[]) null));
    assertMessage(NullPointerException.class, "classifier == null", () -> b.statusClassifier(null));
    assertMessage(NullPointerException.class, "types == null",
        () -> b.retryOnException((Class<? extends Throwable>[]) null));
    assertMessage(NullPointerException.class, "exception type == null",
        () -> b.neverRetryOnException(IOException.class, null));
    assertMessage(NullPointerException.class, "idempotencyKey == null",
        () -> b.idempotencyKey(null));
    assertMessage(NullPointerException.class, "listener == null", () -> b.listener(null));
    assertMessage(NullPointerException.class, "names == null",
        () -> b.secretHeaders((String[]) null));
    assertMessage(NullPointerException.class, "header name == null",
        () -> b.secretHeaders("X-Token", null));
    assertMessage(NullPointerException.class, "names == null",
        () -> b.secretQueryParameters((String[]) null));
    assertMessage(NullPointerException.class, "query parameter == null",
        () -> b.secretQueryParameters("session", null));
    assertMessage(NullPointerException.class, "clock == null", () -> b.clock(null));
    assertMessage(NullPointerException.class, "random == null", () -> b.random(null));
    assertMessage(NullPointerException.class, "refresher == null",
        () -> b.credentialRefresher(null));
  }

  @Test
  void maxRetryAfterMayBeZeroButNotNegativeNorLongerThanADay() {
    assertEquals(Duration.ZERO,
        RetryPolicy.builder().maxRetryAfter(Duration.ZERO).build().maxRetryAfter());
    assertMessage(IllegalArgumentException.class, "maxRetryAfter must be >= 0: -1s",
        () -> RetryPolicy.builder().maxRetryAfter(Duration.ofSeconds(-1)));
    assertMessage(IllegalArgumentException.class, "maxRetryAfter must be at most 1 day: 86401s",
        () -> RetryPolicy.builder().maxRetryAfter(DAY_AND_A_SECOND));
  }

  @Test
  void deadlineMustBePositiveAndAtMostADay() {
    assertMessage(IllegalArgumentException.class, "deadline must be > 0: 0s",
        () -> RetryPolicy.builder().deadline(Duration.ZERO));
    assertMessage(IllegalArgumentException.class, "deadline must be > 0: -1s",
        () -> RetryPolicy.builder().deadline(Duration.ofSeconds(-1)));
    assertMessage(IllegalArgumentException.class, "deadline must be at most 1 day: 86401s",
        () -> RetryPolicy.builder().deadline(DAY_AND_A_SECOND));
    assertEquals(Duration.ofDays(1),
        RetryPolicy.builder().deadline(Duration.ofDays(1)).build().deadline());
    assertNull(RetryPolicy.builder().deadline(Duration.ofSeconds(1)).noDeadline().build()
        .deadline());
  }

  @Test
  void attemptTimeoutMustBePositiveAndAtMostADay() {
    assertMessage(IllegalArgumentException.class, "attemptTimeout must be > 0: 0s",
        () -> RetryPolicy.builder().attemptTimeout(Duration.ZERO));
    assertMessage(IllegalArgumentException.class, "attemptTimeout must be > 0: -1ms",
        () -> RetryPolicy.builder().attemptTimeout(Duration.ofMillis(-1)));
    assertMessage(IllegalArgumentException.class, "attemptTimeout must be at most 1 day: 86401s",
        () -> RetryPolicy.builder().attemptTimeout(DAY_AND_A_SECOND));
  }

  @Test
  void aNegativeDeadlineWasToldItMustBeAtLeastZeroThoughZeroIsRejectedToo() {
    // Regression: the message said ">= 0" for a check that also rejects zero.
    assertMessage(IllegalArgumentException.class, "deadline must be > 0: -1s",
        () -> RetryPolicy.builder().deadline(Duration.ofSeconds(-1)));
    assertMessage(IllegalArgumentException.class, "base must be > 0: -1s",
        () -> Backoff.exponential(Duration.ofSeconds(-1), Duration.ofSeconds(1)));
  }

  @Test
  void aDurationInAnErrorPrintedAsPT5SWhileConfigurationWrites5s() {
    // Regression (issue 32): builder messages printed Duration.toString(), "PT-5S", where
    // configuration and describe() write "5s"; every message now uses the configuration form.
    assertMessage(IllegalArgumentException.class, "deadline must be > 0: -5s",
        () -> RetryPolicy.builder().deadline(Duration.ofSeconds(-5)));
    assertMessage(IllegalArgumentException.class, "cap must be >= base: cap=500ms, base=1s",
        () -> Backoff.exponential(Duration.ofSeconds(1), Duration.ofMillis(500)));
    assertMessage(IllegalArgumentException.class, "hedging.delay must be in [0, 1d]: -1500ms",
        () -> Hedging.after(Duration.ofMillis(-1500)));
    assertMessage(IllegalArgumentException.class, "elapsed must be >= 0: -5s",
        () -> Outcome.status(503).elapsed(Duration.ofSeconds(-5)));
  }

  @Test
  void anAttemptTimeoutLongerThanTheDeadlineIsAConflictFoundAtBuild() {
    assertMessage(IllegalStateException.class, "attemptTimeout (5s) exceeds deadline (2s)",
        () -> RetryPolicy.builder().attemptTimeout(Duration.ofSeconds(5))
            .deadline(Duration.ofSeconds(2)).build());
    assertMessage(IllegalStateException.class, "attemptTimeout (5s) exceeds deadline (2s)",
        () -> RetryPolicy.builder().deadline(Duration.ofSeconds(2))
            .attemptTimeout(Duration.ofSeconds(5)).build());
    RetryPolicy equal = RetryPolicy.builder().deadline(Duration.ofSeconds(2))
        .attemptTimeout(Duration.ofSeconds(2)).build();
    assertEquals(Duration.ofSeconds(2), equal.attemptTimeout());
    RetryPolicy cleared = RetryPolicy.builder().deadline(Duration.ofSeconds(2))
        .attemptTimeout(Duration.ofSeconds(5)).noDeadline().build();
    assertEquals(Duration.ofSeconds(5), cleared.attemptTimeout());
  }

  @ParameterizedTest
  @ValueSource(ints = {99, 600, 0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE})
  void statusRulesOutsideTheHttpRangeAreRejected(int code) {
    String message = "status code must be in [100, 599]: " + code;
    assertMessage(IllegalArgumentException.class, message,
        () -> RetryPolicy.builder().retryOnStatus(code));
    assertMessage(IllegalArgumentException.class, message,
        () -> RetryPolicy.builder().neverRetryStatus(code));
    assertMessage(IllegalArgumentException.class, message,
        () -> RetryPolicy.builder().statusRule(Retryability.ALWAYS, code));
  }

  @ParameterizedTest
  @ValueSource(ints = {100, 101, 200, 201, 204, 299, 300, 301, 304, 308, 399})
  void a1xx2xxOr3xxCodeCannotBeMadeRetryable(int code) {
    String message = "status " + code + " cannot be retried (WHEN_SAFE): 1xx, 2xx and 3xx"
        + " responses are not failures and are always returned as they are; only 4xx and 5xx"
        + " codes can be retried";
    assertMessage(IllegalArgumentException.class, message,
        () -> RetryPolicy.builder().retryOnStatus(code));
    assertMessage(IllegalArgumentException.class, message,
        () -> RetryPolicy.builder().statusRule(Retryability.WHEN_SAFE, 503, code));
    for (Retryability retrying : new Retryability[] {Retryability.ALWAYS, Retryability.WITH_KEY,
        Retryability.WITH_RETRY_AFTER, Retryability.AFTER_AUTH_REFRESH}) {
      assertMessage(IllegalArgumentException.class, message.replace("WHEN_SAFE", retrying.name()),
          () -> RetryPolicy.builder().statusRule(retrying, code));
    }
  }

  @Test
  void a1xx2xxOr3xxCodeMayStillBeMarkedNeverOrPassThrough() {
    RetryPolicy p = RetryPolicy.builder()
        .neverRetryStatus(200, 304)
        .statusRule(Retryability.PASS_THROUGH, 301)
        .retryOnStatus(400, 599)
        .build();
    assertEquals(Retryability.NEVER, p.retryability(200));
    assertEquals(Retryability.NEVER, p.retryability(304));
    assertEquals(Retryability.PASS_THROUGH, p.retryability(301));
    assertEquals(Retryability.WHEN_SAFE, p.retryability(400));
    assertEquals(Retryability.WHEN_SAFE, p.retryability(599));
  }

  @Test
  void anExceptionTypeThatIsNeverAnIOExceptionIsRefused() {
    assertMessage(IllegalArgumentException.class, "retryOnException(java.lang.RuntimeException)"
        + " can never apply: RuntimeException is neither an IOException nor a supertype of one,"
        + " and only IOExceptions are retried (other failures are rethrown as they are)",
        () -> RetryPolicy.builder().retryOnException(RuntimeException.class));
    assertMessage(IllegalArgumentException.class, "neverRetryOnException("
        + "java.lang.IllegalStateException) can never apply: IllegalStateException is neither an"
        + " IOException nor a supertype of one, and only IOExceptions are retried (other failures"
        + " are rethrown as they are)",
        () -> RetryPolicy.builder().neverRetryOnException(IllegalStateException.class));
    for (Class<? extends Throwable> type : List.of(Error.class, InterruptedException.class,
        UncheckedIOException.class, TimeoutException.class)) {
      assertThrows(IllegalArgumentException.class,
          () -> RetryPolicy.builder().retryOnException(type), type.getName());
      assertThrows(IllegalArgumentException.class,
          () -> RetryPolicy.builder().neverRetryOnException(type), type.getName());
    }
  }

  @Test
  void anExceptionSupertypeOfIOExceptionIsAcceptedAndMatchesEveryIOException() {
    RetryPolicy p = RetryPolicy.builder()
        .neverRetryOnException(SocketTimeoutException.class)
        .retryOnException(Exception.class)
        .neverRetryOnException(Throwable.class)
        .build();
    assertEquals(Boolean.FALSE, p.exceptionRule(new SocketTimeoutException()));
    assertEquals(Boolean.TRUE, p.exceptionRule(new UnknownHostException()));
  }

  @Test
  void aRefusedExceptionRuleAddsNoneOfItsTypes() {
    RetryPolicy.Builder b = RetryPolicy.builder();
    assertThrows(IllegalArgumentException.class,
        () -> b.retryOnException(UnknownHostException.class, RuntimeException.class));
    assertNull(b.build().exceptionRule(new UnknownHostException()));
  }

  @Test
  void aRejectedStatusRuleAddsNoneOfItsCodes() {
    RetryPolicy.Builder b = RetryPolicy.builder();
    assertThrows(IllegalArgumentException.class, () -> b.retryOnStatus(404, 600));
    assertThrows(NullPointerException.class,
        () -> b.retryOnException(UnknownHostException.class, null));
    RetryPolicy p = b.build();
    assertEquals(Retryability.NEVER, p.retryability(404));
    assertNull(p.exceptionRule(new UnknownHostException()));
  }

  @Test
  void blankSecretNamesAreRejected() {
    assertMessage(IllegalArgumentException.class, "header name is blank",
        () -> RetryPolicy.builder().secretHeaders(" "));
    assertMessage(IllegalArgumentException.class, "query parameter is blank",
        () -> RetryPolicy.builder().secretQueryParameters(""));
  }

  /* Status rules and classifier. */

  @Test
  void aClassifierReturningNullFallsBackToTheTable() {
    AtomicInteger calls = new AtomicInteger();
    RetryPolicy p = RetryPolicy.builder()
        .statusClassifier(code -> {
          calls.incrementAndGet();
          return code == 404 ? Retryability.ALWAYS : null;
        })
        .build();
    assertEquals(500, calls.get(), "called once per code 100..599 when built");
    assertEquals(Retryability.ALWAYS, p.retryability(404));
    assertEquals(Retryability.WHEN_SAFE, p.retryability(503));
    assertEquals(Retryability.WITH_KEY, p.retryability(409));
    assertEquals(Retryability.PASS_THROUGH, p.retryability(200));
    assertEquals(500, calls.get(), "decisions read the resolved table");
  }

  @Test
  void aStatusRuleWinsOverTheClassifier() {
    RetryPolicy p = RetryPolicy.builder()
        .statusClassifier(code -> Retryability.ALWAYS)
        .neverRetryStatus(503)
        .statusRule(Retryability.WITH_RETRY_AFTER, 429)
        .build();
    assertEquals(Retryability.NEVER, p.retryability(503));
    assertEquals(Retryability.WITH_RETRY_AFTER, p.retryability(429));
    assertEquals(Retryability.ALWAYS, p.retryability(400));
  }

  @Test
  void theLastRuleForACodeWins() {
    RetryPolicy p = RetryPolicy.builder().retryOnStatus(500).neverRetryStatus(500).build();
    assertEquals(Retryability.NEVER, p.retryability(500));
    RetryPolicy q = RetryPolicy.builder().neverRetryStatus(500).retryOnStatus(500).build();
    assertEquals(Retryability.WHEN_SAFE, q.retryability(500));
  }

  @Test
  void aThrowingClassifierFailsTheBuildNotTheFirstCall() {
    IllegalStateException boom = new IllegalStateException("boom");
    assertSame(boom, assertThrows(IllegalStateException.class,
        () -> RetryPolicy.builder().statusClassifier(code -> {
          throw boom;
        }).build()));
  }

  @Test
  void codesOutsideTheHttpRangeAreNeverRetriedUnlessTheClassifierSaysOtherwise() {
    assertEquals(Retryability.NEVER, RetryPolicy.defaults().retryability(600));
    assertEquals(Retryability.NEVER, RetryPolicy.defaults().retryability(-1));
    // Such codes are not resolved at build time: the classifier sees them at decision time.
    RetryPolicy p = RetryPolicy.builder()
        .statusClassifier(code -> code == 700 ? Retryability.ALWAYS : null).build();
    assertEquals(Retryability.ALWAYS, p.retryability(700));
  }

  @Test
  void theFirstMatchingExceptionRuleInConfigurationOrderWins() {
    // Like catch clauses: a broader type configured first shadows a narrower one after it.
    RetryPolicy broadFirst = RetryPolicy.builder()
        .retryOnException(IOException.class)
        .neverRetryOnException(SocketTimeoutException.class)
        .build();
    assertEquals(Boolean.TRUE, broadFirst.exceptionRule(new SocketTimeoutException()));

    RetryPolicy narrowFirst = RetryPolicy.builder()
        .neverRetryOnException(SocketTimeoutException.class)
        .retryOnException(IOException.class)
        .build();
    assertEquals(Boolean.FALSE, narrowFirst.exceptionRule(new SocketTimeoutException()));
    assertEquals(Boolean.TRUE, narrowFirst.exceptionRule(new UnknownHostException()));
    assertNull(narrowFirst.exceptionRule(new IllegalStateException()));

    // Setting a type again moves it to the end, behind the rules set since.
    RetryPolicy moved = narrowFirst.toBuilder().neverRetryOnException(SocketTimeoutException.class)
        .build();
    assertEquals(Boolean.TRUE, moved.exceptionRule(new SocketTimeoutException()));
  }

  /* Methods. */

  @ParameterizedTest
  @ValueSource(strings = {"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})
  void rfc9110IdempotentMethodsAreIdempotent(String method) {
    assertTrue(RetryPolicy.isIdempotent(method));
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "PATCH", "CONNECT", "PROPFIND", "LOCK", "QUERY", "", " GET"})
  void otherMethodsAreNotIdempotent(String method) {
    assertFalse(RetryPolicy.isIdempotent(method));
  }

  @ParameterizedTest
  @ValueSource(strings = {"get", "Get", "put", "delete", "head"})
  void isIdempotentIsCaseSensitiveAsMethodNamesAre(String method) {
    // RFC 9110 section 9.1: method names are case-sensitive, so "get" is not GET here.
    assertFalse(RetryPolicy.isIdempotent(method));
  }

  @Test
  void isIdempotentRejectsNull() {
    assertThrows(NullPointerException.class, () -> RetryPolicy.isIdempotent(null));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void callInfoKeepsTheMethodAsWrittenSoALowercaseGetIsNotAssumedIdempotent(Mode mode)
      throws Exception {
    // Method names are case-sensitive (RFC 9110 section 9.1): "get" is an unknown method, and an
    // unknown method is not repeated after an ambiguous failure. The conservative reading.
    assertEquals("get", CallInfo.builder("get", "https://h/").build().method());

    RecordingListener events = new RecordingListener();
    RetryPolicy p = RetryPolicy.builder().clock(new VirtualClock()).random(() -> 0)
        .listener(events).build();
    new ScriptedTransport(FakeResponse.of(503))
        .run(mode, p, CallInfo.builder("get", "https://h/").build());
    new ScriptedTransport(FakeResponse.of(503), FakeResponse.of(200))
        .run(mode, p, CallInfo.builder("GET", "https://h/").build());
    assertEquals(List.of(GIVE_UP, RETRY, RETURN), events.actions());
    assertEquals("get", events.events.get(0).method());
  }

  @Test
  void toStringNamesTheMainSettings() {
    assertEquals("RetryPolicy{maxAttempts=5, backoff=Backoff{base=PT1S, factor=2.0, cap=PT30S,"
        + " jitter=EQUAL}, maxRetryAfter=PT1M, deadline=null, attemptTimeout=null,"
        + " statusRules={}, idempotencyKey=IdempotencyKey{header=Idempotency-Key,"
        + " autoGenerate=false, format=PLAIN}, retryBudget=RetryBudget{perHost, capacity=20.0,"
        + " costPerRetry=1.0, refillPerSuccess=0.1, minRetriesPerSecond=10.0}, listeners=0}",
        RetryPolicy.defaults().toString());
  }

  private static CallInfo get() {
    return CallInfo.builder("GET", "https://api.example.com/items").build();
  }

  private static void assertMessage(
      Class<? extends Throwable> type, String message, Executable executable) {
    assertEquals(message, assertThrows(type, executable).getMessage());
  }
}
