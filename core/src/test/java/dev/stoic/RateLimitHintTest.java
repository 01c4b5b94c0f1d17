package dev.stoic;

import static dev.stoic.Decision.Action.GIVE_UP;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stoic.spi.CallInfo;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.RecordingListener;
import dev.stoic.testing.ScriptedTransport.Mode;
import dev.stoic.testing.ScriptedTransport;
import dev.stoic.testing.VirtualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A 429 or 503 without Retry-After waits for a rate-limit reset hint, under the same rules. */
class RateLimitHintTest {
  final VirtualClock clock = new VirtualClock(); // 2026-11-22T10:00:00Z
  final RecordingListener events = new RecordingListener();
  final RetryPolicy policy = RetryPolicy.builder().clock(clock).random(() -> 0)
      .backoff(Backoff.fixed(Duration.ofMillis(100))).listener(events).build();
  static final CallInfo GET = CallInfo.builder("GET", "https://api.example.com/x").build();

  static FakeResponse response(int status, String... headers) {
    Map<String, List<String>> map = new java.util.HashMap<>();
    for (int i = 0; i < headers.length; i += 2) map.put(headers[i], List.of(headers[i + 1]));
    return new FakeResponse(status, map);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void tooManyRequestsWaitsForTheIetfReset(Mode mode) throws Exception {
    new ScriptedTransport(response(429, "RateLimit", "\"default\";r=0;t=3"), FakeResponse.of(200))
        .run(mode, policy, GET);
    assertEquals(List.of(3000L), events.waitsMillis());
    assertEquals("429 Too Many Requests: waiting for the rate-limit reset", events.events.get(0).reason());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void unavailableWaitsForAnEpochSecondsReset(Mode mode) throws Exception {
    long inFiveSeconds = clock.instant().getEpochSecond() + 5;
    new ScriptedTransport(
            response(503, "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", Long.toString(inFiveSeconds)),
            FakeResponse.of(200))
        .run(mode, policy, GET);
    assertEquals(List.of(5000L), events.waitsMillis());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void retryAfterWinsOverTheReset(Mode mode) throws Exception {
    new ScriptedTransport(
            response(429, "Retry-After", "2", "RateLimit-Reset", "30"), FakeResponse.of(200))
        .run(mode, policy, GET);
    assertEquals(List.of(2000L), events.waitsMillis());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aResetBeyondTheCapEndsRetrying(Mode mode) throws Exception {
    new ScriptedTransport(response(429, "RateLimit-Reset", "600")).run(mode, policy, GET);
    assertEquals(List.of(GIVE_UP), events.actions());
    assertEquals("429 Too Many Requests: the rate-limit reset of 600 s exceeds maxRetryAfter of 60 s",
        events.last().reason());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void otherStatusesIgnoreResetHints(Mode mode) throws Exception {
    new ScriptedTransport(response(502, "RateLimit-Reset", "30"), FakeResponse.of(200))
        .run(mode, policy, GET);
    assertEquals(List.of(100L), events.waitsMillis());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aMalformedRateLimitFieldIsIgnored(Mode mode) throws Exception {
    new ScriptedTransport(response(429, "RateLimit", "r=;;t=\"x"), FakeResponse.of(200))
        .run(mode, policy, GET);
    assertEquals(List.of(100L), events.waitsMillis());
  }
}
