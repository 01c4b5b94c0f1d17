package dev.stoic.benchmarks;

import dev.stoic.webclient.StoicExchangeFilter;
import java.io.IOException;
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
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.util.retry.Retry;

/**
 * Spring WebClient on Reactor Netty, end to end on loopback: a {@code GET} to a {@link
 * LoopbackServer}, its body read as a String. Raw, with Reactor's own {@code
 * retryWhen(Retry.backoff(...))}, and with {@link StoicExchangeFilter} (the default budget, as
 * every call succeeds). Time per call; {@code -prof gc} gives the bytes. Each side has its own
 * connection pool.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 1)
@State(Scope.Benchmark)
public class WebClientBenchmark {
  private LoopbackServer server;
  private ConnectionProvider rawPool;
  private ConnectionProvider retryWhenPool;
  private ConnectionProvider stoicPool;
  private WebClient raw;
  private WebClient retryWhenClient;
  private WebClient stoic;
  private Retry backoff;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    server = new LoopbackServer(4);
    rawPool = ConnectionProvider.create("raw", 4);
    retryWhenPool = ConnectionProvider.create("retryWhen", 4);
    stoicPool = ConnectionProvider.create("stoic", 4);
    raw = client(rawPool).build();
    retryWhenClient = client(retryWhenPool).build();
    stoic = client(stoicPool)
        .filter(StoicExchangeFilter.create(EquivalentPolicies.stoicDefaultBudget()))
        .build();
    backoff = Retry.backoff(EquivalentPolicies.MAX_ATTEMPTS - 1, Duration.ofMillis(100));
  }

  private WebClient.Builder client(ConnectionProvider pool) {
    return WebClient.builder()
        .clientConnector(new ReactorClientHttpConnector(HttpClient.create(pool)))
        .baseUrl(server.url("/items/42"));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    rawPool.disposeLater().block();
    retryWhenPool.disposeLater().block();
    stoicPool.disposeLater().block();
    server.close();
  }

  @Benchmark
  public String webclient_raw() {
    return raw.get().retrieve().bodyToMono(String.class).block();
  }

  @Benchmark
  public String webclient_retryWhen() {
    return retryWhenClient.get().retrieve().bodyToMono(String.class).retryWhen(backoff).block();
  }

  @Benchmark
  public String webclient_stoic() {
    return stoic.get().retrieve().bodyToMono(String.class).block();
  }
}
