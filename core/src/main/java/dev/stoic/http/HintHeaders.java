package dev.stoic.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The response headers, besides {@code Retry-After} and the rate-limit fields, that Stoic reads
 * as server hints: waits in milliseconds, and a server's say on whether to retry at all.
 *
 * <pre>{@code
 * HintHeaders.defaults().delayMillis();   // [retry-after-ms, x-ms-retry-after-ms]
 * HintHeaders.defaults().shouldRetry();   // [x-should-retry, Stripe-Should-Retry]
 * HintHeaders.of(List.of("retry-after-ms"), List.of()); // one wait header, no should-retry
 * }</pre>
 *
 * <p>Names are matched ignoring case, and earlier names win over later ones. Immutable.
 */
public final class HintHeaders {
  /** OpenAI's and Azure's waits in milliseconds; they take precedence over {@code Retry-After}. */
  public static final List<String> DEFAULT_DELAY_MILLIS =
      List.of("retry-after-ms", "x-ms-retry-after-ms");
  /** OpenAI's and Stripe's {@code true} or {@code false}. */
  public static final List<String> DEFAULT_SHOULD_RETRY =
      List.of("x-should-retry", "Stripe-Should-Retry");

  private static final HintHeaders DEFAULTS =
      new HintHeaders(DEFAULT_DELAY_MILLIS, DEFAULT_SHOULD_RETRY);
  private static final HintHeaders NONE = new HintHeaders(List.of(), List.of());

  private final List<String> delayMillis;
  private final List<String> shouldRetry;

  private HintHeaders(List<String> delayMillis, List<String> shouldRetry) {
    this.delayMillis = delayMillis;
    this.shouldRetry = shouldRetry;
  }

  /** {@link #DEFAULT_DELAY_MILLIS} and {@link #DEFAULT_SHOULD_RETRY}. */
  public static HintHeaders defaults() {
    return DEFAULTS;
  }

  /** No hint headers: only {@code Retry-After} and the rate-limit fields are read. */
  public static HintHeaders none() {
    return NONE;
  }

  /**
   * Reads waits in milliseconds from {@code delayMillis} and {@code true}/{@code false} from
   * {@code shouldRetry}, each list in order of precedence; an empty list reads none.
   *
   * @throws NullPointerException if a list or a name is null
   * @throws IllegalArgumentException if a name is not a valid header name, or is Retry-After
   */
  public static HintHeaders of(List<String> delayMillis, List<String> shouldRetry) {
    return new HintHeaders(checked(delayMillis, "delayMillis"), checked(shouldRetry, "shouldRetry"));
  }

  /** The headers whose value is a wait in milliseconds, in order of precedence. */
  public List<String> delayMillis() {
    return delayMillis;
  }

  /** The headers whose {@code true} or {@code false} says whether to retry, in order of precedence. */
  public List<String> shouldRetry() {
    return shouldRetry;
  }

  private static List<String> checked(List<String> names, String setting) {
    Objects.requireNonNull(names, setting + " == null");
    List<String> copy = new ArrayList<>(names.size());
    for (String name : names) {
      Objects.requireNonNull(name, setting + ": a header name is null");
      if (name.isEmpty() || !name.chars().allMatch(HintHeaders::isTokenChar)) {
        throw new IllegalArgumentException(setting + ": not a valid header name: \"" + name + "\"");
      }
      if (name.equalsIgnoreCase("Retry-After")) {
        throw new IllegalArgumentException(setting + ": Retry-After is always read, in seconds or"
            + " as a date, after the millisecond hints");
      }
      copy.add(name);
    }
    return List.copyOf(copy);
  }

  /** RFC 9110 token characters. */
  static boolean isTokenChar(int c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HintHeaders && ((HintHeaders) o).delayMillis.equals(delayMillis)
        && ((HintHeaders) o).shouldRetry.equals(shouldRetry);
  }

  @Override
  public int hashCode() {
    return delayMillis.hashCode() * 31 + shouldRetry.hashCode();
  }

  @Override
  public String toString() {
    return "HintHeaders{delayMillis=" + delayMillis + ", shouldRetry=" + shouldRetry + "}";
  }
}
