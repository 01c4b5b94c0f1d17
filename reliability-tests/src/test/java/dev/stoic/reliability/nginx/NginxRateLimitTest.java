package dev.stoic.reliability.nginx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.stoic.Decision;
import dev.stoic.RetryBudget;
import dev.stoic.RetryEvent;
import dev.stoic.RetryPolicy;
import dev.stoic.jdk.StoicHttpClient;
import dev.stoic.okhttp.StoicInterceptor;
import dev.stoic.reliability.testing.Report;
import dev.stoic.resilience4j.StoicRateLimiter;
import java.io.IOException;
import java.io.OutputStream;
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
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The load issue's four cases against a real nginx on a loopback port (see {@link Nginx}), with
 * the default policy: a rate limiter ({@code limit_req} 20 r/s, burst 5, 429 with {@code
 * Retry-After: 1}) called in a loop by eight workers, with and without the adaptive throttle
 * and by a naive loop for comparison; a backend behind nginx that fails each call's first
 * attempt; a total outage (502) at a high call rate; and a client making two calls a second
 * through that outage. Runs in the {@code nginx} profile ({@code mvn -Pnginx}), which .ci/run
 * enables after installing nginx; the figures go to target/reliability-report.txt.
 */
@Tag("nginx")
@Timeout(300)
class NginxRateLimitTest {
  static final int RATE = 20;
  static final int WORKERS = 8;
  static final Duration RUN = Duration.ofSeconds(20);
  /** Longer with the throttle: its few 429s after the warm-up are measured over 25 s, not 15. */
  static final Duration THROTTLED_RUN = Duration.ofSeconds(30);
  static final Duration WARMUP = Duration.ofSeconds(5);

  /** What one closed-loop run measured, attempt by attempt, as nginx answered. */
  static final class Figures {
    final AtomicLong calls = new AtomicLong();
    final AtomicLong succeeded = new AtomicLong();
    final AtomicLong attempts = new AtomicLong();
    final AtomicLong attemptsAfterWarmup = new AtomicLong();
    final AtomicLong refusedAfterWarmup = new AtomicLong();
    final AtomicLong okAfterWarmup = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong earlyRetries = new AtomicLong();
    final AtomicLong earlyCalls = new AtomicLong();
    final AtomicLong failedCalls = new AtomicLong();
    long startNanos;
    long warmNanos;
    long endNanos;

    double successRate() {
      return succeeded.get() / (double) calls.get();
    }

    double attemptsPerCall() {
      return attempts.get() / (double) calls.get();
    }

    double refusedShareAfterWarmup() {
      return refusedAfterWarmup.get() / (double) attemptsAfterWarmup.get();
    }

    double rateUsed() {
      return okAfterWarmup.get() / ((endNanos - warmNanos) / 1e9) / RATE;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%d calls, %.2f%% succeeded, %.3f attempts per call,"
              + " %.2f%% of all attempts and %.2f%% of attempts after the first %d s got 429,"
              + " %.1f%% of the allowed rate used after them, %d retries and %d new calls"
              + " earlier than a Retry-After, %d calls failed with an exception",
          calls.get(), 100 * successRate(), attemptsPerCall(),
          100.0 * refused.get() / attempts.get(), 100 * refusedShareAfterWarmup(),
          WARMUP.toSeconds(), 100 * rateUsed(), earlyRetries.get(), earlyCalls.get(),
          failedCalls.get());
    }
  }

  /** A worker's view: which call it is on, and when nginx last said it may come back. */
  static final class Worker {
    int attemptsThisCall;
    boolean hinted;
    long notBefore;
  }

  static final ThreadLocal<Worker> WORKER = ThreadLocal.withInitial(Worker::new);

  /** Sees every attempt on the wire (a network interceptor), on the worker's own thread. */
  static Interceptor recorder(Figures figures) {
    return chain -> {
      Worker worker = WORKER.get();
      long sent = System.nanoTime();
      if (worker.hinted && sent - worker.notBefore < 0) {
        (worker.attemptsThisCall > 0 ? figures.earlyRetries : figures.earlyCalls).incrementAndGet();
      }
      worker.attemptsThisCall++;
      figures.attempts.incrementAndGet();
      boolean measured = sent - figures.warmNanos >= 0 && sent - figures.endNanos < 0;
      if (measured) figures.attemptsAfterWarmup.incrementAndGet();
      Response response = chain.proceed(chain.request());
      String retryAfter = response.header("Retry-After");
      worker.hinted = retryAfter != null;
      if (worker.hinted) {
        worker.notBefore =
            System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(retryAfter.trim()));
      }
      if (response.code() == 429) {
        figures.refused.incrementAndGet();
        if (measured) figures.refusedAfterWarmup.incrementAndGet();
      } else if (response.code() == 200 && measured) {
        figures.okAfterWarmup.incrementAndGet();
      }
      return response;
    };
  }

  /** One call of a worker's loop; returns the final status, or -1 after an exception. */
  interface CallOnce {
    int call() throws IOException, InterruptedException;
  }

  /** {@link #WORKERS} threads calling in a loop for {@code run}. */
  static Figures closedLoop(Figures figures, Duration run, CallOnce call)
      throws InterruptedException {
    figures.startNanos = System.nanoTime();
    figures.warmNanos = figures.startNanos + WARMUP.toNanos();
    figures.endNanos = figures.startNanos + run.toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < WORKERS; i++) {
      Thread thread = new Thread(() -> {
        try {
          while (System.nanoTime() - figures.endNanos < 0) {
            WORKER.get().attemptsThisCall = 0;
            int status;
            try {
              status = call.call();
            } catch (IOException e) {
              status = -1;
              figures.failedCalls.incrementAndGet();
            }
            figures.calls.incrementAndGet();
            if (status == 200) figures.succeeded.incrementAndGet();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "nginx-worker-" + i);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) thread.join();
    return figures;
  }

  static OkHttpClient client(Figures figures) {
    return new OkHttpClient.Builder().addNetworkInterceptor(recorder(figures)).build();
  }

  static int execute(OkHttpClient client, String url) throws IOException {
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
      response.body().string();
      return response.code();
    }
  }

  static Figures stoicLoop(RetryPolicy policy, Duration run) throws Exception {
    Figures figures = new Figures();
    try (Nginx nginx = Nginx.start(RATE, 0)) {
      OkHttpClient client = client(figures).newBuilder()
          .addInterceptor(StoicInterceptor.create(policy)).build();
      closedLoop(figures, run, () -> execute(client, nginx.url("/limited")));
      close(client);
    }
    return figures;
  }

  static void close(OkHttpClient client) {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  static void assertTheTargetsForDefaults(Figures stoic) {
    assertTrue(stoic.successRate() >= 0.99, stoic.toString());
    assertEquals(0, stoic.earlyRetries.get(), "a retry went out before the Retry-After: " + stoic);
  }

  @Test
  void withTheDefaultsAlmostEveryCallSucceedsNoRetryIsEarlyAndTheLoadIsLowerThanANaiveLoop()
      throws Exception {
    Figures stoic = stoicLoop(RetryPolicy.builder().build(), RUN);
    Report.line("nginx limit_req " + RATE + " r/s, " + WORKERS + " workers, " + RUN.toSeconds()
        + " s, Stoic defaults: " + stoic);

    Figures naive = new Figures();
    try (Nginx nginx = Nginx.start(RATE, 0)) {
      OkHttpClient plain = client(naive);
      closedLoop(naive, RUN, () -> {
        int status = -1;
        for (int attempt = 1; attempt <= 5; attempt++) {
          status = execute(plain, nginx.url("/limited"));
          if (status != 429) break;
          if (attempt < 5) Thread.sleep(500); // ignores Retry-After
        }
        return status;
      });
      close(plain);
    }
    Report.line("nginx limit_req " + RATE + " r/s, " + WORKERS + " workers, " + RUN.toSeconds()
        + " s, naive loop (5 attempts, 500 ms apart): " + naive);

    assertTheTargetsForDefaults(stoic);
    assertTrue(stoic.attemptsPerCall() < 1.6, stoic.toString());
    assertTrue(stoic.attemptsPerCall() < naive.attemptsPerCall() * 0.8, stoic + " vs " + naive);
  }

  static void assertTheTargetsForTheThrottle(Figures figures) {
    assertTrue(figures.successRate() >= 0.999, figures.toString());
    assertTrue(figures.refusedShareAfterWarmup() < 0.01, figures.toString());
    assertTrue(figures.rateUsed() >= 0.9, figures.toString());
    assertEquals(0, figures.earlyRetries.get(), figures.toString());
  }

  @Test
  void withTheAdaptiveThrottleAOneSecondPeriodUsesTheRateWithAlmostNo429s() throws Exception {
    Figures figures = stoicLoop(RetryPolicy.builder()
        .throttle(StoicRateLimiter.adaptive(2 * RATE, Duration.ofSeconds(1)).build()).build(),
        THROTTLED_RUN);
    Report.line("nginx limit_req " + RATE + " r/s, " + WORKERS + " workers, " + THROTTLED_RUN.toSeconds()
        + " s, defaults + adaptive throttle 40 per 1 s: " + figures);
    assertTheTargetsForTheThrottle(figures);
  }

  @Test
  void withTheAdaptiveThrottleAHundredMillisecondPeriodToo() throws Exception {
    Figures figures = stoicLoop(RetryPolicy.builder()
        .throttle(StoicRateLimiter.adaptive(2 * RATE / 10, Duration.ofMillis(100)).build()).build(),
        THROTTLED_RUN);
    Report.line("nginx limit_req " + RATE + " r/s, " + WORKERS + " workers, " + THROTTLED_RUN.toSeconds()
        + " s, defaults + adaptive throttle 4 per 100 ms: " + figures);
    assertTheTargetsForTheThrottle(figures);
  }

  /** A backend that fails the first attempt of every call (by its id) and answers the retry. */
  static HttpServer coldBackend(Set<String> seen, AtomicLong requests) throws IOException {
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext("/backend/", exchange -> {
      requests.incrementAndGet();
      boolean first = seen.add(exchange.getRequestURI().getPath());
      byte[] body = (first ? "cold\n" : "ok\n").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(first ? 503 : 200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    return server;
  }

  @Test
  void whenEveryFirstAttemptFailsAndTheRetryWorksEveryCallSucceeds() throws Exception {
    Set<String> seen = ConcurrentHashMap.newKeySet();
    AtomicLong requests = new AtomicLong();
    HttpServer backend = coldBackend(seen, requests);
    Figures figures = new Figures();
    try (Nginx nginx = Nginx.start(RATE, backend.getAddress().getPort())) {
      OkHttpClient client = client(figures).newBuilder()
          .addInterceptor(StoicInterceptor.create(RetryPolicy.builder().build())).build();
      AtomicLong ids = new AtomicLong();
      List<Thread> threads = new ArrayList<>();
      figures.startNanos = System.nanoTime();
      figures.warmNanos = figures.endNanos = figures.startNanos;
      for (int i = 0; i < 20; i++) {
        Thread thread = new Thread(() -> {
          for (int c = 0; c < 10; c++) {
            figures.calls.incrementAndGet();
            try {
              if (execute(client, nginx.url("/backend/" + ids.incrementAndGet())) == 200) {
                figures.succeeded.incrementAndGet();
              }
            } catch (IOException e) {
              figures.failedCalls.incrementAndGet();
            }
          }
        });
        threads.add(thread);
        thread.start();
      }
      for (Thread thread : threads) thread.join();
      close(client);
    } finally {
      backend.stop(0);
      ((ExecutorService) backend.getExecutor()).shutdownNow();
    }
    Report.line("nginx proxy to a backend that fails every first attempt, 200 calls from 20"
        + " threads, Stoic defaults: " + figures.succeeded + " of " + figures.calls
        + " succeeded, " + String.format(Locale.ROOT, "%.3f", figures.attemptsPerCall())
        + " attempts per call, " + requests + " requests reached the backend");
    assertEquals(200, figures.calls.get());
    assertTrue(figures.successRate() >= 0.99, figures.toString());
  }

  /** Calls to a total outage (502) at {@code perSecond} for {@code length}, through the JDK adapter. */
  static long[] outage(double perSecond, Duration length, RetryBudget budget) throws Exception {
    AtomicLong attemptsInRun = new AtomicLong();
    AtomicLong attempts = new AtomicLong();
    AtomicLong fullCalls = new AtomicLong();
    long[] end = new long[1];
    ExecutorService pool = Executors.newFixedThreadPool(4);
    HttpClient jdk = HttpClient.newBuilder().executor(pool).version(HttpClient.Version.HTTP_1_1)
        .build();
    RetryPolicy policy = RetryPolicy.builder().retryBudget(budget).listener(event -> {
      attempts.incrementAndGet();
      if (System.nanoTime() - end[0] < 0) attemptsInRun.incrementAndGet();
      if (event.action() == Decision.Action.GIVE_UP && event.attempt() == 5) {
        fullCalls.incrementAndGet();
      }
    }).build();
    StoicHttpClient client = StoicHttpClient.wrap(jdk, policy);
    long calls = 0;
    try (Nginx nginx = Nginx.start(RATE, 0)) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(nginx.url("/down/items"))).build();
      List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
      long gap = (long) (1e9 / perSecond);
      long start = System.nanoTime();
      end[0] = start + length.toNanos();
      for (long at = start; at - end[0] < 0; at += gap) {
        long wait = at - System.nanoTime();
        if (wait > 0) LockSupport.parkNanos(wait);
        futures.add(client.sendAsync(request, BodyHandlers.ofString()));
        calls++;
      }
      for (CompletableFuture<HttpResponse<String>> future : futures) {
        assertEquals(502, future.get(60, TimeUnit.SECONDS).statusCode());
      }
    } finally {
      pool.shutdownNow();
    }
    return new long[] {calls, attemptsInRun.get(), attempts.get(), fullCalls.get()};
  }

  @Test
  void underATotalOutageAtAHighCallRateRetriesAddAtMostTenPercentLoad() throws Exception {
    double perSecond = 300;
    long[] r = outage(perSecond, RUN, RetryBudget.perHost());
    double extra = r[1] / (double) r[0] - 1;
    Report.line(String.format(Locale.ROOT, "nginx total outage (502), %.0f calls/s for %d s,"
            + " Stoic defaults: %d calls, %d attempts during the run (extra load %.2f%%), %d in all",
        perSecond, RUN.toSeconds(), r[0], r[1], 100 * extra, r[2]));
    assertTrue(extra <= 0.10, "extra load " + extra);
  }

  @Test
  void aClientMakingTwoCallsASecondCanRetryThemAllThroughAnOutage() throws Exception {
    RetryBudget budget = RetryBudget.perHost();
    long[] r = outage(2, Duration.ofSeconds(10), budget);
    Report.line("nginx total outage (502), 2 calls/s for 10 s, Stoic defaults: " + r[0]
        + " calls, " + r[2] + " attempts, " + r[3] + " calls made all 5; the bucket still holds "
        + budget.available("127.0.0.1") + " of 20 tokens");
    assertEquals(r[0], r[3], "every call made all five attempts");
    assertEquals(5 * r[0], r[2]);
    assertTrue(r[2] - r[0] > 20, "more retries than the bucket alone would have paid for");
  }
}
