package dev.stoic.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.CallObserver;
import dev.stoic.Hedging;
import dev.stoic.IdempotencyKey;
import dev.stoic.RetriesExhaustedException;
import dev.stoic.RetryBudget;
import dev.stoic.Decision.Action;
import dev.stoic.RetryEvent;
import dev.stoic.RetryPolicy;
import dev.stoic.spi.AsyncAttempt;
import dev.stoic.spi.CallInfo;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.RecordingListener;
import dev.stoic.testing.VirtualClock;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Hedged calls in virtual time: exact hedge delays, the first answer wins, losers are cancelled
 * and anything they return is closed, retryable statuses hedge at once, hints hold hedges back,
 * and every hedge is paid from the retry budget.
 */
class HedgedRunTest {
  final VirtualClock clock = new VirtualClock();
  final RecordingListener events = new RecordingListener();
  final Attempts attempts = new Attempts();

  RetryPolicy.Builder policy(Hedging hedging) {
    return RetryPolicy.builder()
        .clock(clock)
        .random(() -> 0.5)
        .backoff(Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30)).noJitter())
        .listener(events)
        .hedging(hedging);
  }

  /** Attempts whose outcomes the test sets by hand; cancel can be refused, as a busy transport. */
  static final class Attempts implements AsyncAttempt<FakeResponse> {
    final List<Attempt> started = new ArrayList<>();
    boolean stubborn;

    @Override
    public CompletableFuture<FakeResponse> start(dev.stoic.spi.Attempt context) {
      Attempt attempt = new Attempt((AttemptContext) context, stubborn);
      started.add(attempt);
      return attempt;
    }

    Attempt get(int number) {
      return started.get(number - 1);
    }
  }

  static final class Attempt extends CompletableFuture<FakeResponse> {
    final AttemptContext context;
    final boolean stubborn;
    volatile boolean cancelRequested;

    Attempt(AttemptContext context, boolean stubborn) {
      this.context = context;
      this.stubborn = stubborn;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      cancelRequested = true;
      return !stubborn && super.cancel(mayInterruptIfRunning);
    }
  }

  CompletableFuture<FakeResponse> run(RetryPolicy policy, String method) {
    return run(new RetryExecutor(policy), CallInfo.builder(method, "https://api.example.com/x").build());
  }

  CompletableFuture<FakeResponse> run(RetryExecutor executor, CallInfo call) {
    return executor.executeAsync(call, attempts, FakeResponse.ACCESS);
  }

  @Test
  void aHedgeGoesOutAfterTheDelayAndTheFirstAnswerWinsTheOtherIsCancelled() throws Exception {
    CompletableFuture<FakeResponse> call =
        run(policy(Hedging.after(Duration.ofMillis(200))).build(), "GET");
    assertEquals(1, attempts.started.size());
    clock.advance(Duration.ofMillis(199));
    assertEquals(1, attempts.started.size());
    clock.advance(Duration.ofMillis(1));
    assertEquals(2, attempts.started.size());
    assertTrue(attempts.get(2).context.hedge);
    assertEquals(2, attempts.get(2).context.number());

    FakeResponse ok = FakeResponse.of(200);
    attempts.get(2).complete(ok);
    assertSame(ok, call.get());
    assertTrue(attempts.get(1).cancelRequested);
    assertTrue(attempts.get(1).isCancelled());
    assertEquals(0, ok.closed);
    clock.runAll();
    assertEquals(2, attempts.started.size(), "maxHedges 1: no third attempt");
    RetryEvent won = events.last();
    assertEquals(Action.RETURN, won.action());
    assertEquals(2, won.attempt());
    assertTrue(won.hedge());
    assertTrue(won.toString().startsWith("attempt 2 (hedge) GET"), won.toString());
  }

  @Test
  void aLoserThatAnswersAnywayHasItsResponseClosed() throws Exception {
    attempts.stubborn = true;
    CompletableFuture<FakeResponse> call =
        run(policy(Hedging.after(Duration.ofMillis(50))).build(), "GET");
    clock.advance(Duration.ofMillis(50));
    FakeResponse first = FakeResponse.of(200);
    attempts.get(1).complete(first);
    assertSame(first, call.get());
    assertTrue(attempts.get(2).cancelRequested);
    FakeResponse late = FakeResponse.of(200);
    attempts.get(2).complete(late);
    assertEquals(1, late.closed, "the loser's response is closed");
    assertEquals(0, first.closed);
    assertFalse(attempts.get(1).context.hedge);
    assertEquals(1, events.events.size(), "the loser is not decided on");
  }

  @Test
  void maxHedgesSpacesHedgesByTheDelayAndCountsTowardsMaxAttempts() {
    run(policy(Hedging.after(Duration.ofMillis(100)).maxHedges(3)).maxAttempts(3).build(), "GET");
    clock.advance(Duration.ofMillis(100));
    assertEquals(2, attempts.started.size());
    clock.advance(Duration.ofMillis(100));
    assertEquals(3, attempts.started.size());
    clock.advance(Duration.ofSeconds(10));
    assertEquals(3, attempts.started.size(), "maxAttempts 3 caps hedges as well");
  }

  @Test
  void onlyRequestsSafeToRepeatWithAReplayableBodyAreHedged() {
    RetryPolicy policy = policy(Hedging.after(Duration.ofMillis(10))).build();
    RetryExecutor executor = new RetryExecutor(policy);
    assertTrue(executor.hedges(CallInfo.builder("GET", "https://a/").build()));
    assertTrue(executor.hedges(CallInfo.builder("PUT", "https://a/").build()));
    assertFalse(executor.hedges(CallInfo.builder("POST", "https://a/").build()));
    assertTrue(executor.hedges(
        CallInfo.builder("POST", "https://a/").callerIdempotencyKey("k-1").build()));
    assertFalse(executor.hedges(
        CallInfo.builder("PUT", "https://a/").bodyReplayable(false).build()), "one-shot body");
    assertFalse(new RetryExecutor(RetryPolicy.builder().clock(clock).build())
        .hedges(CallInfo.builder("GET", "https://a/").build()), "no hedging configured");

    run(executor, CallInfo.builder("POST", "https://a/").build());
    clock.advance(Duration.ofSeconds(5));
    assertEquals(1, attempts.started.size(), "a keyless POST runs unhedged");
  }

  @Test
  void aGeneratedKeyRidesEveryHedgeUnchanged() {
    RetryPolicy policy = policy(Hedging.after(Duration.ofMillis(10)).maxHedges(2))
        .idempotencyKey(IdempotencyKey.header("Idempotency-Key").autoGenerate()).build();
    run(policy, "POST");
    clock.advance(Duration.ofMillis(20));
    assertEquals(3, attempts.started.size());
    String key = attempts.get(1).context.idempotencyKey();
    assertTrue(key != null && !key.isEmpty());
    for (Attempt a : attempts.started) assertEquals(key, a.context.idempotencyKey());
  }

  @Test
  void aRetryableStatusStartsTheNextHedgeAtOnce() throws Exception {
    CompletableFuture<FakeResponse> call =
        run(policy(Hedging.after(Duration.ofMillis(200))).build(), "GET");
    clock.advance(Duration.ofMillis(30));
    FakeResponse unavailable = FakeResponse.of(503);
    attempts.get(1).complete(unavailable);
    assertEquals(2, attempts.started.size(), "no backoff, no hedge delay");
    assertEquals(1, unavailable.closed);
    assertTrue(attempts.get(2).context.hedge);
    assertEquals(Duration.ofMillis(30), clock.elapsed());
    clock.advance(Duration.ofSeconds(5));
    assertEquals(2, attempts.started.size(), "the one hedge is used");
    attempts.get(2).complete(FakeResponse.of(200));
    assertEquals(200, call.get().status);
    assertEquals(List.of(Action.RETRY, Action.RETURN), events.actions());
    assertEquals(0, events.events.get(0).waitTime().toMillis());
  }

  /**
   * Regression: a retryable status with nothing else running, and a throttle asking the retry to
   * wait, left the call with no attempt and no timer: it never ended.
   */
  @Test
  void aRetryTheThrottleMakesWaitGoesOutAfterItsWaitInsteadOfHanging() throws Exception {
    AtomicInteger permits = new AtomicInteger();
    dev.stoic.Throttle pacing = host -> permits.getAndIncrement() == 0 ? 0 : 50_000_000L;
    CompletableFuture<FakeResponse> call = run(
        policy(Hedging.after(Duration.ofMillis(200))).throttle(pacing).build(), "GET");
    clock.advance(Duration.ofMillis(30));
    attempts.get(1).complete(FakeResponse.of(503));
    assertEquals(1, attempts.started.size(), "the throttle asked to wait: not sent yet");
    clock.advance(Duration.ofMillis(50));
    assertEquals(2, attempts.started.size(), "sent once the throttle's wait was over");
    assertFalse(attempts.get(2).context.hedge, "nothing else runs: a retry, not a hedge");
    attempts.get(2).complete(FakeResponse.of(200));
    assertEquals(200, call.get().status);
  }

  @Test
  void aFinalStatusFromAHedgeEndsTheCallAndCancelsTheOthers() throws Exception {
    CompletableFuture<FakeResponse> call =
        run(policy(Hedging.after(Duration.ofMillis(100))).build(), "GET");
    clock.advance(Duration.ofMillis(100));
    attempts.get(2).complete(FakeResponse.of(404));
    assertEquals(404, call.get().status);
    assertTrue(attempts.get(1).isCancelled());
  }

  @Test
  void aRetryableStatusWithNoHedgeLeftWaitsForTheAttemptStillRunning() throws Exception {
    CompletableFuture<FakeResponse> call =
        run(policy(Hedging.after(Duration.ofMillis(100))).build(), "GET");
    clock.advance(Duration.ofMillis(100));
    FakeResponse unavailable = FakeResponse.of(503);
    attempts.get(2).complete(unavailable);
    assertFalse(call.isDone());
    assertEquals(1, unavailable.closed);
    clock.advance(Duration.ofSeconds(10));
    assertEquals(2, attempts.started.size());
    attempts.get(1).complete(FakeResponse.of(200));
    assertEquals(200, call.get().status);
  }

  @Test
  void aRetryAfterHintHoldsBackTheNextHedgeUntilItsTime() throws Exception {
    RetryPolicy policy = policy(Hedging.after(Duration.ofMillis(200)).maxHedges(2))
        .random(() -> 0.0).build();
    CompletableFuture<FakeResponse> call = run(policy, "GET");
    clock.advance(Duration.ofMillis(10));
    attempts.get(1).complete(FakeResponse.of(503, "Retry-After", "2"));
    clock.advance(Duration.ofMillis(1999));
    assertEquals(1, attempts.started.size(), "no hedge before the server's time");
    clock.advance(Duration.ofMillis(1));
    assertEquals(2, attempts.started.size());
    assertFalse(attempts.get(2).context.hedge, "nothing else was running: a plain retry");
    clock.advance(Duration.ofMillis(200));
    assertEquals(3, attempts.started.size(), "hedging resumes after the hinted attempt");
    attempts.get(3).complete(FakeResponse.of(200));
    assertEquals(200, call.get().status);
  }

  @Test
  void aHintThatEndsRetryingStopsHedgingToo() throws Exception {
    RetryPolicy policy = policy(Hedging.after(Duration.ofMillis(100)).maxHedges(3))
        .maxRetryAfter(Duration.ofSeconds(10)).build();
    CompletableFuture<FakeResponse> call = run(policy, "GET");
    clock.advance(Duration.ofMillis(100));
    attempts.get(2).complete(FakeResponse.of(503, "Retry-After", "3600"));
    clock.advance(Duration.ofSeconds(5));
    assertEquals(2, attempts.started.size(), "no further hedge");
    assertFalse(call.isDone(), "attempt 1 may still answer");
    attempts.get(1).complete(FakeResponse.of(200));
    assertEquals(200, call.get().status);
  }

  @Test
  void failuresOfEveryAttemptEndTheCallWithAHistoryMarkingTheHedge() {
    RetryPolicy policy = policy(Hedging.after(Duration.ofMillis(100))).maxAttempts(2).build();
    CompletableFuture<FakeResponse> call = run(policy, "GET");
    clock.advance(Duration.ofMillis(100));
    attempts.get(1).completeExceptionally(new ConnectException("refused"));
    assertFalse(call.isDone());
    attempts.get(2).completeExceptionally(new ConnectException("refused again"));
    ExecutionException e = assertThrows(ExecutionException.class, call::get);
    ConnectException last = (ConnectException) e.getCause();
    assertEquals("refused again", last.getMessage());
    List<RetryEvent> history = RetriesExhaustedException.historyOf(last);
    assertEquals(2, history.size());
    assertFalse(history.get(0).hedge());
    assertTrue(history.get(1).hedge());
    assertEquals(2, last.getSuppressed().length, "the first attempt's failure, then the report");
    assertEquals("refused", last.getSuppressed()[0].getMessage());
  }

  @Test
  void theCallersCancelStopsEveryAttemptAndTheTimer() {
    CompletableFuture<FakeResponse> call =
        run(policy(Hedging.after(Duration.ofMillis(100)).maxHedges(2)).build(), "GET");
    clock.advance(Duration.ofMillis(100));
    assertTrue(call.cancel(true));
    assertTrue(attempts.get(1).isCancelled());
    assertTrue(attempts.get(2).isCancelled());
    clock.advance(Duration.ofSeconds(10));
    assertEquals(2, attempts.started.size());
    assertEquals(0, clock.pendingTasks());
    assertThrows(CancellationException.class, call::join);
  }

  @Test
  void aHedgeTheBudgetRefusesIsNotSent() {
    // No floor, one token: a spent budget stops hedges as it stops retries.
    RetryBudget budget = RetryBudget.perHost(1, 1, 0).minRetriesPerSecond(0);
    RetryPolicy policy = policy(Hedging.after(Duration.ofMillis(100))).retryBudget(budget).build();
    RetryExecutor executor = new RetryExecutor(policy);
    CallInfo get = CallInfo.builder("GET", "https://api.example.com/x").build();
    // Retries stop working: two losing hedges count as failed retries.
    for (int i = 0; i < 2; i++) {
      run(executor, get);
      clock.advance(Duration.ofMillis(100));
      attempts.started.get(attempts.started.size() - 2).complete(FakeResponse.of(200));
    }
    assertFalse(budget.retriesWorking("api.example.com"));
    int before = attempts.started.size();
    run(executor, get);
    clock.advance(Duration.ofMillis(100));
    assertEquals(before + 2, attempts.started.size(), "the one token pays for a hedge");
    attempts.started.get(before).complete(FakeResponse.of(200));
    run(executor, get);
    clock.advance(Duration.ofSeconds(5));
    assertEquals(before + 3, attempts.started.size(), "the budget is spent: no hedge");
  }

  @Test
  void underATotalOutageHedgesAndRetriesStayWithinTheBudget() {
    // Every attempt fails with 503: without a budget each call would hedge twice and retry twice.
    RetryBudget budget = RetryBudget.perHost(10, 1, 0.1).minRetriesPerSecond(0);
    RetryPolicy policy = policy(Hedging.after(Duration.ofMillis(50)).maxHedges(2))
        .retryBudget(budget).build();
    RetryExecutor executor = new RetryExecutor(policy);
    CallInfo get = CallInfo.builder("GET", "https://api.example.com/x").build();
    int calls = 200;
    for (int i = 0; i < calls; i++) {
      CompletableFuture<FakeResponse> call = run(executor, get);
      while (!call.isDone()) {
        Attempt pending = null;
        for (Attempt a : attempts.started) if (!a.isDone()) pending = a;
        if (pending != null) {
          clock.advance(Duration.ofMillis(10));
          if (!pending.isDone()) pending.complete(FakeResponse.of(503));
        } else {
          clock.runNext();
        }
      }
    }
    int extra = attempts.started.size() - calls;
    // The bound: 2 that go out before retries are seen to fail (each failure moves the running
    // average 1/16 towards 0, and below 90% they stop being free), then the bucket's 10 tokens.
    assertEquals(12, extra, "extra attempts over " + calls + " calls");
  }

  @Test
  void thePercentileDelayFollowsTheHostsLatencyAfterWarmUp() throws Exception {
    RetryPolicy policy = policy(Hedging.atPercentile(0.9).warmUpDelay(Duration.ofMillis(500)))
        .build();
    RetryExecutor executor = new RetryExecutor(policy);
    CallInfo get = CallInfo.builder("GET", "https://api.example.com/x").build();
    assertEquals(Duration.ofMillis(500).toNanos(), executor.hedgeDelays.delayNanos("api.example.com"));
    for (int i = 0; i < Hedging.MIN_SAMPLES; i++) {
      CompletableFuture<FakeResponse> call = run(executor, get);
      clock.advance(Duration.ofMillis(i < 18 ? 10 : 40)); // two slow ones in twenty
      attempts.started.get(attempts.started.size() - 1).complete(FakeResponse.of(200));
      assertEquals(200, call.get().status);
    }
    // p90 of 18 x 10 ms and 2 x 40 ms is 10 ms, to the bucket's upper end (1/16 wide).
    assertEquals(10_240_000, executor.hedgeDelays.delayNanos("api.example.com"));
    int before = attempts.started.size();
    run(executor, get);
    clock.advance(Duration.ofNanos(10_239_999));
    assertEquals(before + 1, attempts.started.size());
    clock.advance(Duration.ofNanos(1));
    assertEquals(before + 2, attempts.started.size());
  }

  @Test
  void anAttemptOutrunByItsHedgeCountsAsTheDelayNotAsItsTimeUntilCancelled() throws Exception {
    RetryPolicy policy = policy(Hedging.atPercentile(0.9)).build();
    RetryExecutor executor = new RetryExecutor(policy);
    CallInfo get = CallInfo.builder("GET", "https://api.example.com/x").build();
    for (int i = 0; i < Hedging.MIN_SAMPLES; i++) {
      run(executor, get);
      clock.advance(Duration.ofMillis(10));
      attempts.started.get(attempts.started.size() - 1).complete(FakeResponse.of(200));
    }
    long delay = executor.hedgeDelays.delayNanos("api.example.com");
    assertEquals(10_240_000, delay);
    // Forty calls whose first attempt is slow: each hedge answers 10 ms after it went out and
    // outruns the first, which had been running for 20.24 ms. Recorded at that time, the losers
    // (40 of 100 latencies) would carry p90 up to about 20 ms; at the delay, it stays.
    for (int i = 0; i < 40; i++) {
      CompletableFuture<FakeResponse> call = run(executor, get);
      clock.advance(Duration.ofNanos(delay));
      Attempt hedge = attempts.started.get(attempts.started.size() - 1);
      assertTrue(hedge.context.hedge);
      clock.advance(Duration.ofMillis(10));
      hedge.complete(FakeResponse.of(200));
      assertEquals(200, call.get().status);
    }
    assertEquals(delay, executor.hedgeDelays.delayNanos("api.example.com"));
  }

  @Test
  void aLatencyWindowForgetsOldLatenciesAndBoundsItsMemory() {
    HedgeDelays.Window window = new HedgeDelays.Window();
    for (int i = 0; i < HedgeDelays.Window.SIZE; i++) window.record(1_000_000_000L);
    assertTrue(window.percentileNanos(0.5, 0) >= 1_000_000_000L);
    for (int i = 0; i < HedgeDelays.Window.SIZE; i++) window.record(2_000_000);
    long p = window.percentileNanos(0.99, 0);
    assertTrue(p >= 2_000_000 && p <= 2_000_000 * 17 / 16, "only the recent latencies: " + p);
    // Buckets are monotonic and each latency lies below its bucket's upper end.
    int previous = -1;
    for (long nanos = 0; nanos < 100_000_000_000L; nanos = nanos * 11 / 10 + 1000) {
      int b = HedgeDelays.Window.bucket(nanos);
      assertTrue(b >= previous && b < HedgeDelays.Window.BUCKETS);
      assertTrue(nanos < HedgeDelays.Window.upperNanos(b), nanos + " in bucket " + b);
      previous = b;
    }
  }

  @Test
  void observersHearOfEachHedge() throws Exception {
    AtomicInteger hedges = new AtomicInteger();
    RetryPolicy policy = policy(Hedging.after(Duration.ofMillis(100)))
        .observer(call -> new CallObserver() {
          @Override
          public void hedgeSent(int attempt) {
            hedges.incrementAndGet();
          }
        }).build();
    CompletableFuture<FakeResponse> call = run(policy, "GET");
    clock.advance(Duration.ofMillis(100));
    attempts.get(1).complete(FakeResponse.of(200));
    assertEquals(200, call.get().status);
    assertEquals(1, hedges.get());
  }

  @Test
  void awaitRunsAHedgedCallOnTheCallersThread() throws Exception {
    RetryPolicy policy = policy(Hedging.after(Duration.ofMillis(100))).build();
    CompletableFuture<FakeResponse> call = run(policy, "GET");
    attempts.get(1).completeExceptionally(new IOException("boom"));
    clock.advance(Duration.ofMillis(1));
    attempts.get(2).complete(FakeResponse.of(200));
    assertEquals(200, RetryExecutor.await(call).status);
    CompletableFuture<FakeResponse> cancelled = run(policy, "GET");
    cancelled.cancel(true);
    IOException e = assertThrows(IOException.class, () -> RetryExecutor.await(cancelled));
    assertEquals("Canceled", e.getMessage());
  }
}
