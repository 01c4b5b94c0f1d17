package dev.stoic;

import dev.stoic.http.Retryability;
import dev.stoic.http.StatusEntry;
import dev.stoic.http.StatusTable;

import static dev.stoic.Decision.Action.GIVE_UP;
import static dev.stoic.Decision.Action.RETRY;
import static dev.stoic.Decision.Action.RETURN;
import static dev.stoic.http.Retryability.AFTER_AUTH_REFRESH;
import static dev.stoic.http.Retryability.ALWAYS;
import static dev.stoic.http.Retryability.NEVER;
import static dev.stoic.http.Retryability.PASS_THROUGH;
import static dev.stoic.http.Retryability.WHEN_SAFE;
import static dev.stoic.http.Retryability.WITH_KEY;
import static dev.stoic.http.Retryability.WITH_RETRY_AFTER;
import static dev.stoic.testing.MethodClass.GET;
import static dev.stoic.testing.MethodClass.POST_WITHOUT_KEY;
import static dev.stoic.testing.MethodClass.POST_WITH_KEY;
import static dev.stoic.testing.MethodClass.PUT;
import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.stoic.Decision.Action;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.MethodClass;
import dev.stoic.testing.RecordingListener;
import dev.stoic.testing.ScriptedTransport;
import dev.stoic.testing.ScriptedTransport.Mode;
import dev.stoic.testing.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every status code of the default table, and unknown codes of each class, run through the real
 * executor for each kind of request: the action and, for a retry, the exact wait.
 *
 * <p>Expected outcomes are written here, per {@link Retryability} and kind of request, from the
 * "Outcome classes" and "When is a retry safe" sections of the product design; the treatment of
 * each listed code is {@link StatusTableTest#EXPECTED}, written out there the same way.
 */
class StatusDecisionsTest {
  /** The action for each treatment and kind of request, with no Retry-After and no refresher. */
  static final Map<Retryability, Map<MethodClass, Action>> EXPECTED_ACTION = Map.of(
      PASS_THROUGH, actions(RETURN, RETURN, RETURN, RETURN),
      ALWAYS, actions(RETRY, RETRY, RETRY, RETRY),
      WHEN_SAFE, actions(RETRY, RETRY, GIVE_UP, RETRY),
      WITH_KEY, actions(GIVE_UP, GIVE_UP, GIVE_UP, RETRY),
      WITH_RETRY_AFTER, actions(GIVE_UP, GIVE_UP, GIVE_UP, GIVE_UP),
      AFTER_AUTH_REFRESH, actions(GIVE_UP, GIVE_UP, GIVE_UP, GIVE_UP),
      NEVER, actions(GIVE_UP, GIVE_UP, GIVE_UP, GIVE_UP));

  /** Codes the table does not list, with the treatment of their class (or invalid: NEVER). */
  static final Map<Integer, Retryability> UNKNOWN_CODES = Map.ofEntries(
      entry(150, PASS_THROUGH), entry(199, PASS_THROUGH),
      entry(250, PASS_THROUGH), entry(299, PASS_THROUGH),
      entry(350, PASS_THROUGH), entry(399, PASS_THROUGH),
      entry(419, NEVER), entry(450, NEVER), entry(498, NEVER),
      entry(509, WHEN_SAFE), entry(550, WHEN_SAFE), entry(598, WHEN_SAFE),
      entry(99, NEVER), entry(600, NEVER), entry(0, NEVER), entry(-1, NEVER), entry(1000, NEVER));

  /** Backoff.defaults() (equal jitter from 1 s) with a draw of 0.25: 500 ms + 0.25 * 500 ms. */
  static final Duration FIRST_RETRY_WAIT = Duration.ofMillis(625);

  /** Retry-After: 2 with a draw of 0.25: 2 s + 0.25 * min(2 s / 10, 1 s) = 2,050 ms. */
  static final Duration TWO_SECOND_HINT_WAIT = Duration.ofMillis(2050);

  final VirtualClock clock = new VirtualClock();
  final RecordingListener events = new RecordingListener();

  RetryPolicy.Builder policy() {
    return RetryPolicy.builder()
        .clock(clock)
        .random(() -> 0.25)
        .backoff(Backoff.defaults())
        .listener(events);
  }

  @ParameterizedTest(name = "{0} for {1} ({2})")
  @MethodSource("listedCodesByMethodAndMode")
  void everyListedCodeGetsTheActionItsTreatmentGivesThisMethod(
      int code, MethodClass method, Mode mode) throws Exception {
    Retryability retryability = dev.stoic.http.StatusTableTest.EXPECTED.get(code);
    assertNotNull(retryability, "StatusTableTest.EXPECTED has no line for " + code);
    assertDecision(code, retryability, method, mode);
  }

  static Stream<Arguments> listedCodesByMethodAndMode() {
    List<Integer> codes = new ArrayList<>();
    for (StatusEntry entry : StatusTable.defaults().entries()) codes.add(entry.code());
    return byMethodAndMode(codes);
  }

  @ParameterizedTest(name = "{0} for {1} ({2})")
  @MethodSource("unknownCodesByMethodAndMode")
  void anUnknownCodeGetsTheActionOfItsClassForThisMethod(int code, MethodClass method, Mode mode)
      throws Exception {
    assertDecision(code, UNKNOWN_CODES.get(code), method, mode);
  }

  static Stream<Arguments> unknownCodesByMethodAndMode() {
    return byMethodAndMode(UNKNOWN_CODES.keySet().stream().sorted().toList());
  }

  private void assertDecision(int code, Retryability retryability, MethodClass method, Mode mode)
      throws Exception {
    Action expected = EXPECTED_ACTION.get(retryability).get(method);
    FakeResponse first = FakeResponse.of(code);
    FakeResponse ok = FakeResponse.of(200);
    ScriptedTransport transport = new ScriptedTransport(first, ok);

    FakeResponse result = transport.run(mode, policy().build(), method.call());

    RetryEvent event = events.events.get(0);
    assertEquals(expected, event.action(), event::toString);
    assertEquals(code, event.status());
    if (expected == RETRY) {
      assertEquals(FIRST_RETRY_WAIT, event.waitTime());
      assertEquals(2, transport.attempts.size());
      assertSame(ok, result);
      assertEquals(1, first.closed, "the retried response is closed");
    } else {
      assertEquals(Duration.ZERO, event.waitTime());
      assertEquals(1, transport.attempts.size());
      assertSame(first, result, "what the server said is returned unchanged");
      assertEquals(0, first.closed, "and open");
    }
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("methodsAndModes")
  void unauthorizedWithARefresherIsRetriedAtOnceWithFreshCredentialsForAnyMethod(
      MethodClass method, Mode mode) throws Exception {
    RetryPolicy p = policy().credentialRefresher(() -> "Bearer fresh").build();
    ScriptedTransport transport = new ScriptedTransport(FakeResponse.of(401), FakeResponse.of(200));

    assertEquals(200, transport.run(mode, p, method.call()).status);

    assertEquals(List.of(RETRY, RETURN), events.actions());
    assertEquals(Duration.ZERO, events.events.get(0).waitTime());
    assertEquals("401 Unauthorized: retrying with fresh credentials",
        events.events.get(0).reason());
    assertNull(transport.attempts.get(0).authorization());
    assertEquals("Bearer fresh", transport.attempts.get(1).authorization());
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("methodsAndModes")
  void unauthorizedWithoutARefresherIsReturned(MethodClass method, Mode mode) throws Exception {
    FakeResponse unauthorized = FakeResponse.of(401);
    assertSame(unauthorized,
        new ScriptedTransport(unauthorized).run(mode, policy().build(), method.call()));
    assertEquals(List.of(GIVE_UP), events.actions());
    assertEquals("401 Unauthorized is not retried: no credential refresher is set",
        events.last().reason());
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("methodsAndModes")
  void unauthorizedIsReturnedWhenTheRefresherHasNoFreshCredentials(MethodClass method, Mode mode)
      throws Exception {
    FakeResponse unauthorized = FakeResponse.of(401);
    RetryPolicy p = policy().credentialRefresher(() -> null).build();
    assertSame(unauthorized, new ScriptedTransport(unauthorized).run(mode, p, method.call()));
    assertEquals(List.of(GIVE_UP), events.actions());
    assertEquals("401 Unauthorized: the credential refresher had no fresh credentials",
        events.last().reason());
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("methodsAndModes")
  void unauthorizedIsReturnedWhenTheRefresherThrows(MethodClass method, Mode mode)
      throws Exception {
    FakeResponse unauthorized = FakeResponse.of(401);
    RetryPolicy p = policy().credentialRefresher(() -> {
      throw new IllegalStateException("token endpoint down");
    }).build();
    assertSame(unauthorized, new ScriptedTransport(unauthorized).run(mode, p, method.call()));
    assertEquals(List.of(GIVE_UP), events.actions());
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("methodsAndModes")
  void payloadTooLargeWithRetryAfterIsRetriedAfterTheHintForAnyMethod(
      MethodClass method, Mode mode) throws Exception {
    FakeResponse tooLarge = FakeResponse.of(413, "Retry-After", "2");
    ScriptedTransport transport = new ScriptedTransport(tooLarge, FakeResponse.of(200));

    assertEquals(200, transport.run(mode, policy().build(), method.call()).status);

    assertEquals(List.of(RETRY, RETURN), events.actions());
    assertEquals(TWO_SECOND_HINT_WAIT, events.events.get(0).waitTime());
    assertEquals("413 Payload Too Large: waiting for Retry-After",
        events.events.get(0).reason());
    assertEquals(1, tooLarge.closed);
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("methodsAndModes")
  void payloadTooLargeWithAnInvalidRetryAfterIsReturned(MethodClass method, Mode mode)
      throws Exception {
    FakeResponse tooLarge = FakeResponse.of(413, "Retry-After", "soon");
    assertSame(tooLarge,
        new ScriptedTransport(tooLarge).run(mode, policy().build(), method.call()));
    assertEquals(List.of(GIVE_UP), events.actions());
    assertEquals("413 Payload Too Large is retried only when the server sends Retry-After",
        events.last().reason());
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("methodsAndModes")
  void conflictIsRetriedWithAnAutoGeneratedKeyOnlyForMethodsThatGetOne(
      MethodClass method, Mode mode) throws Exception {
    // Auto-generation keys only non-idempotent requests; GET and PUT get no key, so their 409 is
    // returned. A caller's own key (POST_WITH_KEY) is kept and makes the retry safe.
    Action expected = method == GET || method == PUT ? GIVE_UP : RETRY;
    RetryPolicy p = policy()
        .idempotencyKey(IdempotencyKey.header("Idempotency-Key").autoGenerate(() -> "auto-1"))
        .build();
    ScriptedTransport transport = new ScriptedTransport(FakeResponse.of(409), FakeResponse.of(200));

    transport.run(mode, p, method.call());

    assertEquals(expected, events.events.get(0).action());
    String sentKey = transport.attempts.get(0).idempotencyKey();
    assertEquals(method == POST_WITHOUT_KEY ? "auto-1" : null, sentKey);
  }

  static Stream<Arguments> methodsAndModes() {
    List<Arguments> all = new ArrayList<>();
    for (MethodClass method : MethodClass.values()) {
      for (Mode mode : Mode.values()) all.add(Arguments.of(method, mode));
    }
    return all.stream();
  }

  private static Stream<Arguments> byMethodAndMode(List<Integer> codes) {
    List<Arguments> all = new ArrayList<>();
    for (int code : codes) {
      for (MethodClass method : MethodClass.values()) {
        for (Mode mode : Mode.values()) all.add(Arguments.of(code, method, mode));
      }
    }
    return all.stream();
  }

  /** Actions for GET, PUT, POST without a key and POST with the caller's key, in that order. */
  private static Map<MethodClass, Action> actions(
      Action get, Action put, Action postWithoutKey, Action postWithKey) {
    return Map.of(GET, get, PUT, put, POST_WITHOUT_KEY, postWithoutKey, POST_WITH_KEY, postWithKey);
  }
}
