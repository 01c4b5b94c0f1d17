package dev.stoic.reliability.testing;

import dev.stoic.RetryClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real clock, counting what is waiting on it: threads in a sync wait and async waits
 * scheduled and neither run nor called off. When both are zero and every call has ended, no
 * retry can start any more: nothing is left that would start one.
 */
public final class CountingClock implements RetryClock {
  private final RetryClock system = RetryClock.system();
  private final AtomicInteger sleeping = new AtomicInteger();
  private final AtomicInteger pending = new AtomicInteger();

  @Override
  public long nanoTime() {
    return system.nanoTime();
  }

  @Override
  public Instant instant() {
    return system.instant();
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    sleeping.incrementAndGet();
    try {
      system.sleep(duration);
    } finally {
      sleeping.decrementAndGet();
    }
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    pending.incrementAndGet();
    AtomicBoolean settled = new AtomicBoolean();
    Cancellable wait = system.schedule(delay, () -> {
      if (settled.compareAndSet(false, true)) pending.decrementAndGet();
      task.run();
    });
    return () -> {
      wait.cancel();
      if (settled.compareAndSet(false, true)) pending.decrementAndGet();
    };
  }

  /** True when no thread is in a sync wait and no async wait is pending. */
  public boolean idle() {
    return sleeping.get() == 0 && pending.get() == 0;
  }
}
