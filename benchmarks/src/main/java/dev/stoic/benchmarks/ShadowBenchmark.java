package dev.stoic.benchmarks;

import dev.stoic.LivePolicy;
import dev.stoic.RetryPolicy;
import dev.stoic.jdk.StoicHttpClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
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
 * What a live policy and a shadowed candidate add to one {@code java.net.http} call, I/O taken out
 * as in {@link JdkOverheadBenchmark} (the in-memory {@link CannedHttpClient}): the same client
 * wrapped with a fixed policy ({@code fixed}), with a {@link LivePolicy} of it ({@code live}), and
 * with that live policy shadowing a candidate that differs in {@code max-retry-after} ({@code
 * shadowed}), so that every outcome is decided twice. {@code success*}: 200 at once;
 * {@code retryOnce*}: 503, a retry with no wait, then 200. Run single-threaded.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class ShadowBenchmark {
  private final CannedHttpClient raw = new CannedHttpClient();
  private final HttpRequest request =
      HttpRequest.newBuilder(URI.create("https://api.example.com/v1/orders/42?expand=items")).build();
  private final BodyHandler<Void> discarding = BodyHandlers.discarding();

  private StoicHttpClient fixed;
  private StoicHttpClient live;
  private StoicHttpClient shadowed;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) throws Throwable {
    RetryPolicy policy = EquivalentPolicies.stoicUnlimitedBudget();
    fixed = StoicHttpClient.wrap(raw, policy);
    live = StoicHttpClient.wrap(raw, LivePolicy.of(policy));
    LivePolicy withShadow = LivePolicy.of(policy);
    withShadow.shadow(policy.toBuilder().maxRetryAfter(Duration.ofMinutes(5)).build());
    shadowed = StoicHttpClient.wrap(raw, withShadow);
    checkPath(params);
  }

  @TearDown(Level.Iteration)
  public void checkPath(BenchmarkParams params) throws Throwable {
    PathCheck.check(this, params, () -> raw.requests);
  }

  @Benchmark
  public int success_fixed() throws Exception {
    return fixed.send(request, discarding).statusCode();
  }

  @Benchmark
  public int success_live() throws Exception {
    return live.send(request, discarding).statusCode();
  }

  @Benchmark
  public int success_shadowed() throws Exception {
    return shadowed.send(request, discarding).statusCode();
  }

  @Benchmark
  public int retryOnce_fixed() throws Exception {
    raw.failNextRequest();
    return fixed.send(request, discarding).statusCode();
  }

  @Benchmark
  public int retryOnce_live() throws Exception {
    raw.failNextRequest();
    return live.send(request, discarding).statusCode();
  }

  @Benchmark
  public int retryOnce_shadowed() throws Exception {
    raw.failNextRequest();
    return shadowed.send(request, discarding).statusCode();
  }
}
