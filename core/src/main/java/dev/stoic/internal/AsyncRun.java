package dev.stoic.internal;

import dev.stoic.FailureKind;
import dev.stoic.RetryClock;
import dev.stoic.RetryEvent.Action;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * One asynchronous logical call: a small state machine driven by attempt completions and
 * scheduled wake-ups. Between attempts it is only a scheduled task on the clock; no thread waits.
 */
final class AsyncRun<R> {
  private final RetryExecutor executor;
  /** The current attempt, which carries the call's record; replaced as each attempt starts. */
  private volatile AttemptContext state;
  private final RetryExecutor.AsyncAttempt<R> attempt;
  private final ResponseAccess<R> access;
  final Result result = new Result();

  // Guarded by this: what a cancel must stop.
  private CompletableFuture<R> inFlight;
  private RetryClock.Cancellable pendingWait;
  private boolean cancelReported;
  /** Set when the caller's cancel() took effect, as opposed to a cancelled attempt ending the call. */
  private volatile boolean callerCancelled;

  AsyncRun(
      RetryExecutor executor,
      AttemptContext state,
      RetryExecutor.AsyncAttempt<R> attempt,
      ResponseAccess<R> access) {
    this.executor = executor;
    this.state = state;
    this.attempt = attempt;
    this.access = access;
  }

  /**
   * The caller's future. However it completes (our final outcome, the caller's cancel(), an
   * orTimeout() or a complete() from outside), the call stops: the pending wait is called off and
   * an attempt in flight is cancelled. After our own completion there is nothing left to stop.
   */
  final class Result extends CompletableFuture<R> {
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      // What super.cancel() does, but knowing whether this cancel is what ended the call:
      // super.cancel() also returns true when the call already ended with a CancellationException
      // (an attempt cancelled by someone else), and that end was reported already.
      boolean cancelledNow = super.completeExceptionally(new CancellationException());
      if (cancelledNow) {
        callerCancelled = true;
        stop();
      }
      return cancelledNow || isCancelled();
    }

    @Override
    public boolean completeExceptionally(Throwable failure) {
      boolean completed = super.completeExceptionally(failure);
      if (completed) stop();
      return completed;
    }

    @Override
    public boolean complete(R value) {
      boolean completed = super.complete(value);
      if (completed) stop();
      return completed;
    }
  }

  /** Starts the next attempt, after the throttle's permit wait if it asks for one. */
  void startAttempt() {
    if (result.isDone()) return;
    if (executor.policy.throttle() != null) {
      long wait;
      try {
        wait = executor.permitWaitNanos(state);
      } catch (IOException e) {
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
    state = state.next(executor.clock.nanoTime());
    CompletableFuture<R> future;
    try {
      future = attempt.start(state);
    } catch (RuntimeException | Error e) {
      future = CompletableFuture.failedFuture(e);
    }
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
      if (callerCancelled) reportCancel(); // the attempt that the cancel aborted
      return;
    }
    if (failure != null) {
      onFailure(unwrap(failure));
      return;
    }
    Decision decision;
    try {
      decision = executor.decideResponse(state, response, access);
    } catch (RuntimeException | Error e) {
      access.discard(response);
      result.completeExceptionally(e);
      return;
    }
    if (decision.action == Action.RETRY) {
      access.discard(response);
      scheduleNext(decision.waitNanos);
      return;
    }
    try {
      R last = executor.finishResponse(state, response, access, decision);
      if (!result.complete(last)) access.discard(last);
    } catch (IOException e) {
      result.completeExceptionally(e);
    }
  }

  private void onFailure(Throwable failure) {
    FailureKind kind = FailureClassifier.classify(failure);
    if (!(failure instanceof IOException)
        && kind != FailureKind.CANCELLED
        && kind != FailureKind.INTERRUPTED) {
      // As in the sync loop: only an IOException is a transport failure. Anything else is never
      // retried, whatever its causes say, so the decision and its event must not say RETRY.
      kind = FailureKind.NOT_IO;
    }
    if (kind == FailureKind.CANCELLED || callerCancelled) {
      // Racing the caller's cancel(): whichever of us gets here first reports it, once.
      synchronized (this) {
        if (cancelReported) {
          result.completeExceptionally(failure); // a no-op if cancel() already completed it
          return;
        }
        cancelReported = true;
      }
    }
    Decision decision = executor.decideFailure(state, failure, kind);
    if (!(failure instanceof IOException)) {
      result.completeExceptionally(failure);
      return;
    }
    if (decision.action != Action.RETRY) {
      result.completeExceptionally(executor.finalFailure(state, (IOException) failure, kind));
      return;
    }
    state.recordFailure(failure);
    scheduleNext(decision.waitNanos);
  }

  private void scheduleNext(long waitNanos) {
    state.previousWaitNanos = waitNanos;
    if (waitNanos <= 0) {
      startAttempt();
      return;
    }
    schedule(waitNanos, this::startAttempt);
  }

  private void schedule(long waitNanos, Runnable next) {
    RetryClock.Cancellable wait = executor.clock.schedule(Duration.ofNanos(waitNanos), next);
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
  }

  /** Tells listeners, once, that the caller cancelled the call: the same event as the sync path. */
  private void reportCancel() {
    synchronized (this) {
      if (cancelReported) return;
      cancelReported = true;
    }
    executor.emit(state, Decision.giveUp("the call was cancelled"), -1,
        new CancellationException(), FailureKind.CANCELLED);
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
