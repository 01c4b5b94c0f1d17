package dev.stoic.apache;

import dev.stoic.RetryClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * The system clock that records every wait the engine asks for (sync or async) and, unless told
 * to keep them, skips it (a skipped sync wait moves this clock on by its length): a test asserts
 * the exact wait without spending it.
 */
final class RecordingClock implements RetryClock {
  private final RetryClock system = RetryClock.system();
  private final boolean keepWaits;
  final List<Duration> waits = new CopyOnWriteArrayList<>();
  /** The time of the sync waits skipped: it counts as passed, so a sliced wait ends. */
  private final java.util.concurrent.atomic.AtomicLong skipped = new java.util.concurrent.atomic.AtomicLong();
  final CountDownLatch waiting = new CountDownLatch(1);
  final CountDownLatch calledOff = new CountDownLatch(1);

  private RecordingClock(boolean keepWaits) {
    this.keepWaits = keepWaits;
  }

  /** Records waits and skips them. */
  static RecordingClock skippingWaits() {
    return new RecordingClock(false);
  }

  /** Records waits and spends them for real (for cancelling one). */
  static RecordingClock keepingWaits() {
    return new RecordingClock(true);
  }

  @Override
  public long nanoTime() {
    return system.nanoTime() + skipped.get();
  }

  @Override
  public Instant instant() {
    return system.instant();
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    waits.add(duration);
    waiting.countDown();
    if (keepWaits) {
      system.sleep(duration);
    } else {
      skipped.addAndGet(duration.toNanos());
    }
  }

  @Override
  public void sleep(Duration duration, java.util.concurrent.CompletionStage<?> wake)
      throws InterruptedException {
    waits.add(duration);
    waiting.countDown();
    if (keepWaits) {
      system.sleep(duration, wake);
    } else {
      skipped.addAndGet(duration.toNanos());
    }
  }

  /** The sum of the waits asked for: a sync wait may come in slices. */
  Duration waited() {
    return waits.stream().reduce(Duration.ZERO, Duration::plus);
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    waits.add(delay);
    waiting.countDown();
    Cancellable wait = system.schedule(keepWaits ? delay : Duration.ZERO, task);
    return () -> {
      wait.cancel();
      calledOff.countDown();
    };
  }
}
