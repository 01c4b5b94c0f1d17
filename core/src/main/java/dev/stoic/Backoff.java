package dev.stoic;

import dev.stoic.internal.DurationText;
import java.time.Duration;
import java.util.Objects;

/**
 * How long to wait before each retry when the server gives no hint of its own.
 *
 * <p>An exponential backoff grows as {@code base * factor^(retry - 1)}, never beyond {@code cap},
 * and is then spread by a {@link Jitter} so that clients failing together do not retry together.
 * The computation is a pure function of (retry number, previous wait, random draw): given the
 * same draw it always gives the same wait, which is what lets tests assert exact values.
 *
 * <pre>{@code
 * Backoff backoff = Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30)).equalJitter();
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe; every method returns a new instance.
 */
public final class Backoff {
  /** How a computed wait is randomised. */
  public enum Jitter {
    /** The exact exponential value: {@code d}. Every client retries at the same moment. */
    NONE,
    /** Anywhere in {@code [0, d)}: the widest spread, but a retry may follow almost at once. */
    FULL,
    /** Anywhere in {@code [d/2, d)}: keeps at least half of the wait while still spreading. */
    EQUAL,
    /**
     * "Decorrelated" jitter from the AWS Architecture Blog: anywhere in {@code [base, 3 *
     * previous)}, capped; each wait depends on the previous one rather than on the retry number.
     */
    DECORRELATED
  }

  /*
   * Defaults follow the status-code guides behind Stoic: wait 1 s, then 2 s, 4 s, 8 s, with a
   * random spread so that clients do not retry in step. Equal jitter keeps each wait within
   * [half, full] of that progression. The 30 s cap bounds a long run of retries.
   */
  private static final Backoff DEFAULT =
      new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0, Jitter.EQUAL);
  private static final Backoff NONE = new Backoff(Duration.ZERO, Duration.ZERO, 1.0, Jitter.NONE);

  private final Duration base;
  private final Duration cap;
  private final double factor;
  private final Jitter jitter;
  private final long baseNanos;
  private final long capNanos;

  private Backoff(Duration base, Duration cap, double factor, Jitter jitter) {
    this.base = base;
    this.cap = cap;
    this.factor = factor;
    this.jitter = jitter;
    this.baseNanos = base.toNanos();
    this.capNanos = cap.toNanos();
  }

  /** The default: base 1 s, factor 2, cap 30 s, {@link Jitter#EQUAL equal jitter}. */
  public static Backoff defaults() {
    return DEFAULT;
  }

  /** No wait at all between attempts. Useful in tests and for hedging-style retries. */
  public static Backoff none() {
    return NONE;
  }

  /**
   * The same wait before every retry, without jitter.
   *
   * @throws NullPointerException if {@code delay} is null
   * @throws IllegalArgumentException if {@code delay} is negative or longer than a day
   */
  public static Backoff fixed(Duration delay) {
    checkDuration(delay, "delay");
    return new Backoff(delay, delay, 1.0, Jitter.NONE);
  }

  /**
   * Exponential backoff with factor 2 and equal jitter, starting at {@code base} and never
   * exceeding {@code cap}.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code base} is not positive, a value is longer than a
   *     day, or {@code cap} is shorter than {@code base}
   */
  public static Backoff exponential(Duration base, Duration cap) {
    Objects.requireNonNull(base, "base == null");
    if (base.isNegative() || base.isZero()) {
      throw new IllegalArgumentException("base must be > 0: " + DurationText.of(base));
    }
    checkDuration(base, "base");
    checkDuration(cap, "cap");
    if (cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("cap must be >= base: cap="
          + DurationText.of(cap) + ", base=" + DurationText.of(base));
    }
    return new Backoff(base, cap, 2.0, Jitter.EQUAL);
  }

  /**
   * Returns a copy growing by {@code factor} per retry.
   *
   * @throws IllegalArgumentException if {@code factor} is not finite or is below 1 or above 100
   */
  public Backoff factor(double factor) {
    if (!(factor >= 1.0 && factor <= 100.0)) {
      throw new IllegalArgumentException("factor must be in [1, 100]: " + factor);
    }
    return new Backoff(base, cap, factor, jitter);
  }

  /** Returns a copy with the given jitter kind. */
  public Backoff jitter(Jitter jitter) {
    Objects.requireNonNull(jitter, "jitter == null");
    return new Backoff(base, cap, factor, jitter);
  }

  /** Returns a copy without jitter. */
  public Backoff noJitter() {
    return jitter(Jitter.NONE);
  }

  /** Returns a copy with {@link Jitter#FULL full jitter}. */
  public Backoff fullJitter() {
    return jitter(Jitter.FULL);
  }

  /** Returns a copy with {@link Jitter#EQUAL equal jitter}. */
  public Backoff equalJitter() {
    return jitter(Jitter.EQUAL);
  }

  /** Returns a copy with {@link Jitter#DECORRELATED decorrelated jitter}. */
  public Backoff decorrelatedJitter() {
    return jitter(Jitter.DECORRELATED);
  }

  public Duration base() {
    return base;
  }

  public Duration cap() {
    return cap;
  }

  public double factor() {
    return factor;
  }

  public Jitter jitterKind() {
    return jitter;
  }

  /**
   * Returns the wait before retry number {@code retry}.
   *
   * @param retry 1 for the first retry (the second attempt), 2 for the next, and so on
   * @param previous the wait before the previous retry ({@link Duration#ZERO} before the first)
   * @param random a draw in {@code [0, 1)}; values outside are clamped into that range
   * @return a wait in {@code [0, cap]}
   */
  public Duration delay(int retry, Duration previous, double random) {
    return Duration.ofNanos(delayNanos(retry, previous.toNanos(), random));
  }

  /** Like {@link #delay} in nanoseconds, without allocating. */
  public long delayNanos(int retry, long previousNanos, double random) {
    if (capNanos == 0) return 0;
    double r = random >= 0 ? Math.min(random, 1.0) : 0.0; // NaN and negatives become 0
    if (r >= 1.0) r = Math.nextDown(1.0);
    long nominal = nominalNanos(retry);
    switch (jitter) {
      case NONE:
        return nominal;
      case FULL:
        return (long) (nominal * r);
      case EQUAL:
        return nominal / 2 + (long) ((nominal - nominal / 2) * r);
      case DECORRELATED:
        long previous = Math.max(previousNanos, baseNanos);
        double upper = Math.min((double) capNanos, 3.0 * previous);
        return Math.min(capNanos, (long) (baseNanos + (upper - baseNanos) * r));
      default:
        throw new AssertionError(jitter);
    }
  }

  /** base * factor^(retry-1), capped, computed in doubles so that it cannot overflow. */
  private long nominalNanos(int retry) {
    int exponent = retry > 1 ? retry - 1 : 0; // not max(0, retry - 1): MIN_VALUE - 1 overflows
    double value = baseNanos * Math.pow(factor, exponent);
    return value >= capNanos ? capNanos : (long) value;
  }

  static void checkDuration(Duration value, String name) {
    Objects.requireNonNull(value, name + " == null");
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must be >= 0: " + DurationText.of(value));
    }
    if (value.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException(
          name + " must be at most 1 day: " + DurationText.of(value));
    }
  }

  @Override
  public String toString() {
    if (capNanos == 0) return "Backoff.none()";
    return "Backoff{base=" + base + ", factor=" + factor + ", cap=" + cap + ", jitter=" + jitter + "}";
  }
}
