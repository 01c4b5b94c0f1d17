package dev.stoic;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The real clock. Async waits share one daemon thread: it only hands the next attempt to the
 * transport (which is itself non-blocking), so one thread serves any number of pending retries.
 */
final class SystemRetryClock implements RetryClock {
  static final SystemRetryClock INSTANCE = new SystemRetryClock();

  private final ScheduledThreadPoolExecutor scheduler;

  private SystemRetryClock() {
    scheduler =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, "stoic-retry-scheduler");
              thread.setDaemon(true);
              return thread;
            });
    // Cancelled waits are removed at once, so a burst of cancelled calls holds no memory.
    scheduler.setRemoveOnCancelPolicy(true);
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Instant instant() {
    return Instant.now();
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    long nanos = duration.toNanos();
    if (nanos > 0) TimeUnit.NANOSECONDS.sleep(nanos);
  }

  @Override
  public void sleep(Duration duration, CompletionStage<?> wake) throws InterruptedException {
    long nanos = duration.toNanos();
    if (nanos <= 0) return;
    try {
      wake.toCompletableFuture().get(nanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException | CancellationException e) {
      // The time passed, or the wake-up came (however it completed): either way the wait is over.
    }
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    ScheduledFuture<?> future =
        scheduler.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }
}
