package dev.stoic;

import static dev.stoic.Decision.Action.GIVE_UP;
import static dev.stoic.Decision.Action.RETRY;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stoic.spi.CallInfo;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.RecordingListener;
import dev.stoic.testing.ScriptedTransport.Mode;
import dev.stoic.testing.ScriptedTransport;
import dev.stoic.testing.VirtualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The deadline against a server that always answers 503, in virtual time, on every path into
 * the decision: sync and async, and with the response decided when it arrives or early, from its
 * status and headers before the body is read (as the JDK adapter does). Regression for "JDK
 * adapter: retries are scheduled past the deadline": the early path decided with the elapsed time
 * of the call's start, so waits crossed the deadline and the last attempt timed out.
 */
class DeadlineTest {
  final VirtualClock clock = new VirtualClock();
  final RecordingListener events = new RecordingListener();

  ScriptedTransport alwaysUnavailable(Duration eachAttemptTakes, boolean decidesEarly) {
    Object[] script = new Object[10];
    for (int i = 0; i < script.length; i++) script[i] = FakeResponse.of(503);
    ScriptedTransport transport = new ScriptedTransport(script);
    transport.eachAttempt = () -> clock.advance(eachAttemptTakes);
    transport.decidesEarly = decidesEarly;
    return transport;
  }

  RetryPolicy policy(Duration deadline) {
    return RetryPolicy.builder()
        .clock(clock)
        .random(() -> 0.5)
        .maxAttempts(10)
        .backoff(Backoff.fixed(Duration.ofMillis(150)))
        .deadline(deadline)
        .listener(events)
        .build();
  }

  @ParameterizedTest
  @CsvSource({"SYNC, false", "SYNC, true", "ASYNC, false", "ASYNC, true"})
  void theLast503IsReturnedAndNoWaitCrossesTheDeadline(Mode mode, boolean decidesEarly)
      throws Exception {
    ScriptedTransport transport = alwaysUnavailable(Duration.ofMillis(5), decidesEarly);

    FakeResponse last = transport.run(mode, policy(Duration.ofMillis(500)),
        CallInfo.builder("GET", "https://api.example.com/items").build());

    // Sent at 0, 155, 310, 465; answered 5 ms later each; at 470 a wait of 150 ms crosses 500.
    assertEquals(503, last.status);
    assertEquals(4, transport.attempts.size());
    assertEquals(List.of(RETRY, RETRY, RETRY, GIVE_UP), events.actions());
    assertEquals(List.of(150L, 150L, 150L), events.waitsMillis());
    assertEquals(Duration.ofMillis(470), clock.elapsed());
    assertEquals(Duration.ofMillis(470), events.last().elapsed());
    assertEquals("503 Service Unavailable: waiting 150 ms would cross the deadline (30 ms left)",
        events.last().reason());
    for (int i = 0; i < 4; i++) {
      assertEquals(i + 1, transport.attempts.get(i).attempt(), "attempt numbers");
      assertEquals(i == 0 ? 0 : 150_000_000L, transport.attempts.get(i).previousWaitNanos());
    }
    assertEquals(Duration.ofMillis(35), transport.attempts.get(3).timeout(),
        "the last attempt is given the time left before the deadline");
  }

  @ParameterizedTest
  @CsvSource({"SYNC, false", "SYNC, true", "ASYNC, false", "ASYNC, true"})
  void noRetryIsSentWithLessTimeLeftThanTheLastAttemptTook(Mode mode, boolean decidesEarly)
      throws Exception {
    ScriptedTransport transport = alwaysUnavailable(Duration.ofMillis(40), decidesEarly);

    FakeResponse last = transport.run(mode, policy(Duration.ofMillis(410)),
        CallInfo.builder("GET", "https://api.example.com/items").build());

    // Sent at 0 and 190, answered at 40 and 230: after a 150 ms wait only 30 ms would be left.
    assertEquals(503, last.status);
    assertEquals(2, transport.attempts.size());
    assertEquals(List.of(RETRY, GIVE_UP), events.actions());
    assertEquals("503 Service Unavailable: after waiting 150 ms only 30 ms would be left before"
        + " the deadline, less than the 40 ms an attempt needs", events.last().reason());
  }
}
