package dev.stoic.engine;

import dev.stoic.Decision;
import dev.stoic.Decision.Action;
import dev.stoic.RetryPolicy;
import dev.stoic.internal.ShadowTally;
import java.util.Locale;

/**
 * A candidate policy deciding a live call's outcomes beside the live policy, with the same pure
 * decision ({@link RetryPolicy#decide}) on the same outcome and the same random draw, so that the
 * two differ only by their settings. It never sends, waits or spends: the budget, throttle and
 * credential refresher act for the live policy alone, and the comparison is of the policies'
 * decisions before them.
 *
 * <p>Each call carries a mark ({@link AttemptContext#shadowMark}): until its first disagreement
 * counts are exact; after the candidate would have given up, each further live attempt and wait
 * is exactly what it would have saved; after any other disagreement the call would have gone
 * differently, and counts go to the estimates. Thread-safe.
 */
final class Shadow {
  /** No disagreement yet in the call. */
  static final byte AGREED = 0;
  /** The candidate would have ended the call at an earlier attempt than live. */
  static final byte STOPPED = 1;
  /** The call diverged otherwise: what follows is an estimate. */
  static final byte DIVERGED = 2;

  final RetryPolicy candidate;
  final ShadowTally tally;

  Shadow(RetryPolicy candidate, ShadowTally tally) {
    this.candidate = candidate;
    this.tally = tally;
  }

  /** Decides {@code state}'s outcome with the candidate and counts how it differs from {@code live}. */
  void compare(AttemptContext state, Decision live) {
    boolean liveRetries = live.action() == Action.RETRY;
    if (state.shadowMark() == STOPPED) {
      // An attempt the candidate would never have made, and the wait after it.
      tally.extra(-1, liveRetries ? -live.waitNanos() : 0, true);
      return;
    }
    boolean exact = state.shadowMark() == AGREED;
    Decision other = candidate.decide(state);
    tally.compared(state.attempt == 1);
    boolean otherRetries = other.action() == Action.RETRY;
    if (liveRetries && otherRetries) {
      long more = other.waitNanos() - live.waitNanos();
      if (more == 0) return;
      tally.disagreed("candidate waits " + (more > 0 ? "longer" : "less") + " after "
          + what(state), exact);
      tally.extra(0, more, exact);
      state.details().shadowMark = DIVERGED;
    } else if (liveRetries) {
      tally.disagreed("candidate " + verb(other) + " " + what(state) + " where live retried",
          exact);
      tally.extra(exact ? 0 : -1, -live.waitNanos(), exact);
      if (exact) state.details().shadowMark = STOPPED;
    } else if (otherRetries) {
      tally.disagreed("candidate would retry " + what(state), exact);
      tally.extra(1, other.waitNanos(), exact);
      state.details().shadowMark = DIVERGED;
    } else if (other.action() != live.action()) {
      tally.disagreed("candidate " + verb(other) + " " + what(state) + " where live "
          + (live.action() == Action.RETURN ? "returned it" : "gave up"), exact);
      state.details().shadowMark = DIVERGED;
    }
  }

  private static String verb(Decision decision) {
    return decision.action() == Action.RETURN ? "returns" : "gives up on";
  }

  /** "503 for POST", "connect failure for GET": what was decided on, in few words. */
  private static String what(AttemptContext state) {
    String outcome = state.failureKind() != null
        ? state.failureKind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " failure"
        : String.valueOf(state.status());
    return outcome + " for " + state.call.method();
  }
}
