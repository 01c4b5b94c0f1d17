package dev.stoic.fleet;

import java.util.concurrent.atomic.LongAdder;

/**
 * The fleet's rate of accepted answers for one quota key, as this instance measures it while the
 * fleet learns a quota nobody announced: each instance adds what it got accepted to a count in
 * the store, and keeps the totals the store answered, with their times, for the last windows.
 * The rate over the last window is what the server let through; after a 429 it is the server's
 * rate. Thread-safe: the count is added to by every response, the rest is guarded by {@code this}.
 */
final class FleetRate {
  private static final int SAMPLES = 64;

  private final LongAdder unreported = new LongAdder();
  private final long[] times = new long[SAMPLES];
  private final long[] totals = new long[SAMPLES];
  private int size;
  private int next;

  /** One answer the server accepted. */
  void accepted() {
    unreported.increment();
  }

  /** What was accepted since the last call, to add to the store's count. */
  long takeUnreported() {
    return unreported.sumThenReset();
  }

  /** Gives back what could not be reported, to be reported next time. */
  void giveBack(long accepted) {
    unreported.add(accepted);
  }

  /** The store's total at {@code nanos} (when it was asked). */
  synchronized void sample(long nanos, long total) {
    times[next] = nanos;
    totals[next] = total;
    next = (next + 1) % SAMPLES;
    size = Math.min(SAMPLES, size + 1);
  }

  /** Forgets the samples: a hold makes a gap that is not the server's rate. */
  synchronized void clear() {
    size = 0;
  }

  /**
   * Answers accepted per window over about the last window, from the newest sample and the
   * newest one at least half a window before it; 0 if the samples do not span half a window
   * yet, or span more than two.
   */
  synchronized double perWindow(long windowNanos) {
    if (size < 2) return 0;
    int newest = (next - 1 + SAMPLES) % SAMPLES;
    for (int i = 1; i < size; i++) {
      int at = (newest - i + SAMPLES) % SAMPLES;
      long span = times[newest] - times[at];
      if (2 * span >= windowNanos) {
        if (span > 2 * windowNanos) return 0;
        return (totals[newest] - totals[at]) * (double) windowNanos / span;
      }
    }
    return 0;
  }
}
