package dev.stoic.benchmarks;

import dev.stoic.Backoff;
import dev.stoic.RetryBudget;
import dev.stoic.jdk.StoicHttpClient;
import dev.stoic.okhttp.StoicCallFactory;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * What an async call costs while it waits for its retry: bytes retained per waiting call (heap
 * used after a full GC, less the same before the calls) and the JVM's live threads, with 10,000
 * and 100,000 calls waiting at once. Every first attempt gets a 503 from a canned in-process
 * server (no sockets, so the figure is the retry library's and the client's, not a connection's)
 * and the retry waits ten minutes, so all calls wait together when measured.
 *
 * <p>Sides, each in a JVM of its own: Stoic's {@code StoicHttpClient.sendAsync} and {@code
 * StoicCallFactory.enqueue}, and resilience4j's {@code Retry.executeCompletionStage} on a
 * one-thread {@link ScheduledExecutorService} around the JDK's {@code sendAsync} and around
 * OkHttp's {@code enqueue}. The caller keeps every call's future in all of them.
 *
 * <pre>
 * java -cp benchmarks.jar dev.stoic.benchmarks.WaitingRetries [calls,calls...]
 * </pre>
 *
 * <p>With {@code -Dhisto=true} on a side's own run ({@code --side <side> <calls>}) it also prints
 * the heap's class histogram while the calls wait: what each waiting call holds, object by object.
 */
public final class WaitingRetries {
  private static final Duration WAIT = Duration.ofMinutes(10);
  private static final URI URL = URI.create("https://api.example.com/v1/orders/42?expand=items");
  private static final String[] SIDES = {
      "stoic-jdk-sendAsync", "resilience4j-jdk-sendAsync",
      "stoic-okhttp-enqueue", "resilience4j-okhttp-enqueue"};

  private WaitingRetries() {}

  public static void main(String[] args) throws Exception {
    if (args.length >= 1 && args[0].equals("--side")) {
      measure(args[1], Integer.parseInt(args[2]));
      return;
    }
    String counts = args.length >= 1 ? args[0] : "10000,100000";
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    System.out.println("| side | calls waiting | retained bytes per waiting call |"
        + " live threads before → while waiting |");
    System.out.println("|---|---:|---:|---|");
    for (String count : counts.split(",")) {
      for (String side : SIDES) {
        Process child = new ProcessBuilder(java, "-Xmx1g", "-XX:+UseSerialGC", "-cp",
            System.getProperty("java.class.path"), WaitingRetries.class.getName(), "--side", side,
            count.trim()).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes()).trim();
        if (child.waitFor() != 0) throw new IllegalStateException(side + " failed: " + out);
        System.out.println(out);
      }
    }
  }

  private static void measure(String side, int calls) throws Exception {
    AtomicLong attempts = new AtomicLong();
    List<CompletableFuture<?>> waiting = new ArrayList<>(calls);
    Supplier<CompletableFuture<?>> call = side(side, attempts);
    call.get(); // the classes loaded and the pools started before the baseline
    long target = attempts.get() + calls;
    int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
    long before = heapAfterGc();
    for (int i = 0; i < calls; i++) waiting.add(call.get());
    while (attempts.get() < target) Thread.sleep(10); // OkHttp's attempts run on its dispatcher
    Thread.sleep(200); // their decisions made and the retries scheduled
    long after = heapAfterGc();
    int threads = ManagementFactory.getThreadMXBean().getThreadCount();
    for (CompletableFuture<?> f : waiting) {
      if (f.isDone()) throw new IllegalStateException(side + ": a call ended instead of waiting");
    }
    System.out.printf(Locale.ROOT, "| %s | %,d | %,d | %d → %d |%n", side, calls,
        (after - before) / calls, threadsBefore, threads);
    if (Boolean.getBoolean("histo")) {
      new ProcessBuilder("jcmd", Long.toString(ProcessHandle.current().pid()), "GC.class_histogram")
          .inheritIO().start().waitFor();
    }
    System.exit(0); // the waits would hold the JVM for ten minutes
  }

  private static Supplier<CompletableFuture<?>> side(String side, AtomicLong attempts) {
    switch (side) {
      case "stoic-jdk-sendAsync": {
        StoicHttpClient client = StoicHttpClient.wrap(new Unavailable(attempts), stoicPolicy());
        HttpRequest request = HttpRequest.newBuilder(URL).build();
        return () -> client.sendAsync(request, BodyHandlers.discarding());
      }
      case "resilience4j-jdk-sendAsync": {
        Unavailable raw = new Unavailable(attempts);
        Retry retry = Retry.of("jdk", RetryConfig.<HttpResponse<Void>>custom()
            .maxAttempts(5).waitDuration(WAIT)
            .retryOnResult(response -> response.statusCode() == 503).build());
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        HttpRequest request = HttpRequest.newBuilder(URL).build();
        return () -> retry.executeCompletionStage(scheduler,
            () -> raw.sendAsync(request, BodyHandlers.discarding())).toCompletableFuture();
      }
      case "stoic-okhttp-enqueue": {
        StoicCallFactory factory = StoicCallFactory.wrap(okHttp(attempts), stoicPolicy());
        Request request = new Request.Builder().url(URL.toString()).build();
        return () -> enqueue(factory.newCall(request));
      }
      case "resilience4j-okhttp-enqueue": {
        OkHttpClient client = okHttp(attempts);
        Retry retry = Retry.of("okhttp", RetryConfig.<Response>custom()
            .maxAttempts(5).waitDuration(WAIT)
            .retryOnResult(response -> response.code() == 503)
            .consumeResultBeforeRetryAttempt((attempt, response) -> response.close()).build());
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        Request request = new Request.Builder().url(URL.toString()).build();
        return () -> retry.executeCompletionStage(scheduler,
            () -> enqueue(client.newCall(request))).toCompletableFuture();
      }
      default:
        throw new IllegalArgumentException("unknown side " + side);
    }
  }

  private static dev.stoic.RetryPolicy stoicPolicy() {
    return dev.stoic.RetryPolicy.builder().maxAttempts(5).backoff(Backoff.fixed(WAIT))
        .retryBudget(RetryBudget.unlimited()).build();
  }

  private static OkHttpClient okHttp(AtomicLong attempts) {
    OkHttpClient client = new OkHttpClient.Builder().addInterceptor(new Interceptor() {
      @Override
      public Response intercept(Chain chain) {
        attempts.incrementAndGet();
        return new Response.Builder().request(chain.request()).protocol(Protocol.HTTP_1_1)
            .code(503).message("Service Unavailable")
            .body(ResponseBody.create(new byte[0], null)).build();
      }
    }).build();
    client.dispatcher().setMaxRequests(1_000_000);
    client.dispatcher().setMaxRequestsPerHost(1_000_000);
    return client;
  }

  private static CompletableFuture<Response> enqueue(Call call) {
    CompletableFuture<Response> result = new CompletableFuture<>();
    call.enqueue(new Callback() {
      @Override
      public void onResponse(Call c, Response response) {
        result.complete(response);
      }

      @Override
      public void onFailure(Call c, IOException e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  private static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** A JDK client whose every exchange is a 503 with an empty body, answered at once. */
  private static final class Unavailable extends CannedHttpClient {
    private final AtomicLong attempts;

    Unavailable(AtomicLong attempts) {
      this.attempts = attempts;
    }

    @Override
    int nextStatus() {
      attempts.incrementAndGet();
      return 503;
    }
  }
}
