package dev.stoic.benchmarks;

import dev.failsafe.okhttp.FailsafeCall;
import dev.stoic.okhttp.StoicCallFactory;
import dev.stoic.okhttp.StoicInterceptor;
import io.github.resilience4j.retry.Retry;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
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
 * What a retry library adds to one OkHttp call, with I/O taken out: the client's last application
 * interceptor ({@link CannedOkHttpServer}) answers every request itself. Each benchmark is one
 * logical {@code GET}, its response closed, as a careful caller does.
 *
 * <ul>
 *   <li>{@code success*}: the first attempt gets 200.
 *   <li>{@code retryOnce*}: 503, a retry with no wait, then 200. {@code retryOnce_raw} is the floor:
 *       the same two exchanges made by hand, with no library.
 * </ul>
 *
 * <p>Sides: {@code raw} (the plain client), {@code passThroughInterceptor} (an application
 * interceptor that only calls {@code proceed}: what OkHttp charges any interceptor, the floor under
 * Stoic's), {@code stoicInterceptor} ({@link StoicInterceptor} on
 * the client), {@code stoicCallFactory} ({@link StoicCallFactory#wrap}, {@code execute()}), {@code
 * failsafe} ({@link FailsafeCall}) and {@code resilience4j} ({@code Retry} around {@code
 * newCall(request).execute()}), configured as {@link EquivalentPolicies} says. Stateful per
 * benchmark thread; run single-threaded.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
// OkHttp's call path (Kotlin, deep) takes 4 to 6 s to reach its compiled steady state on 2 busy
// CPUs, against 1 to 3 s for the JDK and engine benchmarks.
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class OkHttpOverheadBenchmark {
  private final CannedOkHttpServer server = new CannedOkHttpServer();
  private final Request request = new Request.Builder()
      .url("https://api.example.com/v1/orders/42?expand=items")
      .build();

  private OkHttpClient raw;
  private OkHttpClient passThroughInterceptor;
  private OkHttpClient stoicInterceptor;
  private OkHttpClient stoicInterceptorUnlimited;
  private StoicCallFactory stoicCallFactory;
  private StoicCallFactory stoicCallFactoryUnlimited;
  private FailsafeCall.FailsafeCallBuilder failsafe;
  private Retry resilience4j;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) throws Throwable {
    raw = new OkHttpClient.Builder().addInterceptor(server).build();
    passThroughInterceptor = new OkHttpClient.Builder()
        .addInterceptor(chain -> chain.proceed(chain.request()))
        .addInterceptor(server)
        .build();
    stoicInterceptor = new OkHttpClient.Builder()
        .addInterceptor(StoicInterceptor.create(EquivalentPolicies.stoicDefaultBudget()))
        .addInterceptor(server)
        .build();
    stoicInterceptorUnlimited = new OkHttpClient.Builder()
        .addInterceptor(StoicInterceptor.create(EquivalentPolicies.stoicUnlimitedBudget()))
        .addInterceptor(server)
        .build();
    stoicCallFactory = StoicCallFactory.wrap(raw, EquivalentPolicies.stoicDefaultBudget());
    stoicCallFactoryUnlimited = StoicCallFactory.wrap(raw, EquivalentPolicies.stoicUnlimitedBudget());
    failsafe = FailsafeCall.with(EquivalentPolicies.failsafeOkHttp());
    resilience4j = EquivalentPolicies.resilience4jOkHttp();
    checkPath(params);
  }

  @TearDown(Level.Iteration)
  public void checkPath(BenchmarkParams params) throws Throwable {
    PathCheck.check(this, params, () -> server.requests);
  }

  @Benchmark
  public int success_raw() throws Exception {
    try (Response response = raw.newCall(request).execute()) {
      return response.code();
    }
  }

  /** Any application interceptor's cost: one that only proceeds. The floor under Stoic's. */
  @Benchmark
  public int success_passThroughInterceptor() throws Exception {
    try (Response response = passThroughInterceptor.newCall(request).execute()) {
      return response.code();
    }
  }

  @Benchmark
  public int success_stoicInterceptor() throws Exception {
    try (Response response = stoicInterceptor.newCall(request).execute()) {
      return response.code();
    }
  }

  @Benchmark
  public int success_stoicCallFactory() throws Exception {
    try (Response response = stoicCallFactory.newCall(request).execute()) {
      return response.code();
    }
  }

  @Benchmark
  public int success_failsafe() throws Exception {
    try (Response response = failsafe.compose(raw.newCall(request)).execute()) {
      return response.code();
    }
  }

  @Benchmark
  public int success_resilience4j() throws Throwable {
    try (Response response = resilience4j.executeCheckedSupplier(() -> raw.newCall(request).execute())) {
      return response.code();
    }
  }

  /** The floor of the retry path: the two exchanges by hand, the 503 closed. */
  @Benchmark
  public int retryOnce_raw() throws Exception {
    server.failNextRequest();
    try (Response unavailable = raw.newCall(request).execute()) {
      if (unavailable.code() != 503) return unavailable.code();
    }
    try (Response response = raw.newCall(request).execute()) {
      return response.code();
    }
  }

  @Benchmark
  public int retryOnce_stoicInterceptor() throws Exception {
    server.failNextRequest();
    try (Response response = stoicInterceptorUnlimited.newCall(request).execute()) {
      return response.code();
    }
  }

  @Benchmark
  public int retryOnce_stoicCallFactory() throws Exception {
    server.failNextRequest();
    try (Response response = stoicCallFactoryUnlimited.newCall(request).execute()) {
      return response.code();
    }
  }

  @Benchmark
  public int retryOnce_failsafe() throws Exception {
    server.failNextRequest();
    try (Response response = failsafe.compose(raw.newCall(request)).execute()) {
      return response.code();
    }
  }

  @Benchmark
  public int retryOnce_resilience4j() throws Throwable {
    server.failNextRequest();
    try (Response response = resilience4j.executeCheckedSupplier(() -> raw.newCall(request).execute())) {
      return response.code();
    }
  }
}
