package dev.stoic.benchmarks;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.stoic.jdk.StoicHttpClient;
import io.github.resilience4j.retry.Retry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * What a retry library adds to one {@code java.net.http} call, with I/O taken out: the client is
 * {@link CannedHttpClient}, which answers in memory and drives the body handler as the real client
 * does. Each benchmark is one logical {@code GET} whose body is discarded ({@link
 * BodyHandlers#discarding()}).
 *
 * <ul>
 *   <li>{@code success*}: the first attempt gets 200.
 *   <li>{@code retryOnce*}: 503, a retry with no wait, then 200. {@code retryOnce_raw} is the floor:
 *       the same two exchanges made by hand, with no library.
 *   <li>{@code successAsync*}: {@code sendAsync(...).join()}. The in-memory client completes its
 *       future at once, so this is the cost of the async machinery, not of a thread hop.
 * </ul>
 *
 * <p>Sides: {@code raw}, {@code stoic} ({@link StoicHttpClient#wrap}), {@code failsafe} ({@code
 * Failsafe.with(policy).get(() -> client.send(...))}, the executor made once) and {@code
 * resilience4j} ({@code Retry} around {@code client.send(...)}), configured as {@link
 * EquivalentPolicies} says. Stateful per benchmark thread; run single-threaded.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class JdkOverheadBenchmark {
  private final CannedHttpClient raw = new CannedHttpClient();
  private final HttpRequest request =
      HttpRequest.newBuilder(URI.create("https://api.example.com/v1/orders/42?expand=items")).build();
  private final BodyHandler<Void> discarding = BodyHandlers.discarding();

  private StoicHttpClient stoic;
  private StoicHttpClient stoicUnlimited;
  private FailsafeExecutor<HttpResponse<Void>> failsafe;
  private Retry resilience4j;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) throws Throwable {
    stoic = StoicHttpClient.wrap(raw, EquivalentPolicies.stoicDefaultBudget());
    stoicUnlimited = StoicHttpClient.wrap(raw, EquivalentPolicies.stoicUnlimitedBudget());
    failsafe = Failsafe.with(EquivalentPolicies.<Void>failsafeJdk());
    resilience4j = EquivalentPolicies.<Void>resilience4jJdk();
    checkPath(params);
  }

  @TearDown(Level.Iteration)
  public void checkPath(BenchmarkParams params) throws Throwable {
    PathCheck.check(this, params, () -> raw.requests);
  }

  @Benchmark
  public int success_raw() throws Exception {
    return raw.send(request, discarding).statusCode();
  }

  @Benchmark
  public int success_stoic() throws Exception {
    return stoic.send(request, discarding).statusCode();
  }

  @Benchmark
  public int success_failsafe() {
    return failsafe.get(() -> raw.send(request, discarding)).statusCode();
  }

  @Benchmark
  public int success_resilience4j() throws Throwable {
    return resilience4j.executeCheckedSupplier(() -> raw.send(request, discarding)).statusCode();
  }

  @Benchmark
  public int successAsync_raw() {
    return raw.sendAsync(request, discarding).join().statusCode();
  }

  @Benchmark
  public int successAsync_stoic() {
    return stoic.sendAsync(request, discarding).join().statusCode();
  }

  /** The floor of the retry path: the two exchanges by hand. */
  @Benchmark
  public int retryOnce_raw() throws Exception {
    raw.failNextRequest();
    HttpResponse<Void> unavailable = raw.send(request, discarding);
    if (unavailable.statusCode() != 503) return unavailable.statusCode();
    return raw.send(request, discarding).statusCode();
  }

  @Benchmark
  public int retryOnce_stoic() throws Exception {
    raw.failNextRequest();
    return stoicUnlimited.send(request, discarding).statusCode();
  }

  @Benchmark
  public int retryOnce_failsafe() {
    raw.failNextRequest();
    return failsafe.get(() -> raw.send(request, discarding)).statusCode();
  }

  @Benchmark
  public int retryOnce_resilience4j() throws Throwable {
    raw.failNextRequest();
    return resilience4j.executeCheckedSupplier(() -> raw.send(request, discarding)).statusCode();
  }
}
