package dev.stoic.apache.internal;

/**
 * Drops one attempt's connection at most once, and never once the attempt has ended. An exec
 * runtime is shared by every attempt of a call, so a time limit that fires late (its timer
 * thread busy) must not discard the connection the next attempt has leased: {@link #end()} and
 * {@link #run()} exclude each other, so the attempt ends only after an abort under way is done.
 */
final class AttemptAbort implements Runnable {
  private final Runnable abort;
  private boolean ended;

  AttemptAbort(Runnable abort) {
    this.abort = abort;
  }

  @Override
  public synchronized void run() {
    if (ended) return;
    ended = true;
    abort.run();
  }

  /** Marks the attempt ended: a later {@link #run()} does nothing. */
  synchronized void end() {
    ended = true;
  }
}
