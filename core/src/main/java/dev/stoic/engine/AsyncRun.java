package dev.stoic.engine;

import dev.stoic.Decision;
import dev.stoic.RetryClock;
import dev.stoic.Decision.Action;
import dev.stoic.http.FailureKind;
import dev.stoic.spi.AsyncAttempt;
import dev.stoic.spi.ResponseAccess;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * One asynchronous logical call: a small state machine driven by attempt completions and
 * scheduled wake-ups, around the same {@link AttemptStep} as the sync loop. Between attempts it is
 * only a scheduled task on the clock; no thread waits.
 */
final class AsyncRun<R> implements Runnable {
  private final RetryExecutor executor;
  private final AttemptStep step;
  /** The current attempt, which carries the call's record; replaced as each attempt starts. */
  private volatile AttemptContext state;
  private final AsyncAttempt<R> attempt;
  private final ResponseAccess<R> access;
  final Result result = new Result();

  // Guarded by this: what a cancel must stop.
  private CompletableFuture<R> inFlight;
  private RetryClock.Cancellable pendingWait;
  private boolean cancelReported;
  /** The wait before the attempt about to start; written before it is scheduled. */
  private volatile long nextWaitNanos;
  /** Set when the caller's cancel() took effect, as opposed to a cancelled attempt ending the call. */
  private volatile boolean callerCancelled;

  AsyncRun(
      RetryExecutor executor,
      AttemptContext state,
      AsyncAttempt<R> attempt,
      ResponseAccess<R> access) {
    this.executor = executor;
    this.step = executor.step;
    this.state = state;
    this.attempt = attempt;
    this.access = access;
  }

  /** The caller's future. */
  final class Result extends CallResult<R> {
    @Override
    void cancelledByCaller() {
      callerCancelled = true;
      AsyncRun.this.stop();
    }

    @Override
    void stop() {
      AsyncRun.this.stop();
    }
  }

  /** When a wait without a throttle ends: {@link #startAttempt()}. */
  @Override
  public void run() {
    startAttempt();
  }

  /** Starts the next attempt, after the throttle's permit wait if it asks for one. */
  void startAttempt() {
    if (result.isDone()) return;
    if (state.decision != null) state = state.next(nextWaitNanos); // a retry, not the first
    if (executor.policy.throttle() != null) {
      long wait;
      try {
        wait = step.permitWaitNanos(state);
      } catch (IOException | RuntimeException e) {
        result.completeExceptionally(e);
        return;
      }
      if (wait > 0) {
        schedule(wait, this::sendAttempt);
        return;
      }
    }
    sendAttempt();
  }

  private void sendAttempt() {
    if (result.isDone()) return;
    state.starting();
    CompletableFuture<R> future;
    try {
      future = attempt.start(state);
    } catch (RuntimeException | Error e) {
      future = CompletableFuture.failedFuture(e);
    }
    state.handedOver();
    synchronized (this) {
      inFlight = future;
    }
    if (result.isDone()) future.cancel(true); // cancelled while we were starting
    future.whenComplete(this::onAttemptDone);
  }

  private void onAttemptDone(R response, Throwable failure) {
    synchronized (this) {
      inFlight = null;
    }
    if (result.isDone()) {
      if (response != null) access.discard(response);
      step.abandoned(state); // nobody decides on it: the throttle lets its permit go
      if (callerCancelled) reportCancel(); // the attempt that the cancel aborted
      return;
    }
    if (failure != null) {
      onFailure(unwrap(failure));
      return;
    }
    Decision decision;
    try {
      decision = step.onResponse(state, response, access);
    } catch (RuntimeException | Error e) {
      result.completeExceptionally(e); // the step closed the response
      return;
    }
    if (decision.action() == Action.RETRY) {
      scheduleNext(decision.waitNanos());
      return;
    }
    try {
      R last = step.finish(state, response, access, decision);
      if (!result.complete(last)) access.discard(last);
    } catch (IOException e) {
      result.completeExceptionally(e);
    }
  }

  private void onFailure(Throwable failure) {
    if (callerCancelled || FailureKind.of(failure) == FailureKind.CANCELLED) {
      // Racing the caller's cancel(): whichever of us gets here first reports it, once.
      synchronized (this) {
        if (cancelReported) {
          result.completeExceptionally(failure); // a no-op if cancel() already completed it
          return;
        }
        cancelReported = true;
      }
    }
    Decision decision = step.onFailure(state, failure, callerCancelled);
    if (decision.action() != Action.RETRY) {
      result.completeExceptionally(failure instanceof IOException
          ? step.finalFailure(state, (IOException) failure) : failure);
      return;
    }
    scheduleNext(decision.waitNanos());
  }

  private void scheduleNext(long waitNanos) {
    // The next attempt's context is made when it starts: a cancel during the wait is reported on
    // the attempt that was decided, as the sync loop does.
    nextWaitNanos = waitNanos;
    if (waitNanos <= 0) {
      startAttempt();
      return;
    }
    if (executor.policy.throttle() == null) {
      schedule(waitNanos, this); // nothing can end the wait early: a plain timer, and no lambda
      return;
    }
    // Ends early if the throttle starts refusing the host meanwhile: the permit then refuses.
    hold(RetryWait.schedule(executor, state, waitNanos, this::startAttempt));
  }

  private void schedule(long waitNanos, Runnable next) {
    hold(executor.clock.schedule(Duration.ofNanos(waitNanos), next));
  }

  private void hold(RetryClock.Cancellable wait) {
    synchronized (this) {
      pendingWait = wait;
    }
    if (result.isDone()) wait.cancel();
  }

  private void stop() {
    CompletableFuture<R> attemptToCancel;
    RetryClock.Cancellable waitToCancel;
    synchronized (this) {
      attemptToCancel = inFlight;
      waitToCancel = pendingWait;
      inFlight = null;
      pendingWait = null;
    }
    if (waitToCancel != null) waitToCancel.cancel();
    if (attemptToCancel != null) {
      attemptToCancel.cancel(true); // its completion reports the cancel, in order with its events
    } else if (callerCancelled) {
      reportCancel(); // cancelled during a wait
    }
    // Completed from outside (orTimeout, complete): no event follows, but observers hear of it.
    if (!callerCancelled) step.completedFromOutside(state);
  }

  /** Tells listeners, once, that the caller cancelled the call: the same event as the sync path. */
  private void reportCancel() {
    synchronized (this) {
      if (cancelReported) return;
      cancelReported = true;
    }
    step.cancelledByCaller(state);
  }

  /** The failure inside a future's wrapping. */
  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
