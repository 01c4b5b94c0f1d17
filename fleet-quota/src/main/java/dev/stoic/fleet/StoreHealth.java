package dev.stoic.fleet;

import java.lang.System.Logger.Level;

/**
 * Whether the store answers, as one throttle sees it; logs each change once. Thread-safe.
 */
final class StoreHealth {
  private static final System.Logger LOG = System.getLogger("dev.stoic.fleet");

  /** The kinds of request, each warmed up on its own. */
  enum Request { READ, WRITE, LEASE, RESTART, COUNT }

  /**
   * How long the first request of each kind may take, until one has been answered: a new
   * connection's first requests load classes, open sockets and set up partitions (on a cold
   * Hazelcast cluster, a few hundred milliseconds each), and counting that as a slow store would
   * start every instance on its own.
   */
  static final long FIRST_CONTACT_NANOS = 2_000_000_000L;

  private final String store;
  private final long maxWaitNanos;
  private volatile boolean up = true;
  /** A bit per {@link Request} answered at least once. */
  private volatile int warmed;

  StoreHealth(String store, long maxWaitNanos) {
    this.store = store;
    this.maxWaitNanos = maxWaitNanos;
  }

  boolean up() {
    return up;
  }

  /** How long a request of this kind may take before the store counts as slow. */
  long timeoutNanos(Request kind) {
    boolean warm = (warmed & (1 << kind.ordinal())) != 0;
    return warm ? maxWaitNanos : Math.max(maxWaitNanos, FIRST_CONTACT_NANOS);
  }

  /** The store failed or did not answer in time: pace locally until it answers again. */
  void failed(Throwable e) {
    if (!up) return;
    synchronized (this) {
      if (!up) return;
      up = false;
    }
    // The class only: a store's message may name addresses or credentials of its own.
    LOG.log(Level.WARNING, store + " did not answer in time ("
        + rootCause(e).getClass().getName() + "): each instance paces on its own until it does");
  }

  /** The store answered a request of this kind. */
  void answered(Request kind) {
    int bit = 1 << kind.ordinal();
    if ((warmed & bit) == 0) {
      synchronized (this) {
        warmed |= bit;
      }
    }
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
