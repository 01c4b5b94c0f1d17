package dev.stoic.jdk;

import dev.stoic.RetryClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real clock, with a fixed wall-clock time (so an HTTP-date Retry-After is an exact wait) and
 * a record of async waits: how many were scheduled, are pending and were called off.
 */
final class WaitRecordingClock implements RetryClock {
  static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  private final RetryClock system = RetryClock.system();
  final CountDownLatch scheduled = new CountDownLatch(1);
  final CountDownLatch cancelled = new CountDownLatch(1);
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicInteger maxPending = new AtomicInteger();

  @Override
  public long nanoTime() {
    return system.nanoTime();
  }

  @Override
  public Instant instant() {
    return NOW;
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    system.sleep(duration);
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    maxPending.accumulateAndGet(pending.incrementAndGet(), Math::max);
    AtomicInteger once = new AtomicInteger();
    Cancellable wait = system.schedule(delay, () -> {
      if (once.getAndIncrement() == 0) pending.decrementAndGet();
      task.run();
    });
    scheduled.countDown();
    return () -> {
      wait.cancel();
      if (once.getAndIncrement() == 0) {
        pending.decrementAndGet();
        cancelled.countDown(); // called off before it ran
      }
    };
  }

  /** The most async waits that were pending at the same moment. */
  int maxPending() {
    return maxPending.get();
  }
}
