package dev.stoic.okhttp.testing;

/** The four ways a scenario reaches the server; every scenario must behave the same in each. */
public enum Mode {
  /** StoicInterceptor, Call.execute(). */
  EXECUTE,
  /** StoicInterceptor, Call.enqueue(): waits sleep on a dispatcher thread. */
  ENQUEUE,
  /** StoicCallFactory, Call.execute(). */
  FACTORY_EXECUTE,
  /** StoicCallFactory, Call.enqueue(): waits are scheduled. */
  FACTORY_ENQUEUE;

  public boolean usesFactory() {
    return this == FACTORY_EXECUTE || this == FACTORY_ENQUEUE;
  }

  public boolean isAsync() {
    return this == ENQUEUE || this == FACTORY_ENQUEUE;
  }
}
