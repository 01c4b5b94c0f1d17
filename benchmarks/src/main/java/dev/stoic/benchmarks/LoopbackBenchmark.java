package dev.stoic.benchmarks;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.okhttp.FailsafeCall;
import dev.stoic.jdk.StoicHttpClient;
import dev.stoic.okhttp.StoicCallFactory;
import dev.stoic.okhttp.StoicInterceptor;
import io.github.resilience4j.retry.Retry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
 * End to end on loopback: sequential {@code GET}s over real sockets to a {@link LoopbackServer}
 * in the same process, each response read to its end. Throughput, in calls per second.
 *
 * <p>Two kinds of benchmark:
 *
 * <ul>
 *   <li>{@code okhttp_*}, {@code jdk_*}: one thread calls as fast as it can, one side at a time:
 *       raw, Stoic, Failsafe, resilience4j (configured as {@link EquivalentPolicies} says; the
 *       default budget for Stoic, as every call succeeds).
 *   <li>{@code pair*}: raw and Stoic <em>at the same time</em>, one thread each, each on its own
 *       client and connection, in one JMH group. Both sides see the same machine at the same
 *       moment, so the ratio of their throughputs does not move with the load of other processes
 *       as the ratio of two benchmarks run one after the other does. The report takes the ratio
 *       per iteration. With two client threads and the server on two CPUs the sides compete for
 *       CPU, which makes the ratio a ratio of CPU cost per call: the cost Stoic adds.
 * </ul>
 *
 * <p>{@code pairControlOkHttp} is the control: raw against raw, the second raw client standing
 * where Stoic stands in the other pairs. Its ratio is what the method gives for no difference.
 *
 * <p>Every side has its own client instance: no connection pool, dispatcher or selector thread is
 * shared between sides. Every call is checked to end in 200.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 1)
@State(Scope.Benchmark)
public class LoopbackBenchmark {
  private LoopbackServer server;
  private Request okRequest;
  private HttpRequest jdkRequest;
  private final BodyHandler<byte[]> bytes = BodyHandlers.ofByteArray();

  private OkHttpClient okRaw;
  private OkHttpClient okStoicInterceptor;
  private StoicCallFactory okStoicCallFactory;
  private OkHttpClient okFailsafeClient;
  private FailsafeCall.FailsafeCallBuilder okFailsafe;
  private OkHttpClient okResilience4jClient;
  private Retry okResilience4j;
  /** The raw sides of the pairs: clients of their own, so each pair member has its connection. */
  private OkHttpClient okRawPairInterceptor;
  private OkHttpClient okRawPairCallFactory;
  /** The control pair: raw against raw, each on its own client. */
  private OkHttpClient okRawControlA;
  private OkHttpClient okRawControlB;

  private HttpClient jdkRaw;
  private StoicHttpClient jdkStoic;
  private HttpClient jdkFailsafeClient;
  private FailsafeExecutor<HttpResponse<byte[]>> jdkFailsafe;
  private HttpClient jdkResilience4jClient;
  private Retry jdkResilience4j;
  private HttpClient jdkRawPair;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    server = new LoopbackServer(4);
    okRequest = new Request.Builder().url(server.url("/items/42")).build();
    jdkRequest = HttpRequest.newBuilder(URI.create(server.url("/items/42"))).build();

    okRaw = newOkHttp();
    okStoicInterceptor = new OkHttpClient.Builder()
        .addInterceptor(StoicInterceptor.create(EquivalentPolicies.stoicDefaultBudget()))
        .build();
    okStoicCallFactory = StoicCallFactory.wrap(newOkHttp(), EquivalentPolicies.stoicDefaultBudget());
    okFailsafeClient = newOkHttp();
    okFailsafe = FailsafeCall.with(EquivalentPolicies.failsafeOkHttp());
    okResilience4jClient = newOkHttp();
    okResilience4j = EquivalentPolicies.resilience4jOkHttp();
    okRawPairInterceptor = newOkHttp();
    okRawPairCallFactory = newOkHttp();
    okRawControlA = newOkHttp();
    okRawControlB = newOkHttp();

    jdkRaw = newJdk();
    jdkStoic = StoicHttpClient.wrap(newJdk(), EquivalentPolicies.stoicDefaultBudget());
    jdkFailsafeClient = newJdk();
    jdkFailsafe = Failsafe.with(EquivalentPolicies.<byte[]>failsafeJdk());
    jdkResilience4jClient = newJdk();
    jdkResilience4j = EquivalentPolicies.<byte[]>resilience4jJdk();
    jdkRawPair = newJdk();
  }

  private static OkHttpClient newOkHttp() {
    return new OkHttpClient.Builder().build();
  }

  private static HttpClient newJdk() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    server.close();
  }

  private static int read(Call call) throws IOException {
    try (Response response = call.execute()) {
      return check(response.code(), response.body().bytes().length);
    }
  }

  private static int read(HttpResponse<byte[]> response) {
    return check(response.statusCode(), response.body().length);
  }

  private static int check(int status, int length) {
    if (status != 200 || length != 2) {
      throw new IllegalStateException("expected 200 with 2 bytes, got " + status + " with " + length);
    }
    return length;
  }

  @Benchmark
  public int okhttp_raw() throws IOException {
    return read(okRaw.newCall(okRequest));
  }

  @Benchmark
  public int okhttp_stoicInterceptor() throws IOException {
    return read(okStoicInterceptor.newCall(okRequest));
  }

  @Benchmark
  public int okhttp_stoicCallFactory() throws IOException {
    return read(okStoicCallFactory.newCall(okRequest));
  }

  @Benchmark
  public int okhttp_failsafe() throws IOException {
    try (Response response = okFailsafe.compose(okFailsafeClient.newCall(okRequest)).execute()) {
      return check(response.code(), response.body().bytes().length);
    }
  }

  @Benchmark
  public int okhttp_resilience4j() throws Throwable {
    try (Response response = okResilience4j.executeCheckedSupplier(
        () -> okResilience4jClient.newCall(okRequest).execute())) {
      return check(response.code(), response.body().bytes().length);
    }
  }

  @Benchmark
  public int jdk_raw() throws Exception {
    return read(jdkRaw.send(jdkRequest, bytes));
  }

  @Benchmark
  public int jdk_stoic() throws Exception {
    return read(jdkStoic.send(jdkRequest, bytes));
  }

  @Benchmark
  public int jdk_failsafe() {
    return read(jdkFailsafe.get(() -> jdkFailsafeClient.send(jdkRequest, bytes)));
  }

  @Benchmark
  public int jdk_resilience4j() throws Throwable {
    return read(jdkResilience4j.executeCheckedSupplier(
        () -> jdkResilience4jClient.send(jdkRequest, bytes)));
  }

  @Benchmark
  @Group("pairOkHttpInterceptor")
  @GroupThreads(1)
  public int pairOkHttpInterceptor_raw() throws IOException {
    return read(okRawPairInterceptor.newCall(okRequest));
  }

  @Benchmark
  @Group("pairOkHttpInterceptor")
  @GroupThreads(1)
  public int pairOkHttpInterceptor_stoic() throws IOException {
    return read(okStoicInterceptor.newCall(okRequest));
  }

  @Benchmark
  @Group("pairOkHttpCallFactory")
  @GroupThreads(1)
  public int pairOkHttpCallFactory_raw() throws IOException {
    return read(okRawPairCallFactory.newCall(okRequest));
  }

  @Benchmark
  @Group("pairOkHttpCallFactory")
  @GroupThreads(1)
  public int pairOkHttpCallFactory_stoic() throws IOException {
    return read(okStoicCallFactory.newCall(okRequest));
  }

  /**
   * The control: raw against raw. Its ratio shows what the pair method itself gives when both
   * sides do the same work (the "stoic" side here is a second raw client), so a pair's ratio is
   * read against it.
   */
  @Benchmark
  @Group("pairControlOkHttp")
  @GroupThreads(1)
  public int pairControlOkHttp_raw() throws IOException {
    return read(okRawControlA.newCall(okRequest));
  }

  @Benchmark
  @Group("pairControlOkHttp")
  @GroupThreads(1)
  public int pairControlOkHttp_stoic() throws IOException {
    return read(okRawControlB.newCall(okRequest));
  }

  @Benchmark
  @Group("pairJdk")
  @GroupThreads(1)
  public int pairJdk_raw() throws Exception {
    return read(jdkRawPair.send(jdkRequest, bytes));
  }

  @Benchmark
  @Group("pairJdk")
  @GroupThreads(1)
  public int pairJdk_stoic() throws Exception {
    return read(jdkStoic.send(jdkRequest, bytes));
  }
}
