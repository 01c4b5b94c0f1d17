package dev.stoic;

import static dev.stoic.FailureKind.INTERRUPTED;
import static dev.stoic.FailureKind.NOT_IO;
import static dev.stoic.RetryEvent.Action.GIVE_UP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.stoic.internal.CallInfo;
import dev.stoic.internal.FailureClassifier;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.RecordingListener;
import dev.stoic.testing.ScriptedTransport;
import dev.stoic.testing.ScriptedTransport.Mode;
import dev.stoic.testing.VirtualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.channels.ClosedByInterruptException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FailureClassifierTest {
  final VirtualClock clock = new VirtualClock();
  final RecordingListener events = new RecordingListener();

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRuntimeExceptionCausedByAConnectFailureIsNotRetriedAndItsEventSaysSo(Mode mode) {
    // Regression: the async executor classified the cause, emitted "RETRY in 625 ms" for an
    // UncheckedIOException wrapping a ConnectException, and then failed the call instead.
    UncheckedIOException unchecked =
        new UncheckedIOException(new ConnectException("Connection refused"));
    ScriptedTransport transport = new ScriptedTransport(unchecked, FakeResponse.of(200));
    RetryPolicy policy = RetryPolicy.builder().clock(clock).random(() -> 0.25).listener(events)
        .build();

    Throwable thrown = null;
    try {
      transport.run(mode, policy, CallInfo.builder("GET", "https://api.example.com/").build());
    } catch (Throwable t) {
      thrown = t;
    }

    assertSame(unchecked, thrown);
    assertEquals(1, transport.attempts.size());
    assertEquals(List.of(GIVE_UP), events.actions());
    assertEquals(NOT_IO, events.last().failureKind());
    assertEquals("UncheckedIOException is not an I/O failure and is never retried",
        events.last().reason());
  }

  @Test
  void aThreadInterruptedDuringChannelIoIsNotRetried() {
    // Regression: ClosedByInterruptException (an IOException, not an InterruptedIOException) was
    // classified AFTER_SEND, so an interrupted GET was retried.
    assertEquals(INTERRUPTED, FailureClassifier.classify(new ClosedByInterruptException()));
    assertEquals(INTERRUPTED, FailureClassifier.classify(
        new IOException("wrapped", new ClosedByInterruptException())));
  }
}
