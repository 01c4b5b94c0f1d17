package dev.stoic.reliability.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Hedging;
import dev.stoic.IdempotencyKey;
import dev.stoic.RetryBudget;
import dev.stoic.RetryPolicy;
import dev.stoic.jdk.StoicHttpClient;
import dev.stoic.okhttp.StoicCallFactory;
import dev.stoic.reliability.testing.Report;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hedging against a backend in its own process where every 20th arrival takes 1 s: 16 sync
 * callers, GETs and keyed POSTs, through {@link StoicCallFactory} and {@link StoicHttpClient},
 * unhedged and with {@code atPercentile(0.95).maxHedges(2)}; p50, p99 and p99.9 of each, and
 * the extra requests hedging cost. Runs in the {@code processes} profile; the figures go to
 * target/reliability-report.txt.
 */
@Tag("processes")
@Timeout(300)
class ProcessHedgingTest {
  static final int CALLERS = 16;
  static final int CALLS = Integer.getInteger("stoic.hedging.calls", 2_000);
  static final int WARMUP = 300;
  static final int FAST_MILLIS = Integer.getInteger("stoic.hedging.fastMillis", 10);
  static final int SLOW_EVERY = 20;
  static final int SLOW_MILLIS = 1_000;
  static final MediaType TEXT = MediaType.get("text/plain");

  static BackendProcess backend;
  static ExecutorService callers;

  @BeforeAll
  static void start() throws IOException {
    backend = BackendProcess.start(0, FAST_MILLIS, SLOW_EVERY, SLOW_MILLIS);
    callers = Executors.newFixedThreadPool(CALLERS);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    callers.shutdownNow();
    backend.close();
  }

  enum Adapter { CALL_FACTORY, JDK_CLIENT }

  /** One caller's call: returns when the body is read. */
  interface Caller {
    void call(int i) throws Exception;
  }

  static RetryPolicy policy(boolean hedged, RetryBudget budget) {
    RetryPolicy.Builder policy = RetryPolicy.builder()
        .idempotencyKey(IdempotencyKey.header("Idempotency-Key").autoGenerate());
    if (hedged) policy.hedging(Hedging.atPercentile(0.95).maxHedges(2));
    if (budget != null) policy.retryBudget(budget);
    return policy.build();
  }

  static Caller caller(Adapter adapter, RetryPolicy policy, boolean post) {
    String base = "http://127.0.0.1:" + backend.port + "/work/";
    if (adapter == Adapter.CALL_FACTORY) {
      Call.Factory calls = StoicCallFactory.wrap(new OkHttpClient(), policy);
      return i -> {
        Request.Builder request = new Request.Builder().url(base + i);
        if (post) request.post(RequestBody.create("order " + i, TEXT));
        try (Response response = calls.newCall(request.build()).execute()) {
          response.body().string();
          if (response.code() != 200) throw new IOException("status " + response.code());
        }
      };
    }
    HttpClient client = StoicHttpClient.wrap(HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1).build(), policy);
    return i -> {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + i));
      if (post) request.POST(HttpRequest.BodyPublishers.ofString("order " + i));
      int status = client.send(request.build(), BodyHandlers.ofString()).statusCode();
      if (status != 200) throw new IOException("status " + status);
    };
  }

  /** Runs {@code calls} calls on 16 threads; returns each call's latency in µs, sorted. */
  static long[] run(Caller caller, int calls) throws Exception {
    long[] micros = new long[calls];
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> threads = new ArrayList<>();
    for (int t = 0; t < CALLERS; t++) {
      threads.add(callers.submit(() -> {
        for (int i = next.getAndIncrement(); i < calls; i = next.getAndIncrement()) {
          long start = System.nanoTime();
          caller.call(i);
          micros[i] = (System.nanoTime() - start) / 1_000;
        }
        return null;
      }));
    }
    for (Future<?> thread : threads) thread.get();
    Arrays.sort(micros);
    return micros;
  }

  static double ms(long[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1000.0;
  }

  /** One row: p50, p99, p99.9 in ms and extra requests per call. */
  static double[] measure(Adapter adapter, boolean post, boolean hedged, RetryBudget budget)
      throws Exception {
    Caller caller = caller(adapter, policy(hedged, budget), post);
    run(caller, WARMUP);
    int[] before = backend.stats();
    long[] micros = run(caller, CALLS);
    int[] after = backend.stats();
    int requests = after[0] - before[0];
    int executions = after[1] - before[1];
    if (post) {
      assertEquals(CALLS, executions, "each keyed POST executed once");
      assertEquals(0, after[2] - before[2], "no POST went without its key");
    }
    double[] row = {ms(micros, 0.50), ms(micros, 0.99), ms(micros, 0.999),
        (requests - CALLS) / (double) CALLS};
    Report.line(String.format(Locale.ROOT,
        "hedging %s %s %s: p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, %.3f extra requests per call",
        adapter, post ? "keyed POST" : "GET",
        !hedged ? "unhedged" : budget == null ? "p95 x2, default budget" : "p95 x2, unlimited",
        row[0], row[1], row[2], row[3]));
    return row;
  }

  @Test
  void keyedPostsHedgeThroughTheCallFactoryAsThroughTheJdkClient() throws Exception {
    for (Adapter adapter : Adapter.values()) {
      for (boolean post : new boolean[] {false, true}) {
        double[] unhedged = measure(adapter, post, false, null);
        double[] hedged = measure(adapter, post, true, null);
        measure(adapter, post, true, RetryBudget.unlimited());
        assertTrue(unhedged[1] >= SLOW_MILLIS, "the slow tail shows unhedged");
        assertTrue(hedged[1] < SLOW_MILLIS, adapter + (post ? " POST" : " GET")
            + ": hedges outran the slow requests at p99: " + hedged[1] + " ms");
      }
    }
  }
}
