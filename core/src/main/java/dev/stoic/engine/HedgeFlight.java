package dev.stoic.engine;

import java.util.concurrent.CompletableFuture;

/** One attempt of a {@link HedgedRun} in flight, and what its outcome leads to. */
final class HedgeFlight<R> {
  /** What an attempt's outcome leads to. */
  enum Next { NOTHING, HEDGE_NOW, RETRY_LATER, END }

  final AttemptContext context;
  CompletableFuture<R> future; // guarded by the run
  boolean lost; // guarded by the run: cancelled because the call ended
  /** What the attempt's outcome leads to, set while it is decided. */
  Next next = Next.NOTHING;
  long waitNanos;

  HedgeFlight(AttemptContext context) {
    this.context = context;
  }
}
