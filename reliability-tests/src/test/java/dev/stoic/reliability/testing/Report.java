package dev.stoic.reliability.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collection;

/**
 * The figures a run measured: each line goes to stdout (prefixed "[reliability]") and to
 * target/reliability-report.txt, which every test JVM starts afresh.
 */
public final class Report {
  private static final Path FILE = Path.of("target", "reliability-report.txt");

  static {
    try {
      Files.createDirectories(FILE.getParent());
      Files.writeString(FILE, "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Report() {}

  public static synchronized void line(String text) {
    System.out.println("[reliability] " + text);
    try {
      Files.writeString(FILE, text + System.lineSeparator(), StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** "p50 3 ms, p90 7 ms, p99 12 ms, max 40 ms" for {@code millis} (nearest-rank percentiles). */
  public static String percentiles(Collection<Long> millis) {
    long[] sorted = millis.stream().mapToLong(Long::longValue).sorted().toArray();
    if (sorted.length == 0) return "no samples";
    return "p50 " + rank(sorted, 50) + " ms, p90 " + rank(sorted, 90) + " ms, p99 "
        + rank(sorted, 99) + " ms, max " + sorted[sorted.length - 1] + " ms (n=" + sorted.length
        + ")";
  }

  /** As {@link #percentiles} for samples in microseconds, shown in milliseconds to 0.1 ms. */
  public static String percentilesOfMicros(Collection<Long> micros) {
    long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
    if (sorted.length == 0) return "no samples";
    return "p50 " + ms(rank(sorted, 50)) + " ms, p90 " + ms(rank(sorted, 90)) + " ms, p99 "
        + ms(rank(sorted, 99)) + " ms, max " + ms(sorted[sorted.length - 1]) + " ms (n="
        + sorted.length + ")";
  }

  private static String ms(long micros) {
    return String.format(java.util.Locale.ROOT, "%.1f", micros / 1000.0);
  }

  /** Nearest-rank percentile of a sorted array. */
  public static long rank(long[] sorted, int percentile) {
    int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  public static String join(long... values) {
    return Arrays.toString(values);
  }
}
