package dev.stoic.reliability.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

/**
 * Live threads before and after a workload. After it, every thread the workload's clients, servers
 * and callers started must end; the only threads allowed to outlive it are the idle workers of
 * JVM-wide pools that the test cannot shut down and that end by themselves after a minute idle:
 * OkHttp's shared TaskRunner, Okio's timeout watchdog, the ForkJoin common pool, and Stoic's one
 * scheduler thread (started once per JVM, for good).
 */
public final class ThreadCensus {
  private static final Pattern JVM_WIDE_POOLS = Pattern.compile(
      "OkHttp TaskRunner.*|Okio Watchdog|ForkJoinPool\\.commonPool-worker-.*|stoic-retry-scheduler");
  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

  private final Set<Thread> before;
  public final int beforeCount;

  private ThreadCensus(Set<Thread> before) {
    this.before = before;
    this.beforeCount = before.size();
  }

  public static ThreadCensus take() {
    MX.resetPeakThreadCount();
    return new ThreadCensus(Set.copyOf(Thread.getAllStackTraces().keySet()));
  }

  /** What is left after a workload. */
  public record Settled(int before, int peak, int after, List<String> jvmWidePoolIdlers,
      List<String> leftOver) {
    @Override
    public String toString() {
      return "threads before " + before + ", peak " + peak + ", after " + after + " ("
          + jvmWidePoolIdlers.size() + " idle JVM-wide pool workers, " + leftOver.size()
          + " others)";
    }
  }

  /**
   * Waits up to {@code limit} for every thread started since {@link #take()} to end, except idle
   * JVM-wide pool workers; collects garbage as it waits, since the JDK client's selector thread
   * ends only once its client is unreachable.
   */
  public Settled settle(Duration limit) {
    int peak = MX.getPeakThreadCount();
    long end = System.nanoTime() + limit.toNanos();
    while (true) {
      List<String> idlers = new ArrayList<>();
      List<String> others = new ArrayList<>();
      Set<Thread> now = Thread.getAllStackTraces().keySet();
      for (Thread thread : now) {
        if (before.contains(thread) || !thread.isAlive()) continue;
        if (JVM_WIDE_POOLS.matcher(thread.getName()).matches()) {
          idlers.add(thread.getName());
        } else {
          others.add(thread.getName());
        }
      }
      int after = (int) now.stream().filter(Thread::isAlive).count();
      if (others.isEmpty() || System.nanoTime() - end > 0) {
        return new Settled(beforeCount, peak, after, idlers, others);
      }
      System.gc();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
  }
}
