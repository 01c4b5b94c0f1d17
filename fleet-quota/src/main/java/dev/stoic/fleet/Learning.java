package dev.stoic.fleet;

/**
 * How the fleet learns a quota nobody announced, from the 429s it meets: a pure function of the
 * shared state, the time and the fleet's measured rate. Reasoning in docs/SEMANTICS.md
 * ("Learning a quota nobody announced").
 */
final class Learning {
  /** The window a learned quota counts in. */
  static final long WINDOW_MILLIS = 1000;
  /**
   * How much a learned quota grows each window without a 429, in percent: fast until the first
   * 429 while pacing (what was measured may be well below the server's rate: the calls refused
   * wait their Retry-After, and send less than the server allows), slowly after.
   */
  static final int FAST_GROWTH_PERCENT = 50;
  static final int GROWTH_PERCENT = 5;
  /** How far a 429 lowers a learned quota when the fleet's rate is not known. */
  static final double DECREASE = 0.9;
  /** A 429 lowers a learned quota to between these shares of it, nearest the measured rate. */
  static final double LEAST = 0.5;
  static final double MOST = 0.95;

  private Learning() {}

  /**
   * The state after a 429 that announced nothing, at {@code nowMillis}, with the fleet's accepted
   * answers over the last window {@code measured} (0 if unknown):
   *
   * <ul>
   *   <li>the first holds the fleet until {@code holdUntilMillis} and starts measuring;
   *   <li>one while measuring sets the quota to what the server let through in the last window,
   *       growing by {@value #FAST_GROWTH_PERCENT}% a window;
   *   <li>one while pacing lowers the quota to that rate, kept within {@value #LEAST} to
   *       {@value #MOST} of it (to {@value #DECREASE} of it if the rate is not known; a rate
   *       measured across uneven sending can be far too low), once per window: a 429 within a
   *       window of the last change answers an attempt sent before it. It grows by
   *       {@value #GROWTH_PERCENT}% a window from then on.
   * </ul>
   *
   * Only the first holds the fleet: the others are each the answer to one attempt, which waits
   * its own Retry-After, while the rest of the fleet slows down instead of stopping.
   */
  static FleetState after429(FleetState state, long holdUntilMillis, long nowMillis,
      double measured) {
    if (state.announced()) return state;
    if (!state.learning()) {
      return new FleetState(0, WINDOW_MILLIS, Math.max(state.holdUntilMillis(), holdUntilMillis),
          nowMillis, FAST_GROWTH_PERCENT);
    }
    if (state.limit() == 0) {
      if (measured < 1) return state;
      return learned(state, Math.round(measured), nowMillis, FAST_GROWTH_PERCENT);
    }
    if (nowMillis - state.version() < state.windowMillis()) return state;
    double current = Pace.learnedLimit(state, nowMillis);
    double lower = measured >= 1
        ? Math.max(LEAST * current, Math.min(measured, MOST * current)) : DECREASE * current;
    return learned(state, (long) Math.floor(lower), nowMillis, GROWTH_PERCENT);
  }

  private static FleetState learned(FleetState state, long limit, long nowMillis, int growth) {
    return new FleetState(Math.max(1, limit), state.windowMillis(), state.holdUntilMillis(),
        Math.max(nowMillis, state.version() + 1), growth);
  }
}
