package dev.stoic.examples.demo;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Reads Stoic's meters once a second, as a Prometheus scrape would, and turns the counts into
 * rates: what a dashboard plots.
 */
final class Sampler {
  /** The series, in the order of {@link Sample#values}. */
  static final List<String> SERIES = List.of(
      "calls_success", "calls_failure",
      "retries_status", "retries_exception", "retries_hint",
      "client_resends", "budget_refusals",
      "wait_retry_s", "wait_hinted_s", "wait_throttle_s",
      "attempts", "server_requests");

  /** Rates per second over the second before {@code t}. */
  record Sample(double t, double[] values) {
    double get(String series) {
      return values[SERIES.indexOf(series)];
    }
  }

  private final SimpleMeterRegistry registry;
  private final LongSupplier serverRequests;

  Sampler(SimpleMeterRegistry registry, LongSupplier serverRequests) {
    this.registry = registry;
    this.serverRequests = serverRequests;
  }

  /** Samples every second for {@code length} from {@code startNanos}; returns the rates. */
  List<Sample> sampleEverySecond(Duration length, long startNanos) throws InterruptedException {
    List<Sample> samples = new ArrayList<>();
    double[] previous = totals();
    long previousAt = System.nanoTime();
    for (int second = 1; second <= length.toSeconds(); second++) {
      long due = startNanos + TimeUnit.SECONDS.toNanos(second);
      long sleep = due - System.nanoTime();
      if (sleep > 0) TimeUnit.NANOSECONDS.sleep(sleep);
      long now = System.nanoTime();
      double[] totals = totals();
      double seconds = (now - previousAt) / 1e9;
      double[] rates = new double[totals.length];
      for (int i = 0; i < totals.length; i++) rates[i] = (totals[i] - previous[i]) / seconds;
      samples.add(new Sample((now - startNanos) / 1e9, rates));
      previous = totals;
      previousAt = now;
    }
    return samples;
  }

  /** The running totals, in the order of {@link #SERIES}. */
  double[] totals() {
    return new double[] {
        count(find("stoic.calls").tag("outcome", "success")),
        count(find("stoic.calls").tag("outcome", "failure")),
        counted(find("stoic.retries").tag("reason", "status")),
        counted(find("stoic.retries").tag("reason", "exception")),
        counted(find("stoic.retries").tag("reason", "hint")),
        counted(find("stoic.client.resends")),
        counted(find("stoic.budget.refusals")),
        seconds(find("stoic.waits").tags("reason", "status"))
            + seconds(find("stoic.waits").tags("reason", "exception"))
            + seconds(find("stoic.waits").tags("reason", "hint")),
        counted(find("stoic.waits.hinted")),
        seconds(find("stoic.waits").tags("reason", "throttle")),
        count(find("stoic.attempts")),
        serverRequests.getAsLong()
    };
  }

  private Search find(String name) {
    return registry.find(name);
  }

  private static double count(Search search) {
    return search.timers().stream().mapToLong(Timer::count).sum();
  }

  private static double seconds(Search search) {
    return search.timers().stream().mapToDouble(t -> t.totalTime(TimeUnit.SECONDS)).sum();
  }

  private static double counted(Search search) {
    return search.counters().stream().mapToDouble(Counter::count).sum();
  }
}
