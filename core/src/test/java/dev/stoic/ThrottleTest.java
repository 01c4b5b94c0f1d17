package dev.stoic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stoic.engine.CallInfo;
import dev.stoic.http.ServerHints;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.ScriptedTransport;
import dev.stoic.testing.ScriptedTransport.Mode;
import dev.stoic.testing.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The executor asks the throttle before every attempt and reports every response to it. */
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
}
