package dev.stoic.benchmarks;

import dev.stoic.RetryClock;
import java.time.Duration;
import java.time.Instant;

/**
 * Virtual time for simulations: {@link #sleep} moves the clock forward at once instead of waiting,
 * so a wait of 8 s costs nothing but is still a wait of 8 s to the executor (unlike {@link
 * FrozenClock}, whose time never moves, which suits benchmarks that never wait). {@link #schedule}
 * moves time forward and runs the task at once, on the calling thread.
 *
 * <p>Thread-safe, though a simulation uses one per thread.
 */
final class VirtualTime implements RetryClock {
  private long nanos;

  @Override
  public synchronized long nanoTime() {
    return nanos;
  }

  @Override
  public synchronized Instant instant() {
    return FrozenClock.NOW.plusNanos(nanos);
  }

  @Override
  public synchronized void sleep(Duration duration) {
    nanos += Math.max(0, duration.toNanos());
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    sleep(delay);
    task.run();
    return () -> {};
  }
}
