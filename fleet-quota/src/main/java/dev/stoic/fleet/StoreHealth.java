package dev.stoic.fleet;

import java.lang.System.Logger.Level;

/**
 * Whether the store answers, as one throttle sees it; logs each change once. Thread-safe.
 */
final class StoreHealth {
  private static final System.Logger LOG = System.getLogger("dev.stoic.fleet");

  private final String store;
  private final long maxWaitMillis;
  private volatile boolean up = true;

  StoreHealth(String store, long maxWaitMillis) {
    this.store = store;
    this.maxWaitMillis = maxWaitMillis;
  }

  boolean up() {
    return up;
  }

  /** The store failed or did not answer in time: pace locally until it answers again. */
  void failed(Throwable e) {
    if (!up) return;
    synchronized (this) {
      if (!up) return;
      up = false;
    }
    // The class only: a store's message may name addresses or credentials of its own.
    LOG.log(Level.WARNING, store + " did not answer within " + maxWaitMillis + " ms ("
        + rootCause(e).getClass().getName() + "): each instance paces on its own until it does");
  }

  /** The store answered. */
  void answered() {
    if (up) return;
    synchronized (this) {
      if (up) return;
      up = true;
    }
    LOG.log(Level.INFO, store + " answers again: the fleet shares its quota again");
  }

  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) cause = cause.getCause();
    return cause;
  }
}
