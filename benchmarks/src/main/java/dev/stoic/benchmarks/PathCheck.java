package dev.stoic.benchmarks;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.function.LongSupplier;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Fails a run whose benchmark no longer does what its name says: a call that did not end in 200,
 * or made another number of attempts than its path ({@code success*}: 1, {@code retryOnce*}: 2).
 * It runs the benchmark's own method once and nothing else: calling other paths would pollute the
 * type profiles the JIT compiled the measured path with.
 */
final class PathCheck {
  private PathCheck() {}

  static void check(Object benchmark, BenchmarkParams params, LongSupplier requests)
      throws Throwable {
    String name = params.getBenchmark();
    name = name.substring(name.lastIndexOf('.') + 1);
    long expected = name.startsWith("retryOnce") ? 2 : 1;
    Method method = benchmark.getClass().getMethod(name);
    long before = requests.getAsLong();
    Object status;
    try {
      status = method.invoke(benchmark);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
    long made = requests.getAsLong() - before;
    if (!Integer.valueOf(200).equals(status) || made != expected) {
      throw new IllegalStateException(name + ": the call ended with " + status + " after " + made
          + " requests; expected 200 after " + expected);
    }
  }
}
