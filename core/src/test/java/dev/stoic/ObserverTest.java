package dev.stoic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.engine.RetryExecutor;
import dev.stoic.spi.CallInfo;
import dev.stoic.spi.Cancellation;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.RecordingListener;
import dev.stoic.testing.RecordingObserver;
import dev.stoic.testing.ScriptedTransport.Mode;
import dev.stoic.testing.VirtualClock;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the engine tells a {@link RetryObserver}, in virtual time, sync and async alike: every
 * attempt with its decision, cause, exact wait and duration, the throttle's waits, and the call's
 * end exactly once, however it ends. Each attempt here takes 30 ms of virtual time.
 */
class ObserverTest {
  static final String URL = "https://user:pw@api.example.com/orders?token=s3cret";
  static final String REDACTED = "https://REDACTED@api.example.com/orders?token=REDACTED";

  final VirtualClock clock = new VirtualClock();
  final RecordingObserver observer = new RecordingObserver();
  final RecordingListener listener = new RecordingListener();

  RetryPolicy.Builder policy() {
    return RetryPolicy.builder()
        .clock(clock)
        .random(() -> 0.25)
        .backoff(Backoff.fixed(Duration.ofMillis(100)))
        .secretQueryParameters("token")
        .observer(observer)
        .listener(listener);
  }

  /** Plays {@code script} (responses and exceptions), 30 ms per attempt, sync or async. */
  FakeResponse run(Mode mode, RetryPolicy policy, Object... script) throws Exception {
    return run(mode, policy, context -> {}, script);
  }

  FakeResponse run(Mode mode, RetryPolicy policy, AttemptHook hook, Object... script)
      throws Exception {
    List<Object> left = new ArrayList<>(List.of(script));
    RetryExecutor executor = new RetryExecutor(policy);
    CallInfo call = CallInfo.builder("GET", URL).build();
    if (mode == Mode.SYNC) {
      return executor.execute(call, context -> {
        hook.run(context);
        return play(left.remove(0));
      }, FakeResponse.ACCESS, Cancellation.NEVER);
    }
    CompletableFuture<FakeResponse> future = executor.executeAsync(call, context -> {
      hook.run(context);
      try {
        return CompletableFuture.completedFuture(play(left.remove(0)));
      } catch (Exception e) {
        return CompletableFuture.failedFuture(e);
      }
    }, FakeResponse.ACCESS);
    clock.runAll();
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  FakeResponse play(Object next) throws IOException {
    clock.advance(Duration.ofMillis(30));
    if (next instanceof IOException) throw (IOException) next;
    return (FakeResponse) next;
  }

  interface AttemptHook {
    void run(dev.stoic.spi.Attempt context);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void observersHearEveryAttemptWithItsDecisionCauseWaitAndDuration(Mode mode) throws Exception {
    FakeResponse ok = run(mode, policy().build(),
        FakeResponse.of(503, "Retry-After", "2"),
        new SocketTimeoutException("Read timed out"),
        FakeResponse.of(200));

    assertEquals(200, ok.status);
    // 2 s of Retry-After plus 0.25 x 200 ms of spread; the backoff alone would have been 100 ms.
    assertEquals(List.of(
        "start GET " + REDACTED + " api.example.com",
        "attempt 1", "sent 1",
        "ended 1 503 RETRY hint wait=PT2.05S hinted=PT1.95S took=PT0.03S resends=-1",
        "attempt 2", "sent 2",
        "ended 2 SocketTimeoutException RETRY exception wait=PT0.1S hinted=PT0S took=PT0.03S"
            + " resends=-1",
        "attempt 3", "sent 3",
        "ended 3 200 RETURN status wait=PT0S hinted=PT0S took=PT0.03S resends=-1",
        "call RETURN status 200 took=PT2.24S"), observer.lines);
    assertEquals(3, listener.events.size(), "listeners are told as before");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theScopeIsOpenOnTheSendingThreadWhileTheAttemptIsHandedOver(Mode mode) throws Exception {
    List<Integer> seen = new ArrayList<>();
    run(mode, policy().build(), context -> seen.add(observer.openScope()),
        FakeResponse.of(503), FakeResponse.of(200));
    assertEquals(List.of(1, 2), seen);
    assertNull(observer.openScope(), "closed once the client has the attempt");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void requestsTheAdapterReportsBeyondTheFirstAreResends(Mode mode) throws Exception {
    AtomicInteger attempt = new AtomicInteger();
    run(mode, policy().build(), context -> {
      assertTrue(context.observed());
      int requests = attempt.incrementAndGet() == 1 ? 3 : 1; // the client re-sent twice, then once
      for (int i = 0; i < requests; i++) context.requestSent();
    }, FakeResponse.of(503), FakeResponse.of(200));
    assertTrue(observer.lines.get(3).endsWith("resends=2"), observer.lines.get(3));
    assertTrue(observer.lines.get(6).endsWith("resends=0"), observer.lines.get(6));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRetryTheBudgetRefusesEndsTheCallForTheBudget(Mode mode) throws Exception {
    // No floor, retries to the host failing, and the bucket drained by an earlier call.
    RetryBudget budget = RetryBudget.perHost(1, 1, 0).minRetriesPerSecond(0);
    for (int i = 0; i < 100; i++) budget.recordRetry("api.example.com", false);
    assertTrue(budget.acquireRetry("api.example.com", 0, 0, 0) >= 0);
    run(mode, policy().retryBudget(budget).build(), FakeResponse.of(503));
    assertEquals(List.of(
        "ended 1 503 GIVE_UP budget wait=PT0S hinted=PT0S took=PT0.03S resends=-1",
        "call GIVE_UP budget 503 took=PT0.03S"), observer.lines.subList(3, 5));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theThrottlesWaitsAndItsRefusalAreTold(Mode mode) throws Exception {
    long[] permits = {200_000_000L, -1};
    AtomicInteger asked = new AtomicInteger();
    Throttle throttle = host -> permits[asked.getAndIncrement()];
    RetryPolicy policy = policy().throttle(throttle).build();

    ThrottledException e = assertThrows(ThrottledException.class,
        () -> run(mode, policy, FakeResponse.of(503)));
    assertTrue(e.getMessage().contains("no permit"), e.getMessage());
    assertEquals(List.of(
        "start GET " + REDACTED + " api.example.com",
        "throttled PT0.2S",
        "attempt 1", "sent 1",
        "ended 1 503 RETRY status wait=PT0.1S hinted=PT0S took=PT0.03S resends=-1",
        "call GIVE_UP throttle ThrottledException took=PT0.33S"), observer.lines);
  }

  @Test
  void anAsyncCallCancelledWhileWaitingEndsOnceAsCancelled() {
    RetryExecutor executor = new RetryExecutor(policy().build());
    CompletableFuture<FakeResponse> future = executor.executeAsync(
        CallInfo.builder("GET", URL).build(),
        context -> CompletableFuture.completedFuture(FakeResponse.of(503)), FakeResponse.ACCESS);
    future.cancel(false);
    clock.runAll();
    assertEquals("call GIVE_UP cancel 503 took=PT0S", observer.lines.get(observer.lines.size() - 1));
    assertEquals(1, observer.lines.stream().filter(l -> l.startsWith("call ")).count());
  }

  @Test
  void anAsyncCallCompletedFromOutsideEndsItsObservationOnce() {
    RetryExecutor executor = new RetryExecutor(policy().build());
    CompletableFuture<FakeResponse> pending = new CompletableFuture<>();
    CompletableFuture<FakeResponse> future = executor.executeAsync(
        CallInfo.builder("GET", URL).build(), context -> pending, FakeResponse.ACCESS);
    clock.advance(Duration.ofMillis(40));
    future.complete(FakeResponse.of(299)); // as an orTimeout() or a fallback would
    pending.complete(FakeResponse.of(200));
    assertEquals(List.of(
        "start GET " + REDACTED + " api.example.com", "attempt 1", "sent 1",
        "call GIVE_UP cancel -1 took=PT0.04S"), observer.lines);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aSyncCancelBetweenAttemptsEndsTheCallAsCancelled(Mode mode) throws Exception {
    if (mode == Mode.ASYNC) return; // the async cancel is covered above
    RetryExecutor executor = new RetryExecutor(policy().build());
    AtomicInteger attempts = new AtomicInteger();
    IOException e = assertThrows(IOException.class, () -> executor.execute(
        CallInfo.builder("GET", URL).build(),
        context -> {
          attempts.incrementAndGet();
          return FakeResponse.of(503);
        }, FakeResponse.ACCESS, () -> attempts.get() > 0));
    assertEquals("Canceled", e.getMessage());
    assertEquals("call GIVE_UP cancel 503 took=PT0S", observer.lines.get(observer.lines.size() - 1));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void anObserverThatThrowsChangesNothing(Mode mode) throws Exception {
    RetryObserver broken = call -> new CallObserver() {
      @Override
      public Scope attemptStarted(int attempt) {
        throw new IllegalStateException("observer bug");
      }

      @Override
      public void attemptEnded(Outcome outcome, Decision decision, long nanos, int resends) {
        throw new IllegalStateException("observer bug");
      }

      @Override
      public void callEnded(Outcome outcome, Decision decision, long callNanos) {
        throw new IllegalStateException("observer bug");
      }
    };
    RetryObserver brokenFactory = call -> {
      throw new IllegalStateException("observer bug");
    };
    RetryPolicy policy = policy().observer(broken).observer(brokenFactory).build();
    FakeResponse ok = run(mode, policy, FakeResponse.of(503), FakeResponse.of(200));
    assertEquals(200, ok.status);
    assertEquals("call RETURN status 200 took=PT0.16S", observer.lines.get(observer.lines.size() - 1));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aCallNobodyWatchesHasNoObservation(Mode mode) throws Exception {
    RetryPolicy unwatched = RetryPolicy.builder().clock(clock).build();
    List<Boolean> observed = new ArrayList<>();
    run(mode, unwatched, context -> {
      observed.add(context.observed());
      context.requestSent(); // a no-op without observers
    }, FakeResponse.of(200));
    assertEquals(List.of(false), observed);
    assertFalse(unwatched.observers().iterator().hasNext());
  }

  @Test
  void anObserverMayLeaveACallUnwatched() throws Exception {
    RetryPolicy policy = RetryPolicy.builder().clock(clock)
        .observer(call -> CallObserver.NONE).build();
    List<Boolean> observed = new ArrayList<>();
    run(Mode.SYNC, policy, context -> observed.add(context.observed()), FakeResponse.of(200));
    assertEquals(List.of(false), observed);
  }
}
