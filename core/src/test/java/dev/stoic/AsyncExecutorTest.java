package dev.stoic;

import static dev.stoic.Decision.Action.RETRY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Decision.Action;
import dev.stoic.engine.AttemptContext;
import dev.stoic.engine.RetryExecutor;
import dev.stoic.http.FailureKind;
import dev.stoic.spi.AsyncAttempt;
import dev.stoic.spi.CallInfo;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.MethodClass;
import dev.stoic.testing.RecordingListener;
import dev.stoic.testing.ScriptedTransport;
import dev.stoic.testing.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The async executor in virtual time: a pending retry is a task on the clock, not a thread;
 * cancelling the caller's future stops the wait or the attempt in flight, and nothing that
 * arrives afterwards reaches the caller or stays open.
 */
class AsyncExecutorTest {
  final VirtualClock clock = new VirtualClock();
  final RecordingListener events = new RecordingListener();

  /** Waits 1 s, then 2 s: exponential from 1 s without jitter. */
  RetryPolicy.Builder unobserved() {
    return RetryPolicy.builder()
        .clock(clock)
        .random(() -> 0.5)
        .backoff(Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30)).noJitter());
  }

  RetryPolicy.Builder policy() {
    return unobserved().listener(events);
  }

  /** Attempts whose futures the test completes by hand. */
  static final class ManualAttempts implements AsyncAttempt<FakeResponse> {
    final List<CompletableFuture<FakeResponse>> futures = new ArrayList<>();
    final List<Thread> threads = new ArrayList<>();
    boolean stubborn;

    @Override
    public CompletableFuture<FakeResponse> start(dev.stoic.spi.Attempt context) {
      CompletableFuture<FakeResponse> future =
          stubborn ? new Stubborn<>() : new CompletableFuture<>();
      futures.add(future);
      threads.add(Thread.currentThread());
      return future;
    }

    CompletableFuture<FakeResponse> last() {
      return futures.get(futures.size() - 1);
    }
  }

  /** An attempt that cannot be aborted: cancel() is noted and refused, as a slow transport may. */
  static final class Stubborn<T> extends CompletableFuture<T> {
    volatile boolean cancelRequested;

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      cancelRequested = true;
      return false;
    }
  }

  @Test
  void aPendingRetryIsATaskOnTheClockNotABlockedThread() {
    ManualAttempts attempts = new ManualAttempts();
    RetryExecutor executor = new RetryExecutor(policy().build());

    CompletableFuture<FakeResponse> call =
        executor.executeAsync(MethodClass.GET.call(), attempts, FakeResponse.ACCESS);
    attempts.last().complete(FakeResponse.of(503));

    // executeAsync returned and the 503 was handled on this thread; the wait is one task.
    assertFalse(call.isDone());
    assertEquals(1, clock.pendingTasks());
    assertEquals(Duration.ZERO, clock.totalSlept(), "nothing slept");
    assertEquals(1, attempts.futures.size());

    clock.advance(Duration.ofMillis(999));
    assertEquals(1, attempts.futures.size(), "not before the 1 s wait is over");
    clock.advance(Duration.ofMillis(1));
    assertEquals(2, attempts.futures.size());
    assertEquals(0, clock.pendingTasks());

    FakeResponse ok = FakeResponse.of(200);
    attempts.last().complete(ok);
    assertSame(ok, call.getNow(null));
    assertEquals(List.of(Thread.currentThread(), Thread.currentThread()), attempts.threads,
        "each attempt started on the thread that drove the clock; none was parked");
    assertEquals(Duration.ZERO, clock.totalSlept());
  }

  @Test
  void cancellingDuringAPendingWaitRemovesTheScheduledTaskAndStartsNoFurtherAttempt() {
    FakeResponse unavailable = FakeResponse.of(503);
    ScriptedTransport transport = new ScriptedTransport(unavailable, FakeResponse.of(200));
    CompletableFuture<FakeResponse> call =
        transport.start(new RetryExecutor(policy().build()), MethodClass.GET.call());
    assertEquals(1, clock.pendingTasks());

    assertTrue(call.cancel(true));

    assertEquals(0, clock.pendingTasks(), "the wait is gone from the clock");
    clock.advance(Duration.ofHours(1));
    clock.runAll();
    assertEquals(1, transport.attempts.size(), "no further attempt");
    assertTrue(call.isCancelled());
    assertEquals(1, unavailable.closed);
    // The RETRY was reported before the cancel; the cancel adds one GIVE_UP, as the sync path does.
    assertEquals(List.of(RETRY, Action.GIVE_UP), events.actions());
    assertEquals(FailureKind.CANCELLED, events.last().failureKind());
  }

  @Test
  void completingTheFutureWithACancellationExceptionAlsoStopsTheWait() {
    ScriptedTransport transport = new ScriptedTransport(FakeResponse.of(503), FakeResponse.of(200));
    CompletableFuture<FakeResponse> call =
        transport.start(new RetryExecutor(policy().build()), MethodClass.GET.call());

    call.completeExceptionally(new CancellationException("caller gave up"));

    assertEquals(0, clock.pendingTasks());
    clock.runAll();
    assertEquals(1, transport.attempts.size());
  }

  @Test
  void cancellingWhileTheFirstAttemptIsInFlightCancelsTheAttemptsFuture() {
    ManualAttempts attempts = new ManualAttempts();
    CompletableFuture<FakeResponse> call = new RetryExecutor(policy().build())
        .executeAsync(MethodClass.GET.call(), attempts, FakeResponse.ACCESS);

    assertTrue(call.cancel(true));

    assertTrue(attempts.last().isCancelled());
    assertEquals(1, attempts.futures.size());
    assertEquals(0, clock.pendingTasks());
    assertEquals(List.of(Action.GIVE_UP), events.actions(), "the cancel is reported once");
    assertEquals("the call was cancelled", events.last().reason());
  }

  /*
   * Regression: CompletableFuture.cancel() also returns true for a future that already ended with
   * a CancellationException, and the executor took that for the caller's cancel. An attempt
   * cancelled by someone else (OkHttp cancels a call whose interceptor threw) ended the call with
   * one GIVE_UP, and a cancel() that followed, as StoicCallFactory's enqueue() makes when it sees
   * its call cancelled, reported a second.
   */
  @Test
  void cancellingACallThatAlreadyEndedCancelledReportsNoSecondEvent() {
    ManualAttempts attempts = new ManualAttempts();
    CompletableFuture<FakeResponse> call = new RetryExecutor(policy().build())
        .executeAsync(MethodClass.GET.call(), attempts, FakeResponse.ACCESS);
    attempts.last().completeExceptionally(new CancellationException("cancelled elsewhere"));
    assertTrue(call.isCancelled());
    assertEquals(List.of(Action.GIVE_UP), events.actions());

    call.cancel(true);

    assertEquals(List.of(Action.GIVE_UP), events.actions(), "the end is reported once");
  }

  @Test
  void cancellingWhileARetryIsInFlightCancelsThatAttempt() {
    ManualAttempts attempts = new ManualAttempts();
    CompletableFuture<FakeResponse> call = new RetryExecutor(policy().build())
        .executeAsync(MethodClass.GET.call(), attempts, FakeResponse.ACCESS);
    attempts.last().complete(FakeResponse.of(503));
    clock.advance(Duration.ofSeconds(1));
    assertEquals(2, attempts.futures.size());

    call.cancel(true);

    assertTrue(attempts.futures.get(1).isCancelled());
    clock.advance(Duration.ofHours(1));
    assertEquals(2, attempts.futures.size());
  }

  @Test
  void aResponseArrivingAfterCancellationIsClosedAndNotHandedOver() {
    ManualAttempts attempts = new ManualAttempts();
    attempts.stubborn = true;
    CompletableFuture<FakeResponse> call = new RetryExecutor(policy().build())
        .executeAsync(MethodClass.GET.call(), attempts, FakeResponse.ACCESS);

    call.cancel(true);
    Stubborn<FakeResponse> inFlight = (Stubborn<FakeResponse>) attempts.last();
    assertTrue(inFlight.cancelRequested, "the executor asked the attempt to stop");

    FakeResponse late = FakeResponse.of(200);
    inFlight.complete(late);

    assertEquals(1, late.closed);
    assertTrue(call.isCancelled());
    assertEquals(0, clock.pendingTasks());
    assertEquals(1, attempts.futures.size());
  }

  @Test
  void completingTheFutureFromOutsideCancelsTheAttemptInFlight() {
    ManualAttempts attempts = new ManualAttempts();
    CompletableFuture<FakeResponse> call = new RetryExecutor(policy().build())
        .executeAsync(MethodClass.GET.call(), attempts, FakeResponse.ACCESS);
    FakeResponse fallback = FakeResponse.of(204);
    call.complete(fallback); // e.g. a caller's own fallback: the call stops, the attempt is aborted

    assertTrue(attempts.last().isCancelled(), "the attempt in flight is cancelled");
    assertSame(fallback, call.getNow(null));
    assertEquals(0, fallback.closed);
  }

  @Test
  void aWaitThatFallsDueAfterTheCallerCompletedTheFutureStartsNoAttempt() {
    ManualAttempts attempts = new ManualAttempts();
    CompletableFuture<FakeResponse> call = new RetryExecutor(policy().build())
        .executeAsync(MethodClass.GET.call(), attempts, FakeResponse.ACCESS);
    attempts.last().complete(FakeResponse.of(503));
    call.completeExceptionally(new IllegalStateException("caller's timeout"));

    clock.runAll();

    assertEquals(1, attempts.futures.size());
  }

  @Test
  @Timeout(60)
  void tenThousandConcurrentCallsEachRetriedTwiceCompleteInVirtualTime() {
    int calls = 10_000;
    Map<Action, AtomicInteger> counts = new EnumMap<>(Action.class);
    for (Action action : Action.values()) counts.put(action, new AtomicInteger());
    // Every call fails twice: the default retry budget would (rightly) stop that, so it is off here.
    RetryPolicy p = unobserved().retryBudget(RetryBudget.unlimited())
        .listener(e -> counts.get(e.action()).incrementAndGet()).build();
    RetryExecutor executor = new RetryExecutor(p);
    List<FakeResponse[]> scripts = new ArrayList<>(calls);
    List<CompletableFuture<FakeResponse>> futures = new ArrayList<>(calls);
    for (int i = 0; i < calls; i++) {
      FakeResponse[] script = {FakeResponse.of(503), FakeResponse.of(502), FakeResponse.of(200)};
      scripts.add(script);
      futures.add(new ScriptedTransport((Object[]) script).start(executor, call(i)));
    }

    assertEquals(calls, clock.pendingTasks(), "every call waits as one task on the clock");
    clock.advance(Duration.ofSeconds(1));
    assertEquals(calls, clock.pendingTasks(), "each second wait");
    clock.advance(Duration.ofSeconds(2));
    assertEquals(0, clock.pendingTasks());

    for (int i = 0; i < calls; i++) {
      FakeResponse[] script = scripts.get(i);
      assertSame(script[2], futures.get(i).getNow(null));
      assertEquals(1, script[0].closed);
      assertEquals(1, script[1].closed);
      assertEquals(0, script[2].closed);
    }
    assertEquals(2 * calls, counts.get(RETRY).get());
    assertEquals(calls, counts.get(Action.RETURN).get());
    assertEquals(0, counts.get(Action.GIVE_UP).get());
    assertEquals(Duration.ofSeconds(3), clock.elapsed());
    assertEquals(Duration.ZERO, clock.totalSlept());
  }

  @Test
  @Timeout(60)
  void tenThousandCallsCompletedFromPoolThreadsCloseEveryDiscardedResponseExactlyOnce()
      throws Exception {
    // The same load, with each attempt completing on one of four transport threads while this
    // thread drives the clock, so completions, scheduling and waits interleave for real.
    int calls = 10_000;
    ExecutorService transportThreads = Executors.newFixedThreadPool(4);
    try {
      RetryExecutor executor = new RetryExecutor(
          unobserved().retryBudget(RetryBudget.unlimited()).listener(e -> {}).build());
      List<FakeResponse[]> scripts = new ArrayList<>(calls);
      List<CompletableFuture<FakeResponse>> futures = new ArrayList<>(calls);
      for (int i = 0; i < calls; i++) {
        FakeResponse[] script = {FakeResponse.of(503), FakeResponse.of(429), FakeResponse.of(200)};
        scripts.add(script);
        AtomicInteger next = new AtomicInteger();
        futures.add(executor.executeAsync(call(i),
            context -> CompletableFuture.supplyAsync(
                () -> script[next.getAndIncrement()], transportThreads),
            FakeResponse.ACCESS));
      }

      CompletableFuture<Void> all =
          CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]));
      while (!all.isDone()) {
        if (!clock.runNext()) Thread.onSpinWait();
      }

      for (int i = 0; i < calls; i++) {
        FakeResponse[] script = scripts.get(i);
        assertSame(script[2], futures.get(i).get());
        assertEquals(1, script[0].closed);
        assertEquals(1, script[1].closed);
        assertEquals(0, script[2].closed);
      }
      assertEquals(0, clock.pendingTasks());
      assertEquals(Duration.ZERO, clock.totalSlept());
    } finally {
      transportThreads.shutdownNow();
      assertTrue(transportThreads.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  private static CallInfo call(int i) {
    return CallInfo.builder("GET", "https://api.example.com/items/" + i).build();
  }
}
