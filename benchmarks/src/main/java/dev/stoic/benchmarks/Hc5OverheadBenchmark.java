package dev.stoic.benchmarks;

import dev.stoic.apache.StoicApache;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.HttpClientResponseHandler;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;
import org.apache.hc.core5.util.TimeValue;
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

/**
 * What a retry layer adds to one Apache HttpClient 5 classic call, with I/O taken out: the exec
 * chain's CONNECT and MAIN_TRANSPORT elements are replaced by an in-memory transport that answers
 * from a script, so every side runs HC5's real chain (redirects, protocol, its retry element when
 * on) and only the socket is missing. Each benchmark is one logical {@code GET} whose body is read.
 *
 * <ul>
 *   <li>{@code success*}: the first attempt gets 200.
 *   <li>{@code retryOnce*}: 503, a retry with no wait, then 200. {@code retryOnce_raw} is the floor:
 *       the same two exchanges made by hand.
 * </ul>
 *
 * <p>Sides: {@code raw} (HC5 with its automatic retries off), {@code hc5Retry} (HC5's own {@link
 * DefaultHttpRequestRetryStrategy}, 4 retries, no wait), {@code resilience4j} ({@code Retry}
 * around {@code execute}, retrying a 503 result) and {@code stoic} ({@link StoicApache#install}),
 * at most 5 attempts and no wait as {@link EquivalentPolicies} says. Stateful per thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class Hc5OverheadBenchmark {
  private final HttpGet request = new HttpGet("https://api.example.com/v1/orders/42?expand=items");
  private final HttpClientResponseHandler<Integer> read = response -> {
    EntityUtils.consume(response.getEntity());
    return response.getCode();
  };

  private CloseableHttpClient raw;
  private CloseableHttpClient hc5Retry;
  private CloseableHttpClient resilience4jClient;
  private Retry resilience4j;
  private CloseableHttpClient stoic;
  private CloseableHttpClient rawFlaky;
  private CloseableHttpClient hc5RetryFlaky;
  private CloseableHttpClient resilience4jFlaky;
  private CloseableHttpClient stoicFlaky;

  @Setup(Level.Trial)
  public void setUp() {
    raw = canned(false).disableAutomaticRetries().build();
    hc5Retry = canned(false).setRetryStrategy(hc5Strategy()).build();
    resilience4jClient = canned(false).disableAutomaticRetries().build();
    stoic = StoicApache.install(canned(false), EquivalentPolicies.stoicDefaultBudget()).build();
    rawFlaky = canned(true).disableAutomaticRetries().build();
    hc5RetryFlaky = canned(true).setRetryStrategy(hc5Strategy()).build();
    resilience4jFlaky = canned(true).disableAutomaticRetries().build();
    stoicFlaky = StoicApache.install(canned(true), EquivalentPolicies.stoicUnlimitedBudget()).build();
    resilience4j = Retry.of("hc5", RetryConfig.<Integer>custom()
        .maxAttempts(EquivalentPolicies.MAX_ATTEMPTS)
        .waitDuration(Duration.ZERO)
        .retryExceptions(IOException.class)
        .retryOnResult(code -> code == 503)
        .build());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    for (CloseableHttpClient client : new CloseableHttpClient[] {raw, hc5Retry, resilience4jClient,
        stoic, rawFlaky, hc5RetryFlaky, resilience4jFlaky, stoicFlaky}) {
      client.close();
    }
  }

  private static DefaultHttpRequestRetryStrategy hc5Strategy() {
    return new DefaultHttpRequestRetryStrategy(EquivalentPolicies.MAX_ATTEMPTS - 1, TimeValue.ZERO_MILLISECONDS);
  }

  /** A builder whose transport answers in memory: 200, or 503 and 200 by turns if flaky. */
  private static HttpClientBuilder canned(boolean flaky) {
    ExecChainHandler transport = new ExecChainHandler() {
      private boolean failNext = flaky;

      @Override
      public ClassicHttpResponse execute(org.apache.hc.core5.http.ClassicHttpRequest request,
          org.apache.hc.client5.http.classic.ExecChain.Scope scope,
          org.apache.hc.client5.http.classic.ExecChain chain) {
        int status = failNext ? 503 : 200;
        if (flaky) failNext = !failNext;
        BasicClassicHttpResponse response = new BasicClassicHttpResponse(status);
        response.setEntity(new ByteArrayEntity(new byte[] {'o', 'k'}, ContentType.TEXT_PLAIN));
        return response;
      }
    };
    return HttpClients.custom()
        .replaceExecInterceptor(ChainElement.CONNECT.name(), (request, scope, chain) -> chain.proceed(request, scope))
        .replaceExecInterceptor(ChainElement.MAIN_TRANSPORT.name(), transport);
  }

  private static int ok(int status) {
    if (status != 200) throw new IllegalStateException("expected 200, got " + status);
    return status;
  }

  @Benchmark
  public int success_raw() throws IOException {
    return ok(raw.execute(request, read));
  }

  @Benchmark
  public int success_hc5Retry() throws IOException {
    return ok(hc5Retry.execute(request, read));
  }

  @Benchmark
  public int success_resilience4j() throws Throwable {
    return ok(resilience4j.executeCheckedSupplier(() -> resilience4jClient.execute(request, read)));
  }

  @Benchmark
  public int success_stoic() throws IOException {
    return ok(stoic.execute(request, read));
  }

  @Benchmark
  public int retryOnce_raw() throws IOException {
    int first = rawFlaky.execute(request, read);
    if (first != 503) throw new IllegalStateException("expected 503 first, got " + first);
    return ok(rawFlaky.execute(request, read));
  }

  @Benchmark
  public int retryOnce_hc5Retry() throws IOException {
    return ok(hc5RetryFlaky.execute(request, read));
  }

  @Benchmark
  public int retryOnce_resilience4j() throws Throwable {
    return ok(resilience4j.executeCheckedSupplier(() -> resilience4jFlaky.execute(request, read)));
  }

  @Benchmark
  public int retryOnce_stoic() throws IOException {
    return ok(stoicFlaky.execute(request, read));
  }
}
