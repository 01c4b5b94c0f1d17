package dev.stoic;

import static dev.stoic.Decision.Action.GIVE_UP;
import static dev.stoic.Decision.Action.RETRY;
import static dev.stoic.Decision.Action.RETURN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.http.FailureKind;
import dev.stoic.spi.Cancellation;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.MethodClass;
import dev.stoic.testing.RecordingListener;
import dev.stoic.testing.ScriptedTransport;
import dev.stoic.testing.VirtualClock;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sync executor's waits end early for a cancel (the adapter's {@code cancelled} flag, polled
 * every 5 ms of the wait) and for an interrupt (from the clock's sleep), in virtual time.
 */
class SyncCancellationTest {
  final VirtualClock clock = new VirtualClock();
  final RecordingListener events = new RecordingListener();

  RetryPolicy.Builder policy() {
    return RetryPolicy.builder()
        .clock(clock)
        .random(() -> 0.5)
        .backoff(Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30)).noJitter())
        .listener(events);
  }

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  @Test
  void aCancelDuringTheWaitEndsTheCallWithCanceledWithinOnePollAndEmitsGiveUp() {
    FakeResponse unavailable = FakeResponse.of(503);
    ScriptedTransport transport = new ScriptedTransport(unavailable, FakeResponse.of(200));

    IOException e = assertThrows(IOException.class, () -> transport.runSync(policy().build(),
        MethodClass.GET.call(), () -> clock.elapsed().compareTo(Duration.ofMillis(300)) >= 0));

    assertSame(IOException.class, e.getClass());
    assertEquals("Canceled", e.getMessage());
    assertEquals(Duration.ofMillis(300), clock.elapsed(), "not the whole 1 s wait");
    assertEquals(1, transport.attempts.size(), "no further attempt");
    assertEquals(1, unavailable.closed);
    assertEquals(List.of(RETRY, GIVE_UP), events.actions());
    RetryEvent giveUp = events.last();
    assertEquals(1, giveUp.attempt());
    assertEquals(-1, giveUp.status());
    assertEquals(FailureKind.CANCELLED, giveUp.failureKind());
    assertEquals("java.io.IOException", giveUp.exceptionType());
    assertEquals("the call was cancelled while waiting to retry", giveUp.reason());
    assertEquals(Duration.ZERO, giveUp.waitTime());
    assertEquals(Duration.ofMillis(300), giveUp.elapsed());
  }

  @Test
  void aCancelDuringTheWaitAfterAFailedAttemptAlsoEndsWithCanceled() {
    ScriptedTransport transport =
        new ScriptedTransport(new ConnectException("Connection refused"), FakeResponse.of(200));

    IOException e = assertThrows(IOException.class, () -> transport.runSync(policy().build(),
        MethodClass.POST_WITHOUT_KEY.call(), () -> clock.elapsed().toMillis() >= 995));

    assertEquals("Canceled", e.getMessage());
    assertEquals(Duration.ofMillis(995), clock.elapsed());
    assertEquals(1, transport.attempts.size());
    assertEquals(List.of(RETRY, GIVE_UP), events.actions());
    assertEquals(FailureKind.CANCELLED, events.last().failureKind());
  }

  @Test
  void aCancelIsSeenBeforeARetryThatNeedsNoWait() {
    // 401 with a refresher retries at once (wait 0); the flag is still checked first.
    ScriptedTransport transport = new ScriptedTransport(FakeResponse.of(401), FakeResponse.of(200));
    RetryPolicy p = policy().credentialRefresher(() -> "Bearer fresh").build();

    IOException e = assertThrows(IOException.class, () -> transport.runSync(
        p, MethodClass.GET.call(), () -> transport.attempts.size() >= 1));

    assertEquals("Canceled", e.getMessage());
    assertEquals(1, transport.attempts.size());
    assertEquals(Duration.ZERO, clock.elapsed());
  }

  @Test
  void aFailureWhileCancelledIsRethrownUnchangedAndNotRetried() {
    // A transport that fails because the call was cancelled: the flag wins over the kind.
    ConnectException refused = new ConnectException("Connection refused");
    ScriptedTransport transport = new ScriptedTransport(refused, FakeResponse.of(200));

    IOException e = assertThrows(IOException.class,
        () -> transport.runSync(policy().build(), MethodClass.GET.call(),
            () -> !transport.attempts.isEmpty())); // cancelled once the attempt is under way

    assertSame(refused, e);
    assertEquals(List.of(GIVE_UP), events.actions());
    assertEquals(FailureKind.CANCELLED, events.last().failureKind());
    assertEquals("the call was cancelled", events.last().reason());
  }

  @Test
  void anInterruptDuringTheWaitEndsWithInterruptedExceptionAndTheFlagSet() {
    FakeResponse unavailable = FakeResponse.of(503);
    ScriptedTransport transport = new ScriptedTransport(unavailable, FakeResponse.of(200));
    RetryPolicy p = policy().listener(event -> {
      if (event.action() == RETRY) Thread.currentThread().interrupt();
    }).build();

    assertThrows(InterruptedException.class,
        () -> transport.runSync(p, MethodClass.GET.call(), () -> false));

    assertTrue(Thread.interrupted(), "the interrupt flag is restored");
    assertEquals(Duration.ZERO, clock.elapsed());
    assertEquals(1, transport.attempts.size());
    assertEquals(1, unavailable.closed);
    assertEquals(List.of(RETRY, GIVE_UP), events.actions());
    RetryEvent giveUp = events.last();
    assertEquals(FailureKind.INTERRUPTED, giveUp.failureKind());
    assertEquals("java.lang.InterruptedException", giveUp.exceptionType());
    assertEquals("the calling thread was interrupted while waiting to retry", giveUp.reason());
  }

  @Test
  void anInterruptPartWayThroughTheWaitEndsItThere() {
    ScriptedTransport transport = new ScriptedTransport(FakeResponse.of(503), FakeResponse.of(200));

    assertThrows(InterruptedException.class, () -> transport.runSync(policy().build(),
        MethodClass.GET.call(), () -> {
          if (clock.elapsed().toMillis() >= 400) Thread.currentThread().interrupt();
          return false;
        }));

    assertTrue(Thread.interrupted());
    assertEquals(Duration.ofMillis(400), clock.elapsed());
    assertEquals(List.of(RETRY, GIVE_UP), events.actions());
  }

  @Test
  void anInterruptedExceptionFromTheAttemptIsRethrownWithTheFlagSet() {
    InterruptedException interrupted = new InterruptedException();
    ScriptedTransport transport = new ScriptedTransport(interrupted, FakeResponse.of(200));

    InterruptedException e = assertThrows(InterruptedException.class,
        () -> transport.runSync(policy().build(), MethodClass.GET.call(), () -> false));

    assertSame(interrupted, e);
    assertTrue(Thread.interrupted());
    assertEquals(List.of(GIVE_UP), events.actions());
    assertEquals(FailureKind.INTERRUPTED, events.last().failureKind());
  }

  @Test
  void aCallCancelledBeforeItsFirstAttemptSendsNothing() {
    ScriptedTransport transport = new ScriptedTransport(FakeResponse.of(200));

    IOException e = assertThrows(IOException.class,
        () -> transport.runSync(policy().build(), MethodClass.GET.call(), () -> true));

    assertEquals("Canceled", e.getMessage());
    assertEquals(0, transport.attempts.size());
    assertEquals(List.of(GIVE_UP), events.actions());
    assertEquals("the call was cancelled before attempt 1", events.last().reason());
  }

  /** A cancel a client can signal (OkHttp 5, the call factory): the wait wakes at once. */
  static final class SignalledCancel implements Cancellation {
    final CompletableFuture<Void> signal = new CompletableFuture<>();

    void cancel() {
      signal.complete(null);
    }

    @Override
    public boolean isCancelled() {
      return signal.isDone();
    }

    @Override
    public CompletionStage<?> signal() {
      return signal;
    }
  }

  @Test
  void aSignalledCancelEndsTheWaitAtTheMomentOfTheCancelWithNoPolling() {
    FakeResponse unavailable = FakeResponse.of(503);
    ScriptedTransport transport = new ScriptedTransport(unavailable, FakeResponse.of(200));
    SignalledCancel cancel = new SignalledCancel();
    clock.schedule(Duration.ofMillis(333), cancel::cancel);

    IOException e = assertThrows(IOException.class,
        () -> transport.runSyncSignalled(policy().build(), MethodClass.GET.call(), cancel));

    assertEquals("Canceled", e.getMessage());
    assertEquals(Duration.ofMillis(333), clock.elapsed(), "woken at the cancel, not at a poll");
    assertEquals(Duration.ofMillis(333), clock.totalSlept(), "one sleep, not 5 ms slices");
    assertEquals(1, transport.attempts.size());
    assertEquals(1, unavailable.closed);
    assertEquals(List.of(RETRY, GIVE_UP), events.actions());
    assertEquals("the call was cancelled while waiting to retry", events.last().reason());
  }

  @Test
  void aSignalledCallThatIsNotCancelledWaitsTheWholeBackoffInOneSleep() throws Exception {
    ScriptedTransport transport = new ScriptedTransport(FakeResponse.of(503), FakeResponse.of(200));

    FakeResponse response = transport.runSyncSignalled(
        policy().build(), MethodClass.GET.call(), new SignalledCancel());

    assertEquals(200, response.status);
    assertEquals(Duration.ofSeconds(1), clock.totalSlept());
    assertEquals(List.of(RETRY, RETURN), events.actions());
  }
}
