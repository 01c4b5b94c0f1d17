package dev.stoic.benchmarks;

import dev.stoic.RetryClock;
import java.time.Duration;
import java.time.Instant;

/**
 * A clock whose time stands still: {@link #sleep} returns at once and {@link #schedule} runs its
 * task at once, on the calling thread. Waits cost nothing, so a benchmark measures the engine's
 * decisions rather than time passing, and reading the time costs nothing either (the real clock's
 * cost is measured on its own, by {@code PolicyEngineBenchmark.successSystemClock}).
 *
 * <p>Stateless and thread-safe.
 */
final class FrozenClock implements RetryClock {
  /** The wall-clock instant this clock always reads; HTTP-date hints are measured from it. */
  static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  static final FrozenClock INSTANCE = new FrozenClock();

  private static final Cancellable NOTHING_TO_CANCEL = () -> {};

  private FrozenClock() {}

  @Override
  public long nanoTime() {
    return 0;
  }

  @Override
  public Instant instant() {
    return NOW;
  }

  @Override
  public void sleep(Duration duration) {
    // Time stands still: there is nothing to wait for.
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    task.run();
    return NOTHING_TO_CANCEL;
  }
}
