package dev.stoic.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.stoic.Backoff;
import dev.stoic.RetryBudget;
import dev.stoic.RetryPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Async retries hold no thread while they wait: 2,000 concurrent calls, each answered 503, 503,
 * 200 with 50 ms waits between, finish while the number of live threads stays within a small
 * constant of where it started. A thread per pending retry would add up to 2,000.
 *
 * <p>The server is the JDK's own {@code com.sun.net.httpserver}, not MockWebServer: MockWebServer
 * serves each connection on a thread of its own, so 2,000 concurrent connections would add 2,000
 * server threads and drown what this test measures. This server has one selector thread and a
 * fixed pool of four handler threads.
 *
 * <p>The module's surefire argLine fixes two JVM settings this test depends on. The JDK client
 * completes every {@code sendAsync} future on {@code CompletableFuture}'s default executor: the
 * common pool, or a new thread per completion when the common pool's parallelism is 1 (machines
 * with two CPUs or fewer); a fixed parallelism keeps that bounded on any machine. And the server
 * keeps at most 200 idle connections by default, closing the rest between attempts.
 */
class NoParkedThreadsTest {
  static final int CALLS = 2_000;
  static final int FAILURES_PER_CALL = 2;
  /*
   * Threads the run may add: the client's and server's fixed pools filling up (3 + 3 beyond the
   * warm-up's), the common pool that completes the JDK's sendAsync futures (4, fixed by the
   * surefire argLine), a JIT compiler thread or two. A thread per pending wait would be hundreds.
   */
  static final int THREAD_ALLOWANCE = 16;

  final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  final Map<String, AtomicInteger> attemptsByPath = new ConcurrentHashMap<>();
  final ExecutorService serverPool = Executors.newFixedThreadPool(4);
  final ExecutorService clientPool = Executors.newFixedThreadPool(4);
  HttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
    server.createContext("/", this::handle);
    server.setExecutor(serverPool);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    serverPool.shutdownNow();
    clientPool.shutdownNow();
  }

  /** The first two attempts on each path get 503, the third 200. */
  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    int attempt = attemptsByPath.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    byte[] body = (attempt <= FAILURES_PER_CALL ? "busy" : "ok").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(attempt <= FAILURES_PER_CALL ? 503 : 200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Test
  void twoThousandRetryingCallsHoldNoThreadWhileTheyWait() throws Exception {
    WaitRecordingClock clock = new WaitRecordingClock();
    RetryPolicy policy = RetryPolicy.builder()
        .backoff(Backoff.fixed(Duration.ofMillis(50)))
        .clock(clock)
        // 2,000 calls retrying at once would drain the default per-host budget (20 retries):
        // this test measures threads, not load.
        .retryBudget(RetryBudget.unlimited())
        .build();
    HttpClient client = StoicHttpClient.wrap(
        HttpClient.newBuilder().executor(clientPool).version(HttpClient.Version.HTTP_1_1).build(),
        policy);
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    // Warm up: start the scheduler, the pools and the JDK client's selector before counting.
    assertEquals("ok", client.sendAsync(HttpRequest.newBuilder(base.resolve("/warm-up")).build(),
        BodyHandlers.ofString()).get(10, TimeUnit.SECONDS).body());
    int before = threads.getThreadCount();
    threads.resetPeakThreadCount();

    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>(CALLS);
    for (int i = 0; i < CALLS; i++) {
      HttpRequest request = HttpRequest.newBuilder(base.resolve("/call/" + i)).build();
      calls.add(client.sendAsync(request, BodyHandlers.ofString()));
    }
    CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
    int peak = threads.getPeakThreadCount();

    for (CompletableFuture<HttpResponse<String>> call : calls) {
      assertEquals("ok", call.join().body());
    }
    for (int i = 0; i < CALLS; i++) {
      assertEquals(FAILURES_PER_CALL + 1, attemptsByPath.get("/call/" + i).get(), "call " + i);
    }
    String measured = "threads before " + before + ", peak " + peak
        + "; waits pending at once, at most " + clock.maxPending();
    assertTrue(peak - before <= THREAD_ALLOWANCE, measured);
    // The bound means something only if more waits overlapped than threads were allowed.
    assertTrue(clock.maxPending() > THREAD_ALLOWANCE, measured);
  }
}
