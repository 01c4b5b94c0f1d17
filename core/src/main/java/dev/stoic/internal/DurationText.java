package dev.stoic.internal;

import java.time.Duration;

/**
 * A duration as configuration writes it and reads it back: whole seconds (60s), else 250ms, 1500us
 * or ns. Shared by the policy's error messages and the configuration's text. Not API.
 */
public final class DurationText {
  private DurationText() {}

  /** An exact form the configuration reads back. */
  public static String of(Duration d) {
    long seconds = d.getSeconds();
    int nanos = d.getNano();
    if (nanos == 0) return seconds + "s";
    if (seconds < 9_000_000L) {
      long total = seconds * 1_000_000_000L + nanos;
      if (total % 1_000_000L == 0) return total / 1_000_000L + "ms";
      if (total % 1_000L == 0) return total / 1_000L + "us";
      return total + "ns";
    }
    return d.toString();
  }
}
