package dev.stoic.resilience4j.internal;

import dev.stoic.http.RateLimitStatus;
import java.time.Duration;

/**
 * The adaptive limiter's control law: the rate (permits per period, not necessarily whole) falls
 * by a tenth on push-back and creeps up while answers come without it, capped by the quota the
 * server states, with holds where the server says when to come back. Pure: it reads only its
 * arguments and its own state, so tests drive it with exact times and assert exact rates.
 *
 * <p>Not API. Not thread-safe: {@code StoicRateLimiter} calls it under a lock.
 */
public final class AimdLaw {
  /*
   * Why a tenth, not TCP's half. The limiter meters attempts evenly, and real limiters (nginx's
   * limit_req, API gateways) are leaky buckets with a small burst: a client just above their
   * rate is refused once its burst is used up, and just below it never is. Halving would spend
   * most of the time far below the rate (the saw-tooth averages three quarters of it); a tenth
   * keeps it between 90% and a little above 100%, and each push-back also costs the server's
   * Retry-After, during which nothing is sent, so push-backs must be rare. Clients sharing a
   * quota still converge to fair shares: any multiplicative decrease with a common increase does
   * (Chiu and Jain, 1989), only more slowly.
   */
  static final double DECREASE = 0.9;
  /*
   * A 429 that comes within two probe intervals of the end of the previous cut (of its hold, if
   * the server asked for one) says the rate is still far too high (the start, or a quota that
   * shrank): cut by four tenths. Against a leaky bucket with a burst of b, a client at rate r
   * above the server's R is refused after about b / (r - R) seconds: within two seconds means at
   * least R + b/2 a second. A quota nearly spent is a warning, not a refusal: always a tenth.
   */
  static final double QUICK_DECREASE = 0.6;
  static final int QUICK_PROBE_INTERVALS = 2;
  /*
   * Increase: each probe interval of answers without push-back adds a share of the rate, 0.5% to
   * begin with, doubled every 20 such intervals (up to 16%), back to 0.5% at the next push-back.
   * Slow near the rate that was refused, so that push-backs come about once in half a minute;
   * faster the longer none comes, so that a rate cut far down (a quota that was halved and came
   * back) recovers in about a minute.
   */
  static final double FIRST_GROWTH = 0.005;
  static final int PROBES_PER_DOUBLING = 20;
  static final double MAX_GROWTH = 0.16;

  /*
   * "Nearly spent" is 10% or less of the quota left: enough headroom that the attempts already in
   * flight when the warning arrives still fit, at the rates clients of public APIs use.
   */
  public static final double NEARLY_SPENT = 0.1;

  /*
   * The probe interval is a second, or the period if longer, or the longest hold the server asked
   * for (up to a minute). Quota windows are a second or longer (per second, minute, hour), and
   * probing faster than the window overshoots within it; a server that asks for a 40 s pause has
   * a window of 40 s or more.
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
  private double rate;
  private double growth = FIRST_GROWTH;
  private int probesSinceCut;
  private double successes;
  private long responses;
  /* The current round: no second decrease until it ends. */
  private boolean inRound;
  private long roundEndResponses;
  private long roundEndNanos;
  private long roundMinEndNanos;
  /* When the last cut's hold ended (or the cut, without a hold), for the quick-repeat rule. */
  private boolean cut;
  private long lastCutEndNanos;
  private long holdUntilNanos;
  private boolean holding;
  private long heldNanos;

  /**
   * @param start the permits per period to begin with, in {@code [floor, ceiling]}
   * @param periodNanos the limiter's refresh period
   * @param maxWaitNanos the longest a permit may be reserved ahead (the limiter's timeout)
   */
  public AimdLaw(int start, int floor, int ceiling, long periodNanos, long maxWaitNanos) {
    this.rate = start;
    this.floor = floor;
    this.configuredCeiling = ceiling;
    this.ceiling = ceiling;
    this.periodNanos = periodNanos;
    this.maxWaitNanos = maxWaitNanos;
    this.periodsPerIncrease = Math.max(1, ONE_SECOND_NANOS / periodNanos);
  }

  /** The permits per period the law allows now, not necessarily whole. */
  public double rate() {
    return rate;
  }

  /** The whole permits per period the limiter should have now: the rate, rounded up. */
  public int limit() {
    return (int) Math.max(floor, Math.min(ceiling, Math.ceil(rate - 1e-9)));
  }

  public int floor() {
    return floor;
  }

  /** The highest rate increase may reach now: the configured one or the quota's. */
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
   * Updates the rate and the hold for one response.
   *
   * @param nowNanos the time the response arrived, on the limiter's clock
   * @param status the response's status code
   * @param quota what its rate-limit headers say; empty when there are none
   * @param hintNanos how long the server asked to wait (Retry-After), or -1
   * @param permitsGranted how many permits the limiter has granted so far
   * @return true if the rate changed
   */
  public boolean onResponse(
      long nowNanos, int status, RateLimitStatus quota, long hintNanos, long permitsGranted) {
    double before = rate;
    responses++;
    if (inRound && nowNanos - roundMinEndNanos >= 0
        && (responses > roundEndResponses || nowNanos - roundEndNanos >= 0)) {
      inRound = false;
    }

    // 1. A stated quota (limit and window) is a hard ceiling, applied at once.
    boolean stated = quota.limit().isPresent() && quota.window().isPresent();
    if (stated) {
      ceiling = quotaCeiling(quota.limit().getAsLong(), quota.window().get());
      if (rate > ceiling) rate = ceiling;
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
      // 3. Push-back lowers the rate, once per round. A round lasts a probe interval at least,
      //    and until every attempt that held a permit at the cut has been answered: their
      //    answers say nothing about the new rate. Answers that never come (transport failures)
      //    must not stall adaptation, so a round also ends once every such permit's wait is over
      //    and one more period passed.
      successes = 0;
      if (!inRound) {
        boolean quick = status == 429 && cut
            && nowNanos - lastCutEndNanos < QUICK_PROBE_INTERVALS * periodsPerIncrease * periodNanos;
        rate = Math.max(floor, rate * (quick ? QUICK_DECREASE : DECREASE));
        growth = FIRST_GROWTH;
        probesSinceCut = 0;
        inRound = true;
        // The answers still to come for permits granted so far: the last of them ends the round.
        roundEndResponses = responses + Math.max(0, permitsGranted - responses);
        roundEndNanos = nowNanos + Math.max(0, holdNanos) + maxWaitNanos + periodNanos;
        roundMinEndNanos = nowNanos + periodsPerIncrease * periodNanos;
        cut = true;
        lastCutEndNanos = holding && holdUntilNanos - nowNanos > 0 ? holdUntilNanos : nowNanos;
      }
    } else if (status < 500) {
      // 4. A probe interval's worth of answers without push-back raises the rate. Server errors
      //    count neither way: they say nothing about the rate.
      if (++successes >= rate * periodsPerIncrease) {
        successes = 0;
        if (rate < ceiling) rate = Math.min(ceiling, rate * (1 + growth));
        if (++probesSinceCut % PROBES_PER_DOUBLING == 0) growth = Math.min(MAX_GROWTH, growth * 2);
      }
    }
    return rate != before;
  }

  /**
   * A 429; or, when the server states no quota window, a warning that the quota is nearly spent
   * and, at the current rate, would run out before it resets (the reset taken one second short,
   * as servers round it up). With a stated window the ceiling already paces to the quota, and
   * "nearly spent" is then expected at the end of every window.
   */
  private boolean isPushBack(int status, RateLimitStatus quota, boolean stated) {
    if (status == 429) return true;
    if (stated || !quota.nearlySpent(NEARLY_SPENT) || quota.reset().isEmpty()) return false;
    long resetNanos = quota.reset().get().toNanos() - RESET_ROUNDING_NANOS;
    double wouldSend = rate * resetNanos / periodNanos;
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
