package dev.stoic.engine;

import dev.stoic.RetryClock;
import dev.stoic.Throttle;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The wait before a retry, ended early when the throttle starts refusing the host (a circuit
 * opens) and would refuse the retry at its end: the next step then runs at once, asks for its
 * permit and meets the refusal, instead of sleeping out a wait whose end is known. Without it, a
 * call waiting when a circuit opens would end only when its backoff ran out, up to its deadline.
 *
 * <p>The throttle wakes a watch ({@link Throttle#watchRefusals}) on whatever thread changed its
 * mind; the check and the hand-over happen there, quickly: an async wait reschedules its next
 * step on the clock at once (never running it on that thread), a sync wait completes the future
 * its thread sleeps on. The next step runs at most once, whichever of the timer and the wake
 * comes first. Thread-safe.
 */
final class RetryWait implements RetryClock.Cancellable {
  private final RetryExecutor executor;
  private final long endNanos;
  private final Runnable next;
  private final AtomicBoolean done = new AtomicBoolean();
  private volatile RetryClock.Cancellable timer;
  private volatile RetryClock.Cancellable watch;

  private RetryWait(RetryExecutor executor, long endNanos, Runnable next) {
    this.executor = executor;
    this.endNanos = endNanos;
    this.next = next;
  }

  /**
   * Schedules {@code next} after {@code waitNanos} on the clock, earlier if the throttle will
   * refuse the retry: how an async call waits to retry. Cancelling the result calls both off.
   */
  static RetryWait schedule(RetryExecutor executor, AttemptContext state, long waitNanos,
      Runnable next) {
    RetryWait wait = new RetryWait(executor, executor.clock.nanoTime() + waitNanos, next);
    wait.timer = executor.clock.schedule(Duration.ofNanos(waitNanos), wait::fire);
    wait.watch = watch(executor, state, wait.endNanos, wait::wake);
    if (wait.done.get()) wait.watch.cancel(); // the timer fired before the watch was set
    return wait;
  }

  /**
   * Runs {@code refused} when the throttle says that the retry due at {@code endNanos} will be
   * refused; no watch when the policy has no throttle. A throttle that throws is ignored here:
   * the permit before the retry asks it again.
   */
  static RetryClock.Cancellable watch(RetryExecutor executor, AttemptContext state,
      long endNanos, Runnable refused) {
    Throttle throttle = executor.policy.throttle();
    if (throttle == null) return () -> {};
    String host = state.call.host();
    boolean safe = state.safeToRepeat();
    Runnable check = () -> {
      long left = Math.max(0, endNanos - executor.clock.nanoTime());
      String refusal;
      try {
        refusal = throttle.refusesRetry(host, left, safe);
      } catch (RuntimeException e) {
        return;
      }
      if (refusal != null) refused.run();
    };
    try {
      return throttle.watchRefusals(host, check);
    } catch (RuntimeException e) {
      return () -> {};
    }
  }

  /** The throttle will refuse the retry: its step runs now, on the clock's thread. */
  private void wake() {
    if (done.get()) return;
    RetryClock.Cancellable scheduled = timer;
    if (scheduled != null) scheduled.cancel();
    executor.clock.schedule(Duration.ZERO, this::fire);
  }

  private void fire() {
    if (!done.compareAndSet(false, true)) return;
    RetryClock.Cancellable watching = watch;
    if (watching != null) watching.cancel();
    next.run();
  }

  @Override
  public void cancel() {
    done.set(true);
    RetryClock.Cancellable scheduled = timer;
    if (scheduled != null) scheduled.cancel();
    RetryClock.Cancellable watching = watch;
    if (watching != null) watching.cancel();
  }
}
