package dev.stoic.micrometer;

import dev.stoic.LivePolicy;
import dev.stoic.ShadowReport;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Publishes what a {@link LivePolicy}'s shadowed candidate would have done differently, read from
 * its {@link ShadowReport} when the registry is scraped. All are zero while nothing is shadowed, and
 * start again from zero when a new candidate is shadowed.
 *
 * <pre>{@code
 * ShadowMetrics.bind(live, "partner-api", meterRegistry);
 * }</pre>
 *
 * <table>
 *   <caption>Meters, each tagged {@code live} (the name given here)</caption>
 *   <tr><th>Name</th><th>Type</th><th>Tags</th><th>Counts</th></tr>
 *   <tr><td>{@code stoic.shadow.calls}</td><td>counter</td><td></td><td>calls both policies
 *       decided on</td></tr>
 *   <tr><td>{@code stoic.shadow.disagreements}</td><td>counter</td><td>decision, exact</td>
 *       <td>disagreements: {@code decision} is {@code would_retry}, {@code gives_up}, {@code
 *       returns}, {@code waits_longer} or {@code waits_less}; {@code exact} is {@code false}
 *       after a call's first</td></tr>
 *   <tr><td>{@code stoic.shadow.extra.attempts}</td><td>gauge</td><td>exact</td><td>attempts the
 *       candidate would have added (negative: saved)</td></tr>
 *   <tr><td>{@code stoic.shadow.extra.wait}</td><td>gauge, seconds</td><td>exact</td><td>wait the
 *       candidate would have added (negative: saved)</td></tr>
 * </table>
 *
 * <p>The full texts ("candidate would retry 503 for POST") are in {@link LivePolicy#describe()} and
 * the Actuator {@code stoic} endpoint; a meter tag per text would grow without bound. Thread-safe.
 */
public final class ShadowMetrics {
  /** Each decision tag and the start of the disagreement texts it counts (see ShadowReport). */
  private static final Map<String, String> DECISIONS = Map.of(
      "would_retry", "candidate would retry",
      "gives_up", "candidate gives up",
      "returns", "candidate returns",
      "waits_longer", "candidate waits longer",
      "waits_less", "candidate waits less");

  private ShadowMetrics() {}

  /**
   * Registers the shadow meters of {@code live} in {@code registry}, tagged {@code live=name}.
   *
   * @throws NullPointerException if an argument is null
   */
  public static void bind(LivePolicy live, String name, MeterRegistry registry) {
    Objects.requireNonNull(live, "live == null");
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(registry, "registry == null");
    Tags tags = Tags.of("live", name);
    FunctionCounter.builder("stoic.shadow.calls", live, of(ShadowReport::calls))
        .tags(tags).description("calls the live policy and its shadowed candidate decided on")
        .register(registry);
    for (boolean exact : new boolean[] {true, false}) {
      Tags exactTags = tags.and("exact", String.valueOf(exact));
      DECISIONS.forEach((decision, prefix) -> FunctionCounter.builder(
              "stoic.shadow.disagreements", live, of(r -> count(r, prefix, exact)))
          .tags(exactTags.and("decision", decision))
          .description("where the shadowed candidate would have decided otherwise")
          .register(registry));
      Gauge.builder("stoic.shadow.extra.attempts", live,
              of(r -> exact ? r.extraAttempts() : r.estimatedExtraAttempts()))
          .tags(exactTags).description("attempts the candidate would have added")
          .register(registry);
      Gauge.builder("stoic.shadow.extra.wait", live,
              of(r -> (exact ? r.extraWait() : r.estimatedExtraWait()).toNanos() / 1e9))
          .tags(exactTags).baseUnit("seconds").description("wait the candidate would have added")
          .register(registry);
    }
  }

  private static ToDoubleFunction<LivePolicy> of(ToDoubleFunction<ShadowReport> read) {
    return live -> {
      ShadowReport report = live.shadowReport();
      return report == null ? 0 : read.applyAsDouble(report);
    };
  }

  private static double count(ShadowReport report, String prefix, boolean exact) {
    long n = 0;
    for (Map.Entry<String, Long> e
        : (exact ? report.disagreements() : report.estimatedDisagreements()).entrySet()) {
      if (e.getKey().startsWith(prefix)) n += e.getValue();
    }
    return n;
  }
}
