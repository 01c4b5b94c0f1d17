package dev.stoic;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The one seam through which Stoic reads time and waits.
 *
 * <p>Production code uses {@link #system()}. Tests inject a virtual clock so that every wait is
 * instantaneous and exact: a test asserts that the second retry waited 2,000 ms, not that it
 * waited "at least a while". Set it per policy with {@link RetryPolicy.Builder#clock}; there is no
 * global hook.
 *
 * <p>Implementations must be thread-safe.
 */
public interface RetryClock {
  /** Monotonic time in nanoseconds, for deadlines and elapsed time. */
  long nanoTime();

  /** Wall-clock time, used only to turn an HTTP-date {@code Retry-After} into a wait. */
  Instant instant();

  /**
   * Blocks the calling thread for {@code duration}.
   *
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  void sleep(Duration duration) throws InterruptedException;

  /**
   * Blocks the calling thread for {@code duration}, or until {@code wake} completes, whichever
   * comes first: how a synchronous retry wait ends at once when its call is cancelled. The
   * default checks {@code wake} between slices of 5 ms; {@link #system()} wakes at once.
   *
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  default void sleep(Duration duration, CompletionStage<?> wake) throws InterruptedException {
    CompletableFuture<?> signal = wake.toCompletableFuture();
    long end = nanoTime() + duration.toNanos();
    long slice = Duration.ofMillis(5).toNanos();
    for (long left = duration.toNanos(); left > 0 && !signal.isDone(); left = end - nanoTime()) {
      sleep(Duration.ofNanos(Math.min(left, slice)));
    }
  }

  /**
   * Runs {@code task} once after {@code delay} without blocking the caller and without holding a
   * thread while the delay runs.
   *
   * @return a handle that prevents the task from running if it has not started yet
   */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduled task that can be called off. */
  @FunctionalInterface
  interface Cancellable {
    /** Prevents the task from running if it has not started; does nothing otherwise. */
    void cancel();
  }

  /**
   * Returns the real clock: {@link System#nanoTime()}, {@link Instant#now()}, {@link
   * Thread#sleep}, and one shared daemon scheduler thread for async waits.
   */
  static RetryClock system() {
    return SystemRetryClock.INSTANCE;
  }
}
