package dev.stoic.reliability.testing;

import dev.stoic.RetryClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Virtual time for calls made one at a time over real sockets: a wait moves time forward at once
 * instead of passing, so a Retry-After of 90 s costs nothing; scheduled tasks run on one thread of
 * their own. Time moves only by waits, so within one attempt it stands still, and {@link
 * #reset()} puts it back to {@link #NOW} between calls. Records the shortest and longest
 * durations it was asked to wait, to check that none is negative or absurd.
 */
public final class InstantWaits implements RetryClock, AutoCloseable {
  public static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  private final AtomicLong nanos = new AtomicLong();
  private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "instant-waits");
    thread.setDaemon(true);
    return thread;
  });
  /** The shortest and longest durations passed to sleep() or schedule(), in nanoseconds. */
  public final LongAccumulator shortest = new LongAccumulator(Math::min, Long.MAX_VALUE);
  public final LongAccumulator longest = new LongAccumulator(Math::max, Long.MIN_VALUE);
  public final AtomicLong count = new AtomicLong();

  public void reset() {
    nanos.set(0);
  }

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  @Override
  public Instant instant() {
    return NOW.plusNanos(nanos.get());
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    if (Thread.interrupted()) throw new InterruptedException();
    record(duration);
    nanos.addAndGet(duration.toNanos());
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    record(delay);
    AtomicBoolean cancelled = new AtomicBoolean();
    nanos.addAndGet(delay.toNanos());
    runner.execute(() -> {
      if (!cancelled.get()) task.run();
    });
    return () -> cancelled.set(true);
  }

  private void record(Duration duration) {
    long value = duration.toNanos();
    shortest.accumulate(value);
    longest.accumulate(value);
    count.incrementAndGet();
  }

  @Override
  public void close() {
    runner.shutdownNow();
  }
}
