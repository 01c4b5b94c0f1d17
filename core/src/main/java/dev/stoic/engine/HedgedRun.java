package dev.stoic.engine;

import dev.stoic.Decision;
import dev.stoic.Hedging;
import dev.stoic.RetryBudget;
import dev.stoic.RetryClock;
import dev.stoic.Decision.Action;
import dev.stoic.http.FailureKind;
import dev.stoic.http.Retryability;
import dev.stoic.internal.BudgetAccounts;
import dev.stoic.spi.AsyncAttempt;
import dev.stoic.spi.ResponseAccess;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One hedged logical call: attempts may overlap. The first goes out; if it has not answered after
 * the hedge delay, another goes out beside it (up to {@link Hedging#maxHedges()}); the first
 * outcome that ends the call wins, and every other attempt is cancelled and whatever it returns
 * closed. Each attempt goes through the same {@link AttemptStep} as an unhedged call (decision,
 * budget, throttle, events); what differs is what an outcome that does not end the call leads to:
 *
 * <ul>
 *   <li>a retryable status or failure while another attempt runs starts the next hedge at once
 *       (its budget was paid by the retry decision), or, with no hedge left, waits for the others;
 *   <li>a server hint (Retry-After, pushback) calls off the pending hedge: the next attempt goes
 *       out after the hinted wait; a hint that ends retrying ends hedging too;
 *   <li>a final status (a success, a status the policy never retries) ends the call at once; any
 *       other end (attempts or budget used up) ends it only when no other attempt runs.
 * </ul>
 *
 * <p>Hedge timers are scheduled on the policy's clock; no thread waits for them. Thread-safe:
 * attempt completions, timers and a cancel may race; the state they share is guarded by this.
 */
final class HedgedRun<R> {
  private static final BudgetAccounts<RetryBudget> ACCOUNTS = BudgetAccounts.get();
  private final RetryExecutor executor;
  private final AttemptStep step;
  private final Hedging hedging;
  private final AsyncAttempt<R> attempt;
  private final ResponseAccess<R> access;
  private final String host;
  final Result result = new Result();
  private final Object sending = new Object();

  // Guarded by this.
  /** The last attempt sent (or about to be): the call's history runs back from it. */
  private AttemptContext last;
  private final List<HedgeFlight<R>> flights = new ArrayList<>(2);
  private int hedges;
  private boolean hedgingStopped;
  private RetryClock.Cancellable hedgeTimer;
  private RetryClock.Cancellable retryTimer;
  private boolean ended;
  private boolean callerCancelled;
  /** When the attempt whose outcome ended the call went out. */
  private long winnerSentNanos = Long.MIN_VALUE;

  HedgedRun(RetryExecutor executor, AttemptContext first, AsyncAttempt<R> attempt,
      ResponseAccess<R> access) {
    this.executor = executor;
    this.step = executor.step;
    this.hedging = executor.policy.hedging();
    this.attempt = attempt;
    this.access = access;
    this.host = first.call.host();
    this.last = first;
  }

  /** The caller's future: however it completes, every attempt and timer of the call stops. */
  final class Result extends CallResult<R> {
    @Override
    void cancelledByCaller() {
      synchronized (HedgedRun.this) {
        callerCancelled = true;
      }
      HedgedRun.this.stop();
      step.cancelledByCaller(lastSent());
    }

    @Override
    void stop() {
      HedgedRun.this.stop();
    }
  }

  void start() {
    AttemptContext first;
    synchronized (this) {
      first = last;
    }
    startAfterPermit(first);
  }

  /** Sends an attempt that no other accompanies, after the throttle's wait, as AsyncRun does. */
  private void startAfterPermit(AttemptContext context) {
    if (result.isDone()) return;
    if (executor.policy.throttle() != null) {
      long wait;
      try {
        wait = step.permitWaitNanos(context);
      } catch (IOException | RuntimeException e) {
        result.completeExceptionally(e);
        return;
      }
      if (wait > 0) {
        scheduleRetry(wait, () -> send(context));
        return;
      }
    }
    send(context);
  }

  private void send(AttemptContext context) {
    HedgeFlight<R> flight = new HedgeFlight<>(context);
    synchronized (this) {
      if (ended) return;
      flights.add(flight);
    }
    CompletableFuture<R> future;
    // One attempt goes out at a time: observers open a scope as an attempt starts and close it
    // once it is handed over, on the same thread, and a timer's hedge must not interleave.
    synchronized (sending) {
      context.starting();
      try {
        future = attempt.start(context);
      } catch (RuntimeException | Error e) {
        future = CompletableFuture.failedFuture(e);
      }
      context.handedOver();
    }
    boolean cancelNow;
    synchronized (this) {
      flight.future = future;
      cancelNow = flight.lost;
    }
    if (cancelNow) future.cancel(true); // the call ended while this attempt was starting
    armHedge();
    future.whenComplete((response, failure) -> onDone(flight, response, failure));
  }

  /** Schedules the next hedge, if the call may have one. */
  private void armHedge() {
    long delay = executor.hedgeDelays.delayNanos(host);
    RetryClock.Cancellable old;
    synchronized (this) {
      if (!mayHedge()) return;
      if (delay >= last.remainingNanos(executor.clock.nanoTime())) return;
      old = hedgeTimer;
      hedgeTimer = null;
    }
    if (old != null) old.cancel();
    RetryClock.Cancellable timer = executor.clock.schedule(Duration.ofNanos(delay), this::hedge);
    boolean cancel;
    synchronized (this) {
      cancel = ended || hedgeTimer != null;
      if (!cancel) hedgeTimer = timer;
    }
    if (cancel) timer.cancel();
  }

  /** Guarded by this: whether another hedge may go out now. */
  private boolean mayHedge() {
    return !ended && !hedgingStopped && hedges < hedging.maxHedges()
        && last.attempt < executor.policy.maxAttempts() && !flights.isEmpty();
  }

  /** The hedge timer fired: sends a hedge if the budget and the throttle allow one. */
  private void hedge() {
    AttemptContext context;
    synchronized (this) {
      hedgeTimer = null;
      if (!mayHedge()) return;
      RetryBudget budget = executor.budget;
      // Not sent when the budget refuses.
      if (ACCOUNTS.acquireRetry(budget, host, executor.clock.nanoTime(), 0, 0) < 0) return;
      if (!HedgeDelays.throttlePermitsHedge(executor.policy.throttle(), host)) return;
      context = last.nextOf(flights.get(flights.size() - 1).context, 0);
      context.details().paidRetry = budget.isEnabled();
      context.hedge = true;
      hedges++;
      last = context;
    }
    send(context);
  }

  private void onDone(HedgeFlight<R> flight, R response, Throwable failure) {
    long now = executor.clock.nanoTime();
    boolean lost;
    boolean outrun;
    boolean decided;
    synchronized (this) {
      flights.remove(flight);
      lost = flight.lost || ended;
      // Beaten by an attempt sent after it: it was the slow one.
      outrun = !callerCancelled && flight.context.sentNanos < winnerSentNanos;
      decided = winnerSentNanos != Long.MIN_VALUE;
    }
    AttemptContext context = flight.context;
    if (lost) {
      if (response != null) access.discard(response);
      step.abandoned(context); // nobody decides on it: the throttle lets its permit go
      if (outrun) executor.hedgeDelays.recordOutrun(host, now - context.sentNanos);
      // A hedge or retry that lost added load and did not help: to the budget, it failed.
      if (context.paidRetry() && decided) {
        ACCOUNTS.recordRetry(executor.budget, host, false);
      }
      return;
    }
    if (failure != null) {
      onFailure(flight, AsyncRun.unwrap(failure));
    } else {
      executor.hedgeDelays.record(host, now - context.sentNanos);
      onResponse(flight, response);
    }
    follow(flight);
  }

  private void onResponse(HedgeFlight<R> flight, R response) {
    AttemptContext context = flight.context;
    Decision decision;
    try {
      decision = step.onResponse(context, response, access, d -> settle(flight, d, true));
    } catch (RuntimeException | Error e) {
      flight.next = HedgeFlight.Next.NOTHING;
      result.completeExceptionally(e); // the step closed the response
      return;
    }
    if (flight.next != HedgeFlight.Next.END) return; // a RETRY: the step closed the response
    try {
      R answer = step.finish(context, response, access, decision, lastSent());
      if (!result.complete(answer)) access.discard(answer);
    } catch (IOException e) {
      result.completeExceptionally(e);
    }
  }

  private void onFailure(HedgeFlight<R> flight, Throwable failure) {
    AttemptContext context = flight.context;
    boolean cancelled = FailureKind.of(failure) == FailureKind.CANCELLED;
    // An attempt cancelled by someone else (a dispatcher's cancelAll) ends the call, as unhedged.
    step.onFailure(context, failure, false,
        d -> cancelled ? end(flight, d) : settle(flight, d, false));
    if (flight.next != HedgeFlight.Next.END) return;
    result.completeExceptionally(failure instanceof IOException
        ? step.finalFailure(context, (IOException) failure, lastSent()) : failure);
  }

  private synchronized AttemptContext lastSent() {
    return last;
  }

  /**
   * Decides what an attempt's outcome leads to, and returns the decision to report: one that
   * does not end the call while another attempt runs is reported as a RETRY, so that listeners
   * and observers see the call go on.
   */
  private Decision settle(HedgeFlight<R> flight, Decision decision, boolean response) {
    synchronized (this) {
      if (ended) return end(flight, decision);
      boolean othersRunning = !flights.isEmpty();
      if (decision.action() == Action.RETURN) return end(flight, decision);
      if (decision.action() == Action.GIVE_UP) {
        hedgingStopped = true;
        boolean finalStatus = response
            && executor.policy.retryability(flight.context.status()) == Retryability.NEVER;
        if (finalStatus || !othersRunning) return end(flight, decision);
        flight.next = HedgeFlight.Next.NOTHING;
        return Decision.retry(0, decision.cause(), decision.reason()
            + "; another attempt is still running");
      }
      // RETRY: the budget has paid for another attempt.
      if (last.attempt >= executor.policy.maxAttempts()) {
        // Hedges used the attempts: the ones running are the last.
        flight.next = HedgeFlight.Next.NOTHING;
        if (othersRunning) return decision;
        return end(flight, Decision.giveUp(Decision.Cause.ATTEMPTS, decision.reason()
            + ": every attempt was used"));
      }
      if (decision.serverHinted()) {
        flight.next = HedgeFlight.Next.RETRY_LATER; // the hint sets the next attempt's time
      } else if (!hedgingStopped && hedges < hedging.maxHedges()) {
        flight.next = HedgeFlight.Next.HEDGE_NOW;
        flight.waitNanos = 0;
        // No reason to wait for the hedge delay or a backoff: the next attempt goes out now.
        return Decision.retry(0, decision.cause(), decision.reason() + "; hedged at once");
      } else if (!othersRunning) {
        flight.next = HedgeFlight.Next.RETRY_LATER;
      } else {
        flight.next = HedgeFlight.Next.NOTHING;
        return decision;
      }
      flight.waitNanos = flight.next == HedgeFlight.Next.HEDGE_NOW ? 0 : decision.waitNanos();
      return decision;
    }
  }

  private synchronized Decision end(HedgeFlight<R> flight, Decision decision) {
    flight.next = HedgeFlight.Next.END;
    if (winnerSentNanos == Long.MIN_VALUE) winnerSentNanos = flight.context.sentNanos;
    return decision;
  }

  /** Starts what the attempt's outcome asked for. */
  private void follow(HedgeFlight<R> flight) {
    HedgeFlight.Next next = flight.next;
    if (next != HedgeFlight.Next.HEDGE_NOW && next != HedgeFlight.Next.RETRY_LATER) return;
    AttemptContext context;
    RetryClock.Cancellable oldHedge = null;
    synchronized (this) {
      // A timer's hedge may have taken the last attempt since the outcome was settled.
      if (ended || last.attempt >= executor.policy.maxAttempts()) return;
      if (next == HedgeFlight.Next.HEDGE_NOW) {
        if (HedgeDelays.throttlePermitsHedge(executor.policy.throttle(), host)) {
          hedges++;
        } else if (flights.isEmpty()) {
          // Nothing else runs: not a hedge but a retry, which waits for the throttle as told (or
          // is refused). Dropped, it would leave the call with no attempt and no timer.
          next = HedgeFlight.Next.RETRY_LATER;
        } else {
          return; // the attempts running answer for the call
        }
      } else if (flight.waitNanos > 0) {
        // Nothing goes out before the wait: a pending hedge would undo a server's hint.
        oldHedge = hedgeTimer;
        hedgeTimer = null;
      }
      context = last.nextOf(flight.context, flight.waitNanos);
      context.hedge = next == HedgeFlight.Next.HEDGE_NOW;
      last = context;
    }
    if (oldHedge != null) oldHedge.cancel();
    if (next == HedgeFlight.Next.HEDGE_NOW) {
      send(context);
    } else if (flight.waitNanos <= 0) {
      startLater(context);
    } else {
      // Ends early if the throttle starts refusing the host meanwhile, as an unhedged wait.
      holdRetry(RetryWait.schedule(executor, context, flight.waitNanos, () -> startLater(context)));
    }
  }

  /** A retry whose wait is over: a hedge if another attempt still runs, else as any retry. */
  private void startLater(AttemptContext context) {
    boolean running;
    synchronized (this) {
      retryTimer = null;
      running = !flights.isEmpty();
      if (running) {
        context.hedge = true;
        hedges++;
      }
    }
    if (running) {
      send(context);
    } else {
      startAfterPermit(context);
    }
  }

  private void scheduleRetry(long waitNanos, Runnable next) {
    holdRetry(executor.clock.schedule(Duration.ofNanos(waitNanos), next));
  }

  private void holdRetry(RetryClock.Cancellable wait) {
    boolean cancel;
    synchronized (this) {
      cancel = ended;
      if (!cancel) retryTimer = wait;
    }
    if (cancel) wait.cancel();
  }

  /** The call ended: timers called off, every attempt still running cancelled. */
  private void stop() {
    List<CompletableFuture<R>> toCancel = new ArrayList<>(2);
    RetryClock.Cancellable hedgeWait;
    RetryClock.Cancellable retryWait;
    boolean byCaller;
    synchronized (this) {
      ended = true;
      hedgeWait = hedgeTimer;
      retryWait = retryTimer;
      hedgeTimer = null;
      retryTimer = null;
      for (HedgeFlight<R> flight : flights) {
        flight.lost = true;
        if (flight.future != null) toCancel.add(flight.future);
      }
      byCaller = callerCancelled;
    }
    if (hedgeWait != null) hedgeWait.cancel();
    if (retryWait != null) retryWait.cancel();
    for (CompletableFuture<R> future : toCancel) future.cancel(true);
    // Completed from outside (orTimeout, complete): observers hear of it if nobody told them.
    if (!byCaller) step.completedFromOutside(lastSent());
  }
}
