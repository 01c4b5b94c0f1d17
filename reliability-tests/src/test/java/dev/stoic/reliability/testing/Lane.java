package dev.stoic.reliability.testing;

/** The six ways a logical call reaches the server through Stoic. */
public enum Lane {
  /** StoicInterceptor, Call.execute(). */
  OKHTTP_EXECUTE,
  /** StoicInterceptor, Call.enqueue(): waits sleep on a dispatcher thread. */
  OKHTTP_ENQUEUE,
  /** StoicCallFactory, Call.execute(). */
  FACTORY_EXECUTE,
  /** StoicCallFactory, Call.enqueue(): waits are scheduled. */
  FACTORY_ENQUEUE,
  /** StoicHttpClient.send(). */
  JDK_SEND,
  /** StoicHttpClient.sendAsync(). */
  JDK_SEND_ASYNC;

  public boolean isOkHttp() {
    return this != JDK_SEND && this != JDK_SEND_ASYNC;
  }

  public boolean isAsync() {
    return this == OKHTTP_ENQUEUE || this == FACTORY_ENQUEUE || this == JDK_SEND_ASYNC;
  }

  public boolean usesFactory() {
    return this == FACTORY_EXECUTE || this == FACTORY_ENQUEUE;
  }
}
