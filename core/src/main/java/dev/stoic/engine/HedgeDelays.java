package dev.stoic.engine;

import dev.stoic.Hedging;
import dev.stoic.Throttle;
import dev.stoic.http.FailureKind;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long a hedged call waits before its next hedge: the policy's fixed delay, or the recent
 * attempt latency of the call's host at the policy's percentile. The latencies are the state that
 * keeps {@link dev.stoic.RetryPolicy#decide} pure: they live here, one window per host, per
 * executor.
 *
 * <p>Memory is bounded: each host keeps its last {@link Window#SIZE} latencies in about 3 KB, and
 * at most {@link #MAX_HOSTS} hosts are tracked; further hosts hedge at the warm-up delay. Not
 * API. Thread-safe: a window's lock is held for a few array writes, and a percentile is
 * recomputed only every {@link Window#RECOMPUTE_EVERY} latencies.
 */
final class HedgeDelays {
  /** Hosts tracked per client: more than a client talks to, few enough to bound memory. */
  static final int MAX_HOSTS = 1024;

  private final Hedging hedging;
  private final long fixedNanos;
  private final ConcurrentHashMap<String, Window> hosts;

  HedgeDelays(Hedging hedging) {
    this.hedging = hedging;
    this.fixedNanos = hedging.delay().toNanos();
    this.hosts = hedging.percentile() == 0 ? null : new ConcurrentHashMap<>();
  }

  /** The delay before a hedge to {@code host}, in nanoseconds. */
  long delayNanos(String host) {
    if (hosts == null) return fixedNanos;
    Window window = hosts.get(host);
    return window == null ? fixedNanos : window.percentileNanos(hedging.percentile(), fixedNanos);
  }

  /**
   * Records how long an attempt to {@code host} took: to its response, or, for an attempt that
   * lost to a hedge, until it was cancelled (it would have taken at least that long).
   */
  void record(String host, long nanos) {
    if (hosts == null) return;
    Window window = hosts.get(host);
    if (window == null) {
      if (hosts.size() >= MAX_HOSTS) return;
      window = hosts.computeIfAbsent(host, h -> new Window());
    }
    window.record(nanos);
  }

  /**
   * Records an attempt outrun by a later one to {@code host}: it was slower than the hedge delay,
   * so it is recorded at that delay, a lower bound that cannot push the percentile past where it
   * stood. (Its time until the cancel would: the delay would creep up by a hedge's latency each
   * round.) Just below the delay: the delay is the end of its bucket, and the end itself would
   * fall in the next bucket up and raise the percentile a bucket at a time.
   */
  void recordOutrun(String host, long nanos) {
    record(host, Math.min(nanos, delayNanos(host) - 1));
  }

  /**
   * A hedge is worth sending only if the throttle lets it go at once: one that would wait is
   * dropped (its permit let go), and a refusal leaves the attempts in flight to answer.
   */
  static boolean throttlePermitsHedge(Throttle throttle, String host) {
    if (throttle == null) return true;
    long wait;
    try {
      wait = throttle.permitNanos(host, true);
    } catch (IOException | RuntimeException e) {
      return false;
    }
    if (wait == 0) return true;
    if (wait > 0) {
      try {
        throttle.onFailure(host, FailureKind.CANCELLED);
      } catch (RuntimeException ignored) {
        // as the step does for a throttle's failure report: it changes nothing here
      }
    }
    return false;
  }

  /**
   * The last {@link #SIZE} latencies of one host, counted in log-linear buckets (16 per power of
   * two, so a bucket is at most 1/16 wide: 10 ms is told from 10.6 ms), with a ring that says
   * which bucket to take a latency out of when it leaves the window.
   */
  static final class Window {
    /** Latencies kept: a few seconds of a busy host, long enough to see a 1% tail 5 times. */
    static final int SIZE = 512;
    static final int RECOMPUTE_EVERY = 8;
    private static final int SUB_BITS = 4;
    private static final int SUB = 1 << SUB_BITS;
    /** 2^36 µs is 19 hours: every latency a call can have fits below it. */
    private static final int MAX_EXPONENT = 36;
    static final int BUCKETS = (MAX_EXPONENT - SUB_BITS + 2) * SUB;

    private final int[] counts = new int[BUCKETS];
    private final short[] ring = new short[SIZE];
    private int size;
    private int next;
    private int sinceComputed = RECOMPUTE_EVERY;
    private double computedFor = -1;
    private long computed;

    synchronized void record(long nanos) {
      int bucket = bucket(nanos);
      if (size == SIZE) {
        counts[ring[next]]--;
      } else {
        size++;
      }
      ring[next] = (short) bucket;
      counts[bucket]++;
      next = next + 1 == SIZE ? 0 : next + 1;
      sinceComputed++;
    }

    /** The latency at {@code percentile} (a bucket's upper end), or {@code warmUp} until 20. */
    synchronized long percentileNanos(double percentile, long warmUp) {
      if (size < Hedging.MIN_SAMPLES) return warmUp;
      if (sinceComputed < RECOMPUTE_EVERY && computedFor == percentile) return computed;
      long rank = (long) Math.ceil(percentile * size);
      long seen = 0;
      int b = 0;
      for (; b < BUCKETS - 1; b++) {
        seen += counts[b];
        if (seen >= rank) break;
      }
      computed = upperNanos(b);
      computedFor = percentile;
      sinceComputed = 0;
      return computed;
    }

    static int bucket(long nanos) {
      long micros = Math.max(0, nanos / 1000);
      if (micros < SUB) return (int) micros;
      int exponent = Math.min(63 - Long.numberOfLeadingZeros(micros), MAX_EXPONENT);
      if (exponent == MAX_EXPONENT) return BUCKETS - 1;
      int sub = (int) (micros >>> (exponent - SUB_BITS)) & (SUB - 1);
      return (exponent - SUB_BITS + 1) * SUB + sub;
    }

    /** The first latency above bucket {@code b}, in nanoseconds. */
    static long upperNanos(int b) {
      if (b < SUB) return (b + 1) * 1000L;
      int exponent = b / SUB + SUB_BITS - 1;
      long width = 1L << (exponent - SUB_BITS);
      long lower = (SUB + (b % SUB)) * width;
      return (lower + width) * 1000L;
    }
  }
}
