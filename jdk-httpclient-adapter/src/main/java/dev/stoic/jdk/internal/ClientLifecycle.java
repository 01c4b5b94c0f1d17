package dev.stoic.jdk.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * Forwards the lifecycle methods Java 21 added to {@link HttpClient} ({@code shutdown}, {@code
 * shutdownNow}, {@code awaitTermination}, {@code isTerminated}, {@code close}) to a wrapped client.
 *
 * <p>Stoic compiles for Java 17, where these methods do not exist, so they are looked up once at
 * class load. On Java 17 to 20 a client has no lifecycle (it lives until unreachable), and each
 * method behaves as Java 21's {@code HttpClient} base class does for a client without one:
 * shutdown does nothing, awaiting termination returns true at once, and the client never reports
 * itself terminated.
 */
public final class ClientLifecycle {
  private static final MethodHandle SHUTDOWN = find("shutdown", MethodType.methodType(void.class));
  private static final MethodHandle SHUTDOWN_NOW =
      find("shutdownNow", MethodType.methodType(void.class));
  private static final MethodHandle AWAIT_TERMINATION =
      find("awaitTermination", MethodType.methodType(boolean.class, Duration.class));
  private static final MethodHandle IS_TERMINATED =
      find("isTerminated", MethodType.methodType(boolean.class));
  private static final MethodHandle CLOSE = find("close", MethodType.methodType(void.class));

  private ClientLifecycle() {}

  /** True on Java 21 and later, where {@link HttpClient} has a lifecycle to forward. */
  public static boolean available() {
    return SHUTDOWN != null;
  }

  public static void shutdown(HttpClient client) {
    if (SHUTDOWN == null) return;
    try {
      SHUTDOWN.invokeExact(client);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static void shutdownNow(HttpClient client) {
    if (SHUTDOWN_NOW == null) return;
    try {
      SHUTDOWN_NOW.invokeExact(client);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static boolean awaitTermination(HttpClient client, Duration duration)
      throws InterruptedException {
    if (AWAIT_TERMINATION == null) return true;
    try {
      return (boolean) AWAIT_TERMINATION.invokeExact(client, duration);
    } catch (InterruptedException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static boolean isTerminated(HttpClient client) {
    if (IS_TERMINATED == null) return false;
    try {
      return (boolean) IS_TERMINATED.invokeExact(client);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static void close(HttpClient client) {
    if (CLOSE == null) return;
    try {
      CLOSE.invokeExact(client);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  private static MethodHandle find(String name, MethodType type) {
    try {
      return MethodHandles.publicLookup().findVirtual(HttpClient.class, name, type);
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null; // Java 17 to 20.
    }
  }

  /** None of these methods declares a checked exception but awaitTermination's. */
  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException) throw (RuntimeException) t;
    if (t instanceof Error) throw (Error) t;
    throw new IllegalStateException(t);
  }
}
