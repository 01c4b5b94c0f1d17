package dev.stoic;

/** Durations as a person reads them in a reason: milliseconds below 10 s, then seconds. */
final class Durations {
  private Durations() {}

  static String format(long nanos) {
    if (nanos < 0) nanos = 0;
    long millis = nanos / 1_000_000L;
    if (millis < 10_000) {
      if (millis == 0 && nanos > 0) return "<1 ms";
      return millis + " ms";
    }
    long tenths = millis / 100;
    return tenths % 10 == 0 ? (tenths / 10) + " s" : (tenths / 10) + "." + (tenths % 10) + " s";
  }
}
