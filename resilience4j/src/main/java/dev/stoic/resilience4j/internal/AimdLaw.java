package dev.stoic.resilience4j.internal;

import dev.stoic.http.RateLimitStatus;
import java.time.Duration;

/**
 * The adaptive limiter's control law: additive increase, multiplicative decrease (AIMD) of the
 * permits per period, capped by the quota the server states, with holds where the server says
 * when to come back. Pure: it reads only its arguments and its own state, so tests drive it with
 * exact times and assert exact limits.
 *
 * <p>Not API. Not thread-safe: {@code StoicRateLimiter} calls it under a lock.
 */
public final class AimdLaw {
  /*
   * Halving is TCP Reno's multiplicative decrease, the step that lets clients sharing a quota
   * converge to fair shares (Chiu and Jain, 1989). It also leaves a wide gap below the rate that
   * was refused, so the next refusal is many windows away: the 429 share stays low.
   */
  static final int DECREASE_DIVISOR = 2;

  /*
   * "Nearly spent" is 10% or less of the quota left: enough headroom that the attempts already in
   * flight when the warning arrives still fit, at the rates clients of public APIs use.
   */
  public static final double NEARLY_SPENT = 0.1;

  /*
   * Additive increase adds one permit per "probe interval" worth of answers at the current rate:
   * a second, or the period if longer, or the longest hold the server asked for (up to a minute).
   * Quota windows are a second or longer (per second, minute, hour), and probing faster than the
   * window overshoots within it; a server that asks for a 40 s pause has a window of 40 s or more.
   */
  private static final long ONE_SECOND_NANOS = 1_000_000_000L;
  private static final long MAX_PROBE_INTERVAL_NANOS = 60 * ONE_SECOND_NANOS;

  /*
   * Reset values arrive in whole seconds, and servers round them up: holding for the full value
   * after "0 remaining" could idle up to a second past the real reset, a whole window for a
   * per-second quota. That advisory hold is one second shorter; if that is early, the 429 that
   * follows brings a Retry-After, which is honoured in full.
   */
  private static final long RESET_ROUNDING_NANOS = ONE_SECOND_NANOS;

  private final int floor;
  private final int configuredCeiling;
  private final long periodNanos;
  private final long maxWaitNanos;
  private long periodsPerIncrease;
  private int ceiling;
  private int limit;
  private long successes;
  private long responses;
  /* The current round: no second decrease until it ends. */
  private boolean inRound;
  private long roundEndResponses;
  private long roundEndNanos;
  private long holdUntilNanos;
  private boolean holding;
  private long heldNanos;

  /**
   * @param start the permits per period to begin with, in {@code [floor, ceiling]}
   * @param periodNanos the limiter's refresh period
   * @param maxWaitNanos the longest a permit may be reserved ahead (the limiter's timeout)
   */
  public AimdLaw(int start, int floor, int ceiling, long periodNanos, long maxWaitNanos) {
    this.limit = start;
    this.floor = floor;
    this.configuredCeiling = ceiling;
    this.ceiling = ceiling;
    this.periodNanos = periodNanos;
    this.maxWaitNanos = maxWaitNanos;
    this.periodsPerIncrease = Math.max(1, ONE_SECOND_NANOS / periodNanos);
  }

  /** The permits per period the limiter should have now. */
  public int limit() {
    return limit;
  }

  public int floor() {
    return floor;
  }

  /** The highest limit additive increase may reach now: the configured one or the quota's. */
  public int ceiling() {
    return ceiling;
  }

  /** True if a hold is set; {@link #holdUntilNanos()} says until when. */
  public boolean holding() {
    return holding;
  }

  /**
   * How much the last {@link #onResponse} added to the hold, in nanoseconds from the later of now
   * and the previous hold's end; 0 if it added nothing.
   */
  public long heldNanos() {
    return heldNanos;
  }

  /** No attempt should go out before this time, if {@link #holding()}. */
  public long holdUntilNanos() {
    return holdUntilNanos;
  }

  /**
   * Updates the limit and the hold for one response.
   *
   * @param nowNanos the time the response arrived, on the limiter's clock
   * @param status the response's status code
   * @param quota what its rate-limit headers say; empty when there are none
   * @param hintNanos how long the server asked to wait (Retry-After), or -1
   * @param permitsGranted how many permits the limiter has granted so far
   * @return true if the limit changed
   */
  public boolean onResponse(
      long nowNanos, int status, RateLimitStatus quota, long hintNanos, long permitsGranted) {
    int before = limit;
    responses++;
    if (inRound && (responses > roundEndResponses || nowNanos - roundEndNanos >= 0)) {
      inRound = false;
    }

    // 1. A stated quota (limit and window) is a hard ceiling, applied at once.
    boolean stated = quota.limit().isPresent() && quota.window().isPresent();
    if (stated) {
      ceiling = quotaCeiling(quota.limit().getAsLong(), quota.window().get());
      if (limit > ceiling) limit = ceiling;
    }

    // 2. Nothing left until a known time: hold every attempt until then. Later answers from the
    //    same exhausted window name about the same time, give or take their rounding: only a
    //    hold that ends at least a period later extends it.
    long holdNanos = holdNanos(status, quota, hintNanos);
    heldNanos = 0;
    if (holdNanos > 0) {
      long end = nowNanos + holdNanos;
      long from = holding && holdUntilNanos - nowNanos > 0 ? holdUntilNanos : nowNanos;
      if (end - from >= periodNanos || (!holding && end - from > 0)) {
        heldNanos = end - from;
        holdUntilNanos = end;
        holding = true;
      }
    }
    if (holdNanos > 0) {
      long probe = Math.min(MAX_PROBE_INTERVAL_NANOS, holdNanos);
      periodsPerIncrease = Math.max(periodsPerIncrease, probe / periodNanos);
    }

    if (isPushBack(status, quota, stated)) {
      // 3. Push-back halves the limit, once per round. A round lasts until every attempt that
      //    held a permit at the cut has been answered: their answers say nothing about the new
      //    rate. Answers that never come (transport failures) must not stall adaptation, so a
      //    round also ends once every such permit's wait is over and one more period passed.
      successes = 0;
      if (!inRound) {
        limit = Math.max(floor, limit / DECREASE_DIVISOR);
        inRound = true;
        // The answers still to come for permits granted so far: the last of them ends the round.
        roundEndResponses = responses + Math.max(0, permitsGranted - responses);
        roundEndNanos = nowNanos + Math.max(0, holdNanos) + maxWaitNanos + periodNanos;
      }
    } else if (status < 500) {
      // 4. A second's worth of answers without push-back adds one permit. Server errors count
      //    neither way: they say nothing about the rate.
      if (++successes >= limit * periodsPerIncrease) {
        successes = 0;
        if (limit < ceiling) limit++;
      }
    }
    return limit != before;
  }

  /**
   * A 429; or, when the server states no quota window, a warning that the quota is nearly spent
   * and, at the current limit, would run out before it resets (the reset taken one second short,
   * as servers round it up). With a stated window the ceiling already paces to the quota, and
   * "nearly spent" is then expected at the end of every window.
   */
  private boolean isPushBack(int status, RateLimitStatus quota, boolean stated) {
    if (status == 429) return true;
    if (stated || !quota.nearlySpent(NEARLY_SPENT) || quota.reset().isEmpty()) return false;
    long resetNanos = quota.reset().get().toNanos() - RESET_ROUNDING_NANOS;
    double wouldSend = (double) limit * resetNanos / periodNanos;
    return wouldSend > quota.remaining().getAsLong();
  }

  /**
   * How long to hold every attempt: a 429's Retry-After, else its quota reset; for any other
   * response that says nothing is left, its reset less the rounding. -1 for no hold.
   */
  private static long holdNanos(int status, RateLimitStatus quota, long hintNanos) {
    if (status == 429 && hintNanos >= 0) return hintNanos;
    if (quota.reset().isEmpty()) return -1;
    long reset = quota.reset().get().toNanos();
    if (status == 429) return reset;
    boolean spent = quota.remaining().isPresent() && quota.remaining().getAsLong() == 0;
    return spent ? reset - RESET_ROUNDING_NANOS : -1;
  }

  /** The quota scaled to one period, rounded down, within [floor, configured ceiling]. */
  private int quotaCeiling(long quotaLimit, Duration window) {
    long windowNanos = saturatedNanos(window);
    if (windowNanos <= 0) return configuredCeiling;
    double perPeriod = Math.floor((double) quotaLimit * periodNanos / windowNanos);
    if (perPeriod >= configuredCeiling) return configuredCeiling;
    return (int) Math.max(floor, perPeriod);
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
