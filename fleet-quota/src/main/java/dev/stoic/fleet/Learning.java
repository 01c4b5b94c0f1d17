package dev.stoic.fleet;

import java.util.HashMap;
import java.util.Map;

/**
 * How the fleet learns the rate of a server that announces no quota, for one quota key as this
 * instance sees it (docs/semantics/load.md, "A quota nobody announced").
 *
 * <p>After a 429 with a short wait (at most {@link #WINDOW_MILLIS}), every instance counts the
 * answers it gets accepted and refused in each window (wall-clock seconds) and adds them to the
 * window's counts in the store. Once a window has ended and every instance has reported it, each
 * instance reads the fleet's counts for it and comes to the same decision ({@link #decide}): over
 * a window with 429s in it the fleet sent more than the server takes, so what it got accepted is
 * the server's rate, the learned quota. The fleet paces {@link #PROBE} above it, which keeps the
 * server's bucket full as instances alone do, with far fewer 429s; each instance paces at an
 * equal share of that, counting the instances that reported answers in the window.
 *
 * <p>Thread-safe: guarded by {@code this}.
 */
final class Learning {
  /** The window the fleet measures a learned quota in. */
  static final long WINDOW_MILLIS = 1000;
  /** How much faster than a settled quota the fleet paces. */
  static final double PROBE = 0.20;
  /** How many windows are read while measuring, before the quota is learned. */
  static final int MEASURED_WINDOWS = 3;
  /** A window with 429s lowers a learned quota to this share of it at most. */
  static final double KEEP = 0.9;

  /** Per window: {accepted, refused, 1 if this instance has not reported it before}. */
  private final Map<Long, long[]> unreported = new HashMap<>();
  /** The last window this instance reported, counted as one of the fleet's instances in it. */
  private long lastReported = Long.MIN_VALUE;
  private long lastRead = Long.MIN_VALUE;
  /** How many instances the fleet had in the last window read; 0 until read. */
  private volatile long instances;
  /** While measuring: the most accepted in a window with 429s, and the windows read. */
  private long measured;
  private int measuredWindows;

  /**
   * What a learned quota is paced at per window, by the whole fleet: {@link #PROBE} above it
   * (one more at least), whatever the target use (which leaves room below an announced quota:
   * here the point is to keep the server's bucket full).
   */
  static long paced(FleetState quota) {
    long limit = quota.limit();
    return Math.max(limit + 1, Math.round(limit * (1 + PROBE)));
  }

  static long window(long epochMillis) {
    return Math.floorDiv(epochMillis, WINDOW_MILLIS);
  }

  synchronized void accepted(long nowMillis) {
    counts(nowMillis)[0]++;
  }

  synchronized void refused(long nowMillis) {
    counts(nowMillis)[1]++;
  }

  private long[] counts(long nowMillis) {
    long window = window(nowMillis);
    long[] counts = unreported.computeIfAbsent(window, w -> new long[3]);
    if (window > lastReported) {
      lastReported = window;
      counts[2] = 1;
    }
    return counts;
  }

  /**
   * Per window, {accepted, refused, instances} counted since the last call, to add to the
   * store's counts: the instance counts itself once in each window it has answers in.
   */
  synchronized Map<Long, long[]> takeUnreported() {
    Map<Long, long[]> taken = Map.copyOf(unreported);
    unreported.clear();
    return taken;
  }

  /**
   * The window to read the fleet's counts of now, or {@link Long#MIN_VALUE} for none: the last
   * one that ended {@code settleMillis} ago at least (every instance has reported it), if not
   * read yet and if it began at {@code sinceMillis} or after (the quota it was paced at was the
   * current one).
   */
  synchronized long due(long nowMillis, long settleMillis, long sinceMillis) {
    long window = window(nowMillis - settleMillis) - 1;
    if (window <= lastRead || window * WINDOW_MILLIS < sinceMillis) return Long.MIN_VALUE;
    lastRead = window;
    return window;
  }

  /** How many instances the fleet had in the last window read; 0 until read. For tests. */
  long instances() {
    return instances;
  }

  /** The time between this instance's attempts when the fleet's are {@code fleetSpacing} apart. */
  long spacingNanos(long fleetSpacing) {
    return fleetSpacing * Math.max(1, instances);
  }

  /**
   * The state the fleet's counts for {@code window} call for, given the fleet's {@code state}
   * (at which the window was paced); null for no change. Every instance decides the same from
   * the same counts, and versions the state at the window's end.
   *
   * <ul>
   *   <li>While measuring (unpaced, as instances alone), the most accepted in a window with
   *       429s over the first {@link #MEASURED_WINDOWS} windows read gives the quota: the first
   *       windows after a burst of 429s send less than the server takes, as every refused call
   *       waits its Retry-After at once.
   *   <li>A window without 429s in which the fleet used {@link #KEEP} of its quota at least (it
   *       wanted more) raises it by {@link #PROBE}, or to what was accepted, whichever is more.
   *   <li>A window with 429s in which less than the quota was accepted lowers it
   *       to that, or by {@code 1 - KEEP}, whichever is less: a window the fleet sent little in
   *       (after a stall, or while the refused calls wait their Retry-After) says little of the
   *       server.
   * </ul>
   *
   * <p>The window's count of instances becomes this instance's divisor of the fleet's pace.
   */
  synchronized FleetState decide(FleetState state, long window, long[] counts) {
    long accepted = counts[0];
    long refused = counts[1];
    if (counts[2] > 0) instances = counts[2];
    long quota = state.limit();
    long version = (window + 1) * WINDOW_MILLIS;
    boolean limited = refused > 0;
    if (quota == 0) {
      if (limited) measured = Math.max(measured, accepted);
      if (++measuredWindows < MEASURED_WINDOWS || measured == 0) return null;
      return state.learned(measured, version, true);
    } else if (!limited && accepted >= KEEP * quota) {
      long raised = Math.max(accepted, (long) Math.ceil(quota * (1 + PROBE)));
      return state.learned(raised, version, true);
    } else if (limited && accepted < quota) {
      long lowered = Math.max(accepted, (long) Math.ceil(KEEP * quota));
      return state.learned(Math.max(1, lowered), version, true);
    }
    return null;
  }
}
