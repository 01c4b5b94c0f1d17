package dev.stoic.reliability.nginx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.stoic.Decision;
import dev.stoic.RetriesExhaustedException;
import dev.stoic.RetryEvent;
import dev.stoic.RetryPolicy;
import dev.stoic.http.FailureKind;
import dev.stoic.jdk.StoicHttpClient;
import dev.stoic.okhttp.StoicCallFactory;
import dev.stoic.okhttp.StoicInterceptor;
import dev.stoic.reliability.testing.Report;
import dev.stoic.testing.RecordingListener;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HTTP/2's proofs that a request was never processed, against a real nginx over TLS that keeps
 * sending {@code GOAWAY}: a graceful reload every 300 ms and {@code keepalive_requests 50}, with
 * {@code http2_max_concurrent_streams 6}. Eight workers send keyless POSTs and GETs through each
 * lane; a backend behind nginx counts what it applied. No call may be applied twice; through
 * OkHttp at most one keyless POST in 600 may fail (raw OkHttp, whose own recovery re-sends POSTs
 * blind, lost 1 to 7); on every lane a failure the client proved unprocessed reaches the caller
 * only after all the policy's attempts met such a proof. Runs in the {@code nginx} profile; figures go to target/reliability-report.txt.
 */
@Tag("nginx")
@Timeout(300)
class NginxHttp2Test {
  static final int WORKERS = 8;
  static final int CALLS_PER_WORKER = Integer.getInteger("stoic.h2.calls", 150);
  static final MediaType TEXT = MediaType.get("text/plain");

  static HttpServer backend;
  static NginxH2 nginx;
  static final Map<String, AtomicInteger> applied = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    backend.setExecutor(Executors.newFixedThreadPool(16));
    backend.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      String id = exchange.getRequestHeaders().getFirst("X-Request-Id");
      if (id != null) applied.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      byte[] body = "applied".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    backend.start();
    nginx = NginxH2.start(backend.getAddress().getPort(), 50, 6);
  }

  @AfterAll
  static void stop() {
    if (nginx != null) nginx.close();
    if (backend != null) backend.stop(0);
  }

  /** One lane's figures. */
  record Figures(String lane, int calls, Map<String, Integer> failures, int appliedTwice,
      int failedButApplied, long proofRetries) {
    int failed() {
      return failures.values().stream().mapToInt(Integer::intValue).sum();
    }

    int failed(String method) {
      return failures.entrySet().stream().filter(e -> e.getKey().startsWith(method))
          .mapToInt(Map.Entry::getValue).sum();
    }

    @Override
    public String toString() {
      return String.format("%s: %d calls, %d failed %s, %d POSTs applied twice, %d of the failed"
          + " were applied, %d retries on an HTTP/2 proof", lane, calls, failed(), failures,
          appliedTwice, failedButApplied, proofRetries);
    }
  }

  /** Sends one call; returns null on success or a short description of the failure. */
  @FunctionalInterface
  interface Lane {
    String send(String method, String id) throws Exception;
  }

  @Test
  void keylessPostsSurviveGoawayAndRefusedStreamsWithoutDuplicates() throws Exception {
    RecordingListener events = new RecordingListener();
    RetryPolicy policy = RetryPolicy.builder().listener(events).build();
    OkHttpClient okhttp = okhttp();
    HttpClient jdk = HttpClient.newBuilder().sslContext(nginx.trust)
        .version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5)).build();
    OkHttpClient intercepted = okhttp.newBuilder()
        .addInterceptor(StoicInterceptor.create(policy)).build();
    StoicCallFactory factory = StoicCallFactory.wrap(okhttp, policy);
    StoicHttpClient stoicJdk = StoicHttpClient.wrap(jdk, policy);
    String jdkName = "JDK " + Runtime.version().feature() + " (" + Runtime.version() + ")";

    Figures rawOkHttp = run("raw OkHttp", events, (m, id) -> okhttpCall(okhttp.newCall(request(m, id))));
    Figures interceptor = run("StoicInterceptor", events,
        (m, id) -> okhttpCall(intercepted.newCall(request(m, id))));
    Figures callFactory = run("StoicCallFactory", events,
        (m, id) -> okhttpCall(factory.newCall(request(m, id))));
    Figures rawJdk = run("raw " + jdkName, events, (m, id) -> jdkCall(jdk, m, id));
    Figures stoicJdkFigures = run("StoicHttpClient on " + jdkName, events,
        (m, id) -> jdkCall(stoicJdk, m, id));

    for (Figures f : List.of(rawOkHttp, interceptor, callFactory, rawJdk, stoicJdkFigures)) {
      Report.line("http2 goaway: " + f);
    }
    for (Figures f : List.of(interceptor, callFactory, stoicJdkFigures)) {
      assertEquals(0, f.appliedTwice(), f::toString);
    }
    // The goal is none, and most runs have none; about one run in three loses one keyless POST
    // (of 600) whose every attempt met a refused stream during back-to-back reloads. Raw OkHttp,
    // re-sending blind, lost 1 to 7 calls per run here.
    assertTrue(interceptor.failed("POST") <= 1, interceptor::toString);
    assertTrue(callFactory.failed("POST") <= 1, callFactory::toString);
    // A failure HTTP/2 proved unprocessed may reach the caller only once the policy's attempts
    // are used up, every one of them refused; never while an attempt is left.
    String allRefused = "(all " + policy.maxAttempts() + " attempts unprocessed)";
    for (Figures f : List.of(interceptor, callFactory, stoicJdkFigures)) {
      assertTrue(f.failures().keySet().stream()
              .filter(k -> k.contains(FailureKind.UNPROCESSED.name()))
              .allMatch(k -> k.endsWith(allRefused)),
          () -> "a failure HTTP/2 proved unprocessed reached the caller with attempts left: " + f);
    }
    assertTrue(interceptor.proofRetries() + callFactory.proofRetries() > 0,
        "the run made no HTTP/2 proof at all: nothing was tested");
  }

  private static OkHttpClient okhttp() {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequestsPerHost(64);
    return new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .sslSocketFactory(nginx.trust.getSocketFactory(), nginx.trustManager)
        .protocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1))
        .build();
  }

  private static Request request(String method, String id) {
    return new Request.Builder().url(nginx.url("/apply"))
        .header("X-Request-Id", id)
        .method(method, method.equals("POST") ? RequestBody.create("order " + id, TEXT) : null)
        .build();
  }

  private static String okhttpCall(Call call) {
    try (Response response = call.execute()) {
      response.body().string();
      return response.code() == 200 ? null : "status " + response.code();
    } catch (IOException e) {
      return describe(e);
    }
  }

  private static String jdkCall(HttpClient client, String method, String id) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(nginx.url("/apply")))
        .header("X-Request-Id", id)
        .timeout(Duration.ofSeconds(10)) // JDK 17.0.15 can leave a GOAWAY'd stream unanswered
        .method(method, method.equals("POST")
            ? HttpRequest.BodyPublishers.ofString("order " + id)
            : HttpRequest.BodyPublishers.noBody())
        .build();
    try {
      int status = client.send(request, BodyHandlers.ofString()).statusCode();
      return status == 200 ? null : "status " + status;
    } catch (IOException e) {
      return describe(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /**
   * The failure as its type and kind, and how many attempts it took: "(all N attempts
   * unprocessed)" when every attempt in its history met an HTTP/2 proof.
   */
  private static String describe(IOException e) {
    String message = String.valueOf(e.getMessage()).replaceAll("^/[0-9.:]+: ", "");
    List<RetryEvent> history = RetriesExhaustedException.historyOf(e);
    String attempts = "";
    if (history.size() > 1) {
      boolean allProofs = history.stream().allMatch(h -> h.failureKind() == FailureKind.UNPROCESSED);
      attempts = allProofs
          ? " (all " + history.size() + " attempts unprocessed)"
          : " (after " + history.size() + " attempts)";
    }
    return e.getClass().getSimpleName() + " " + FailureKind.of(e) + ": " + message + attempts;
  }

  private static Figures run(String name, RecordingListener events, Lane lane) throws Exception {
    int before = events.events.size();
    String prefix = name.replaceAll("[^A-Za-z0-9]", "") + "-";
    AtomicBoolean running = new AtomicBoolean(true);
    long startNanos = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(WORKERS + 1);
    Map<String, Integer> failures = new TreeMap<>();
    Map<String, Boolean> failedIds = new ConcurrentHashMap<>();
    try {
      pool.execute(() -> {
        while (running.get()) {
          try {
            Thread.sleep(300);
            nginx.reload();
          } catch (InterruptedException e) {
            return;
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        }
      });
      List<Future<?>> workers = new java.util.ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        int worker = w;
        workers.add(pool.submit(() -> {
          for (int i = 0; i < CALLS_PER_WORKER; i++) {
            String method = i % 2 == 0 ? "POST" : "GET";
            String id = prefix + method + "-" + worker + "-" + i;
            String failure = lane.send(method, id);
            if (failure != null) {
              failedIds.put(id, true);
              synchronized (failures) {
                failures.merge(method + " " + failure, 1, Integer::sum);
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> worker : workers) worker.get(240, TimeUnit.SECONDS);
    } finally {
      running.set(false);
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
    int twice = 0;
    int failedButApplied = 0;
    for (Map.Entry<String, AtomicInteger> entry : applied.entrySet()) {
      if (!entry.getKey().startsWith(prefix)) continue;
      // A GET may be applied twice: it is idempotent, and retried after an ambiguous failure.
      if (entry.getValue().get() > 1 && entry.getKey().startsWith(prefix + "POST")) twice++;
      if (failedIds.containsKey(entry.getKey())) failedButApplied++;
    }
    List<RetryEvent> mine = events.events.subList(before, events.events.size());
    long proofs = mine.stream().filter(e -> e.action() == Decision.Action.RETRY
        && e.failureKind() == FailureKind.UNPROCESSED).count();
    Report.line("http2 goaway: " + name + " ran " + (System.nanoTime() - startNanos) / 1_000_000 + " ms");
    return new Figures(name, WORKERS * CALLS_PER_WORKER, failures, twice, failedButApplied, proofs);
  }
}
