package dev.stoic.testing;

import dev.stoic.RetryClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A clock that only moves when told to. {@link #sleep} advances it at once and records the
 * duration, so tests assert exact waits; {@link #schedule}d tasks run when {@link #advance} or
 * {@link #runNext} reaches them. Thread-safe.
 */
public final class VirtualClock implements RetryClock {
  private final Instant epoch;
  private long nanos;
  private long sequence;
  private final List<Duration> sleeps = new ArrayList<>();
  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));

  public VirtualClock() {
    this(Instant.parse("2026-11-22T10:00:00Z"));
  }

  public VirtualClock(Instant epoch) {
    this.epoch = epoch;
  }

  @Override
  public synchronized long nanoTime() {
    return nanos;
  }

  @Override
  public synchronized Instant instant() {
    return epoch.plusNanos(nanos);
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    if (Thread.interrupted()) throw new InterruptedException();
    synchronized (this) {
      sleeps.add(duration);
      nanos += duration.toNanos();
    }
  }

  /**
   * Moves time forward by {@code duration} as {@link #advance} does, running the tasks that fall
   * due, but stops at the task that completes {@code wake}: a sync wait that a scheduled cancel
   * cuts short ends exactly when the cancel ran. Records the time actually waited.
   */
  @Override
  public void sleep(Duration duration, CompletionStage<?> wake) throws InterruptedException {
    if (Thread.interrupted()) throw new InterruptedException();
    CompletableFuture<?> signal = wake.toCompletableFuture();
    long start;
    long target;
    synchronized (this) {
      start = nanos;
      target = nanos + duration.toNanos();
    }
    while (!signal.isDone()) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.at > target) {
          nanos = target;
          break;
        }
        tasks.poll();
        nanos = next.at;
      }
      next.task.run();
    }
    synchronized (this) {
      sleeps.add(Duration.ofNanos(nanos - start));
    }
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    Task t = new Task(nanos + delay.toNanos(), sequence++, task);
    tasks.add(t);
    return () -> {
      synchronized (VirtualClock.this) {
        tasks.remove(t);
      }
    };
  }

  /** Moves time forward by {@code duration}, running every task that falls due on the way. */
  public void advance(Duration duration) {
    long target;
    synchronized (this) {
      target = nanos + duration.toNanos();
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.at > target) {
          nanos = target;
          return;
        }
        tasks.poll();
        nanos = next.at;
      }
      next.task.run();
    }
  }

  /** Jumps to the next scheduled task and runs it; returns false if none is pending. */
  public boolean runNext() {
    Task next;
    synchronized (this) {
      next = tasks.poll();
      if (next == null) return false;
      nanos = Math.max(nanos, next.at);
    }
    next.task.run();
    return true;
  }

  /** Runs scheduled tasks until none remain. */
  public void runAll() {
    while (runNext()) {
      // keep going
    }
  }

  public synchronized int pendingTasks() {
    return tasks.size();
  }

  /** The sum of all sync sleeps; the sync executor sleeps in slices. */
  public synchronized Duration totalSlept() {
    return Duration.ofNanos(sleeps.stream().mapToLong(Duration::toNanos).sum());
  }

  public synchronized Duration elapsed() {
    return Duration.ofNanos(nanos);
  }

  private static final class Task {
    final long at;
    final long seq;
    final Runnable task;

    Task(long at, long seq, Runnable task) {
      this.at = at;
      this.seq = seq;
      this.task = task;
    }
  }
}
