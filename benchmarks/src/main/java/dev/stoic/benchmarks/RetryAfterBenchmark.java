package dev.stoic.benchmarks;

import dev.stoic.http.RetryAfter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link RetryAfter#parse(String, Instant)} on each form a server may send: delta-seconds and the
 * three HTTP-date forms. Every value is a future hint (2 or 5 minutes ahead), the common case and
 * the one that builds a result: "0" and past dates return a shared constant.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class RetryAfterBenchmark {
  /* Fields, not constants, so that the JIT cannot fold a parse of a known string. */
  private Instant now = FrozenClock.NOW; // Sunday 2026-11-22T10:00:00Z
  private String deltaSeconds = "120";
  private String imfFixdate = "Sun, 22 Nov 2026 10:05:00 GMT";
  private String rfc850 = "Sunday, 22-Nov-26 10:05:00 GMT";
  private String asctime = "Sun Nov 22 10:05:00 2026";

  /** Fails the run if a value does not parse to the hint it stands for. */
  @Setup(Level.Trial)
  public void checkValues() {
    expect(deltaSeconds, Duration.ofSeconds(120));
    expect(imfFixdate, Duration.ofMinutes(5));
    expect(rfc850, Duration.ofMinutes(5));
    expect(asctime, Duration.ofMinutes(5));
  }

  private void expect(String value, Duration expected) {
    Optional<Duration> hint = RetryAfter.parse(value, now);
    if (!hint.equals(Optional.of(expected))) {
      throw new IllegalStateException("Retry-After: " + value + " parsed as " + hint);
    }
  }

  @Benchmark
  public Optional<Duration> deltaSeconds() {
    return RetryAfter.parse(deltaSeconds, now);
  }

  @Benchmark
  public Optional<Duration> imfFixdate() {
    return RetryAfter.parse(imfFixdate, now);
  }

  @Benchmark
  public Optional<Duration> rfc850() {
    return RetryAfter.parse(rfc850, now);
  }

  @Benchmark
  public Optional<Duration> asctime() {
    return RetryAfter.parse(asctime, now);
  }
}
