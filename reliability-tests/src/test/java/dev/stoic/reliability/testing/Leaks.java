package dev.stoic.reliability.testing;

import java.lang.reflect.Method;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Leak checks for both clients.
 *
 * <p>OkHttp reports a leaked connection (a response that was never closed, whose call was then
 * garbage-collected) on its "okhttp3.OkHttpClient" logger: "A connection to ... was leaked. Did
 * you forget to close a response body?". {@link OkHttpWatch} captures that logger; {@link
 * #assertOkHttpClean} forces a collection, makes one more exchange so that the pool's cleanup runs
 * and looks, and checks that every connection is idle and can be evicted.
 *
 * <p>The JDK client counts its own outstanding exchanges; its tests read the count through
 * {@code jdk.internal.net.http.common.OperationTrackers}, which the surefire argLine exports.
 */
public final class Leaks {
  private Leaks() {}

  /** Captures OkHttp's warnings while open. */
  public static final class OkHttpWatch extends Handler implements AutoCloseable {
    /** Held strongly: java.util.logging keeps loggers weakly. */
    private final Logger logger = Logger.getLogger("okhttp3.OkHttpClient");
    public final List<String> warnings = new CopyOnWriteArrayList<>();

    public OkHttpWatch() {
      setLevel(Level.WARNING);
      logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
        warnings.add(record.getLevel() + " " + record.getMessage());
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      logger.removeHandler(this);
    }
  }

  /**
   * Returns what leaked through {@code client}: warnings, connections still in use, connections
   * that would not evict. Empty when nothing leaked. {@code probeUrl} must answer any GET.
   */
  public static List<String> okHttpLeaks(OkHttpClient client, OkHttpWatch watch, String probeUrl)
      throws Exception {
    ConnectionPool pool = client.connectionPool();
    // A cancelled exchange releases its connection on OkHttp's own thread, a moment later.
    await(() -> pool.connectionCount() == pool.idleConnectionCount(), Duration.ofSeconds(5));
    int inUse = pool.connectionCount() - pool.idleConnectionCount();
    // Give the leak detector something to find: a response that escaped unclosed holds a weak
    // reference to its call, which the collection clears; the next cleanup reports it.
    System.gc();
    try (Response response = client.newCall(new Request.Builder().url(probeUrl).build()).execute()) {
      response.body().string();
    }
    await(() -> pool.connectionCount() == pool.idleConnectionCount(), Duration.ofSeconds(5));
    pool.evictAll();
    List<String> leaks = new CopyOnWriteArrayList<>(watch.warnings);
    if (inUse != 0) leaks.add(inUse + " connections in use after all calls ended");
    if (pool.connectionCount() != 0) {
      leaks.add(pool.connectionCount() + " connections left after evictAll()");
    }
    return leaks;
  }

  /** The JDK client's count of exchanges not yet finished, once it settles (up to 5 s). */
  public static long jdkOutstandingExchanges(HttpClient client) throws Exception {
    Object tracker = Class.forName("jdk.internal.net.http.common.OperationTrackers$Trackable")
        .getMethod("getOperationsTracker").invoke(client);
    Method outstanding = Class.forName("jdk.internal.net.http.common.OperationTrackers$Tracker")
        .getMethod("getOutstandingHttpOperations");
    await(() -> {
      try {
        return (long) outstanding.invoke(tracker) == 0;
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }, Duration.ofSeconds(5));
    return (long) outstanding.invoke(tracker);
  }

  /** Polls {@code condition} every millisecond until it holds or {@code limit} passes. */
  public static boolean await(BooleanSupplier condition, Duration limit) {
    long end = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) return false;
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    return true;
  }
}
