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
   * How much a learned quota grows each window without a 429, in percent: doubling until the first
   * 429 while pacing (what was measured may be well below the server's rate: the calls refused
   * wait their Retry-After, and send less than the server allows), slowly after.
   */
  static final int FAST_GROWTH_PERCENT = 100;
  static final int GROWTH_PERCENT = 5;
  /** A 429 lowers a learned quota by this much at least. */
  static final double DECREASE = 0.9;
  /** The share of the measured rate a 429 lowers a learned quota to, if that is more. */
  static final double MEASURED_SHARE = 0.95;

  private Learning() {}

  /**
   * The state after a 429 that announced nothing, at {@code nowMillis}, with the fleet's accepted
   * answers over about the last window {@code measured} (0 if unknown):
   *
   * <ul>
   *   <li>the first holds the fleet until {@code holdUntilMillis} and starts measuring;
   *   <li>one while measuring sets the quota to what the server let through in the last window,
   *       growing by {@value #FAST_GROWTH_PERCENT}% a window;
   *   <li>one while pacing lowers the quota to what it was a growth step before (the last
   *       quota that met no 429) or {@value #MEASURED_SHARE} of the measured rate, whichever is
   *       more, and by {@value #DECREASE} at least, once per window: a 429 within a window of
   *       the last change answers an attempt sent before it. It grows by {@value
   *       #GROWTH_PERCENT}% a window from then on. The measured rate alone is not trusted:
   *       refused calls each wait their Retry-After, so the fleet may send less than the server
   *       would take, and measure too little.
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
    double stepBefore = current * 100 / (100 + state.growth());
    double lower = Math.min(DECREASE * current, Math.max(stepBefore, MEASURED_SHARE * measured));
    return learned(state, (long) Math.floor(lower), nowMillis, GROWTH_PERCENT);
  }

  private static FleetState learned(FleetState state, long limit, long nowMillis, int growth) {
    return new FleetState(Math.max(1, limit), state.windowMillis(), state.holdUntilMillis(),
        Math.max(nowMillis, state.version() + 1), growth);
  }
}
