package dev.stoic.benchmarks;

import dev.stoic.RetryPolicy;
import dev.stoic.jdk.StoicHttpClient;
import dev.stoic.micrometer.StoicMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * What Stoic's metrics add to a call: the same {@code java.net.http} calls as {@link
 * JdkOverheadBenchmark} (in memory, no I/O), with no observer ({@code stoic}) and with {@link
 * StoicMetrics} recording into a {@link PrometheusMeterRegistry} ({@code stoicMetrics}), whose call
 * and attempt timers keep histograms as in production.
 *
 * <ul>
 *   <li>{@code success*}: the first attempt gets 200. Without observers Stoic makes nothing for
 *       them; with metrics, the observer, two timer recordings and the histograms' work.
 *   <li>{@code retryOnce*}: 503, a retry with no wait, then 200: two attempts, a retry counted,
 *       a wait timed.
 * </ul>
 *
 * <p>Run with {@code -prof gc} to read the bytes per call. Stateful per benchmark thread; run
 * single-threaded.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class ObservabilityBenchmark {
  private final CannedHttpClient raw = new CannedHttpClient();
  private final HttpRequest request =
      HttpRequest.newBuilder(URI.create("https://api.example.com/v1/orders/42?expand=items")).build();
  private final BodyHandler<Void> discarding = BodyHandlers.discarding();

  private StoicHttpClient stoic;
  private StoicHttpClient stoicMetrics;
  private StoicHttpClient stoicUnlimited;
  private StoicHttpClient stoicUnlimitedMetrics;
  private PrometheusMeterRegistry registry;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) throws Throwable {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    StoicMetrics metrics = StoicMetrics.create(registry);
    RetryPolicy policy = EquivalentPolicies.stoicDefaultBudget();
    RetryPolicy unlimited = EquivalentPolicies.stoicUnlimitedBudget();
    stoic = StoicHttpClient.wrap(raw, policy);
    stoicMetrics = StoicHttpClient.wrap(raw, policy.toBuilder().observer(metrics).build());
    stoicUnlimited = StoicHttpClient.wrap(raw, unlimited);
    stoicUnlimitedMetrics = StoicHttpClient.wrap(raw, unlimited.toBuilder().observer(metrics).build());
    checkPath(params);
  }

  /** Also fails the run if a metrics side stopped recording: its call count must grow. */
  @TearDown(Level.Iteration)
  public void checkPath(BenchmarkParams params) throws Throwable {
    double before = callsRecorded();
    PathCheck.check(this, params, () -> raw.requests);
    boolean metered = params.getBenchmark().endsWith("Metrics");
    if (metered && callsRecorded() != before + 1) {
      throw new IllegalStateException(params.getBenchmark() + ": the call was not recorded");
    }
  }

  private double callsRecorded() {
    return registry.find("stoic.calls").timers().stream().mapToLong(t -> t.count()).sum();
  }

  @Benchmark
  public int success_stoic() throws Exception {
    return stoic.send(request, discarding).statusCode();
  }

  @Benchmark
  public int success_stoicMetrics() throws Exception {
    return stoicMetrics.send(request, discarding).statusCode();
  }

  @Benchmark
  public int retryOnce_stoic() throws Exception {
    raw.failNextRequest();
    return stoicUnlimited.send(request, discarding).statusCode();
  }

  @Benchmark
  public int retryOnce_stoicMetrics() throws Exception {
    raw.failNextRequest();
    return stoicUnlimitedMetrics.send(request, discarding).statusCode();
  }
}
