package dev.stoic;

import dev.stoic.internal.ShadowTally;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;

/**
 * What a shadowed candidate policy would have done differently from the live one, counted over the
 * real outcomes since {@link LivePolicy#shadow} started it. Counts up to and including a call's
 * first disagreement are exact; after it the call would have gone differently, so what follows is
 * an estimate and kept apart (docs/SEMANTICS.md, "Live policies").
 *
 * <pre>{@code
 * ShadowReport report = live.shadowReport();
 * report.disagreements(); // {candidate would retry 429 for GET=12}
 * report.extraWait();     // PT2M: the waits the candidate would have added
 * }</pre>
 *
 * <p>Immutable: a snapshot taken when it was asked for.
 */
public final class ShadowReport {
  private final long calls;
  private final long compared;
  private final long divergedCalls;
  private final Map<String, Long> disagreements;
  private final Map<String, Long> estimatedDisagreements;
  private final long extraAttempts;
  private final long estimatedExtraAttempts;
  private final Duration extraWait;
  private final Duration estimatedExtraWait;

  ShadowReport(ShadowTally tally) {
    this.calls = tally.calls();
    this.compared = tally.compared();
    this.divergedCalls = tally.divergedCalls();
    this.disagreements = Collections.unmodifiableMap(tally.disagreements(true));
    this.estimatedDisagreements = Collections.unmodifiableMap(tally.disagreements(false));
    this.extraAttempts = tally.extraAttempts(true);
    this.estimatedExtraAttempts = tally.extraAttempts(false);
    this.extraWait = Duration.ofNanos(tally.extraWaitNanos(true));
    this.estimatedExtraWait = Duration.ofNanos(tally.extraWaitNanos(false));
  }

  /** Calls both policies decided on. */
  public long calls() {
    return calls;
  }

  /** Attempt outcomes both policies decided on. */
  public long compared() {
    return compared;
  }

  /** Calls in which the candidate disagreed at least once: the sum of {@link #disagreements()}. */
  public long divergedCalls() {
    return divergedCalls;
  }

  /**
   * Each call's first disagreement, by what the candidate would have done: exact. Each text starts
   * with one of "candidate would retry", "candidate gives up", "candidate returns", "candidate
   * waits longer" or "candidate waits less", then names the status or failure and the method.
   */
  public Map<String, Long> disagreements() {
    return disagreements;
  }

  /** Disagreements after a call's first: estimates, since the call would have gone differently. */
  public Map<String, Long> estimatedDisagreements() {
    return estimatedDisagreements;
  }

  /**
   * Attempts the candidate would have added (negative: saved), exact: the attempts live made after
   * the candidate would have given up, and one for each call the candidate would have retried
   * where live ended it (at least one; how many more is not known).
   */
  public long extraAttempts() {
    return extraAttempts;
  }

  /** Attempts added after a call's first disagreement: an estimate. */
  public long estimatedExtraAttempts() {
    return estimatedExtraAttempts;
  }

  /** Wait the candidate would have added (negative: saved), up to each call's first disagreement. */
  public Duration extraWait() {
    return extraWait;
  }

  /** Wait added after a call's first disagreement: an estimate. */
  public Duration estimatedExtraWait() {
    return estimatedExtraWait;
  }

  /** The report as {@link LivePolicy#describe()} prints it: a line per count. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(256);
    out.append("shadow.calls = ").append(calls).append('\n')
        .append("shadow.outcomes = ").append(compared).append('\n')
        .append("shadow.diverged-calls = ").append(divergedCalls).append('\n');
    disagreements.forEach((what, n) ->
        out.append("shadow.disagreement = ").append(n).append(" x ").append(what).append('\n'));
    out.append("shadow.extra-attempts = ").append(extraAttempts).append('\n')
        .append("shadow.extra-wait = ").append(extraWait.toMillis()).append("ms").append('\n');
    estimatedDisagreements.forEach((what, n) -> out.append("shadow.estimated.disagreement = ")
        .append(n).append(" x ").append(what).append('\n'));
    out.append("shadow.estimated.extra-attempts = ").append(estimatedExtraAttempts).append('\n')
        .append("shadow.estimated.extra-wait = ").append(estimatedExtraWait.toMillis()).append("ms")
        .append('\n');
    return out.toString();
  }
}
