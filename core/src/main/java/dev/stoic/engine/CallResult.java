package dev.stoic.engine;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * The caller's future of an asynchronous call. However it completes (the run's own outcome, the
 * caller's cancel(), an orTimeout() or a complete() from outside), the run stops: waits are called
 * off and attempts in flight cancelled. After the run's own completion there is little left to stop.
 */
abstract class CallResult<R> extends CompletableFuture<R> {
  /** The caller's cancel() ended the call: stop, and report it. Called at most once. */
  abstract void cancelledByCaller();

  /** The call ended some other way: stop. Called at most once. */
  abstract void stop();

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    // What super.cancel() does, but knowing whether this cancel is what ended the call:
    // super.cancel() also returns true when the call already ended with a CancellationException
    // (an attempt cancelled by someone else), and that end was reported already.
    boolean cancelledNow = super.completeExceptionally(new CancellationException());
    if (cancelledNow) cancelledByCaller();
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
