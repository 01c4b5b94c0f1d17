package dev.stoic;

import dev.stoic.internal.DurationText;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * When a call sends a second attempt while the first is still running, for tail latency: after a
 * fixed delay, or after the host's recent attempt latency at a percentile.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder()
 *     .hedging(Hedging.after(Duration.ofMillis(200)).maxHedges(1))
 *     .build();
 * RetryPolicy adaptive = RetryPolicy.builder()
 *     .hedging(Hedging.atPercentile(0.95))   // 100 ms until the host has 20 latencies
 *     .build();
 * }</pre>
 *
 * <p>Only requests that are safe to send twice are hedged: an idempotent method, or a request
 * carrying an idempotency key (the same key on every hedge), with a body that can be sent again.
 * The first answer that ends the call wins; the other attempts are cancelled and their responses
 * closed. Each hedge is paid for from the same {@link RetryBudget} as a retry, and counts towards
 * {@link RetryPolicy#maxAttempts()}. Offered by {@code StoicCallFactory} and {@code
 * StoicHttpClient}; see docs/SEMANTICS.md for the reasoning.
 *
 * <p>Immutable and thread-safe; the latencies a percentile follows are kept per client, not here.
 */
public final class Hedging {
  /**
   * The delay of a percentile hedging until the host has {@link #MIN_SAMPLES} latencies: about
   * the p95 of a call to a nearby service, so that warm-up hedges rarely and never waits long.
   */
  static final Duration DEFAULT_WARM_UP_DELAY = Duration.ofMillis(100);
  /** Latencies a host needs before its percentile is trusted: below 20, p95 is the maximum. */
  public static final int MIN_SAMPLES = 20;
  /** Most hedges of one attempt; as {@link RetryPolicy#maxAttempts()}, a guard against typos. */
  static final int MAX_HEDGES_LIMIT = 10;

  private final Duration delay;
  private final double percentile;
  private final int maxHedges;

  private Hedging(Duration delay, double percentile, int maxHedges) {
    this.delay = delay;
    this.percentile = percentile;
    this.maxHedges = maxHedges;
  }

  /**
   * Hedges after a fixed {@code delay}: one hedge unless {@link #maxHedges} says more.
   *
   * @throws NullPointerException if {@code delay} is null
   * @throws IllegalArgumentException if {@code delay} is negative or longer than a day
   */
  public static Hedging after(Duration delay) {
    return new Hedging(checkDelay(delay, "hedging.delay"), 0, 1);
  }

  /**
   * Hedges once an attempt has taken longer than {@code percentile} of the host's recent
   * attempts (0.95: slower than 95 of 100), waiting 100 ms instead until the host has 20
   * latencies ({@link #warmUpDelay} changes it).
   *
   * @throws IllegalArgumentException if {@code percentile} is not in (0, 1)
   */
  public static Hedging atPercentile(double percentile) {
    if (!(percentile > 0 && percentile < 1)) {
      throw new IllegalArgumentException(
          "hedging.percentile must be in (0, 1), exclusive: " + percentile);
    }
    return new Hedging(DEFAULT_WARM_UP_DELAY, percentile, 1);
  }

  /**
   * The most hedges an attempt gets, each {@link #delay()} after the one before; 1 by default.
   *
   * @throws IllegalArgumentException if not in [1, 10]
   */
  public Hedging maxHedges(int maxHedges) {
    if (maxHedges < 1 || maxHedges > MAX_HEDGES_LIMIT) {
      throw new IllegalArgumentException(
          "hedging.maxHedges must be in [1, " + MAX_HEDGES_LIMIT + "]: " + maxHedges);
    }
    return new Hedging(delay, percentile, maxHedges);
  }

  /**
   * The delay a percentile hedging uses until the host has enough latencies.
   *
   * @throws IllegalStateException on a fixed-delay hedging, which has no warm-up
   * @throws IllegalArgumentException if {@code delay} is negative or longer than a day
   */
  public Hedging warmUpDelay(Duration delay) {
    if (percentile == 0) {
      throw new IllegalStateException("hedging.warmUpDelay applies to atPercentile(..) only;"
          + " Hedging.after(..) already fixes the delay");
    }
    return new Hedging(checkDelay(delay, "hedging.warmUpDelay"), percentile, maxHedges);
  }

  /** The fixed delay, or for a percentile hedging the delay during warm-up. */
  public Duration delay() {
    return delay;
  }

  /** The percentile in (0, 1) the delay follows, or 0 for a fixed delay. */
  public double percentile() {
    return percentile;
  }

  public int maxHedges() {
    return maxHedges;
  }

  private static Duration checkDelay(Duration delay, String name) {
    Objects.requireNonNull(delay, name + " == null");
    if (delay.isNegative() || delay.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException(
          name + " must be in [0, 1d]: " + DurationText.of(delay));
    }
    return delay;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Hedging && ((Hedging) o).delay.equals(delay)
        && ((Hedging) o).percentile == percentile && ((Hedging) o).maxHedges == maxHedges;
  }

  @Override
  public int hashCode() {
    return Objects.hash(delay, percentile, maxHedges);
  }

  /** As describe() prints it: {@code after 200ms, max 1} or {@code p95 (100ms warm-up), max 1}. */
  @Override
  public String toString() {
    String hedges = ", max " + maxHedges;
    if (percentile == 0) return "after " + DurationText.of(delay) + hedges;
    String p = String.format(Locale.ROOT, "%.4f", percentile * 100).replaceAll("\\.?0+$", "");
    return "p" + p + " (" + DurationText.of(delay) + " warm-up)" + hedges;
  }
}
