package dev.stoic.benchmarks;

import dev.stoic.Backoff;
import dev.stoic.Decision;
import dev.stoic.RetryBudget;
import dev.stoic.RetryEvent;
import dev.stoic.RetryPolicy;
import dev.stoic.jdk.StoicHttpClient;
import dev.stoic.okhttp.StoicCallFactory;
import dev.stoic.okhttp.StoicInterceptor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Many concurrent logical calls, each retried twice: what waiting retries cost in threads, heap
 * and time. Not a JMH benchmark: one run is one burst of calls, measured as a whole.
 *
 * <p>A {@link ScaleServer} in a process of its own answers each call 503, 503, then 200. Every
 * call is {@code GET /scale} with its own {@code X-Call} header, made with {@link
 * Backoff#fixed(Duration) Backoff.fixed(wait)} and {@link RetryBudget#unlimited()} (the budget is
 * not what this measures), so each call makes 3 attempts and waits twice. Each side runs in a JVM
 * of its own, with the same number of warm-up calls first; a sampler thread then reads, every 10
 * ms, the JVM's live threads ({@link ThreadMXBean#getThreadCount()}), its used heap ({@link
 * MemoryMXBean}, garbage included, no GC forced) and how many calls are waiting to retry.
 *
 * <p>Sides:
 *
 * <ul>
 *   <li>{@code jdk-stoic}: {@code StoicHttpClient.sendAsync}.
 *   <li>{@code jdk-raw}: the same client without Stoic; each retry scheduled by hand on a
 *       one-thread {@link ScheduledExecutorService}: the same work, no library.
 *   <li>{@code okhttp-callfactory}: {@code StoicCallFactory.wrap(client, policy)...enqueue}.
 *   <li>{@code okhttp-interceptor}: {@code StoicInterceptor} on the client, {@code enqueue}: its
 *       waits sleep on dispatcher threads.
 *   <li>{@code okhttp-raw}: the client without Stoic, retries scheduled by hand as for {@code
 *       jdk-raw}.
 * </ul>
 *
 * <p>Every OkHttp client has its dispatcher limits raised from 64 requests (5 per host) to 64 per
 * host, and a pool of 64 idle connections; the JDK client keeps its defaults (it opens a
 * connection per concurrent request and has no limit).
 *
 * <p>The ideal wall time is 2 x wait + 3 round trips (the median of 50 sequential pings on the
 * same client). The {@code raw} sides are the practical ideal on this machine: the same requests
 * and waits without Stoic.
 *
 * <pre>
 * java -cp benchmarks.jar dev.stoic.benchmarks.AsyncScale [--calls 1000,10000] [--wait-ms 100]
 *     [--warmup 500] [--sides jdk-stoic,jdk-raw,...]
 * </pre>
 *
 * <p>Prints a Markdown table. Exits non-zero if any call did not end in 200 after exactly 3
 * attempts.
 */
public final class AsyncScale {
  static final List<String> SIDES = List.of(
      "jdk-stoic", "jdk-raw", "okhttp-callfactory", "okhttp-interceptor", "okhttp-raw");
  private static final int OKHTTP_MAX_REQUESTS = 64;
  private static final int ATTEMPTS = 3;

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--run")) {
      runSide(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
          Integer.parseInt(args[4]), Integer.parseInt(args[5]));
      return;
    }
    Map<String, String> options = options(args);
    int[] calls = Arrays.stream(options.getOrDefault("calls", "1000,10000").split(","))
        .mapToInt(Integer::parseInt).toArray();
    int waitMs = Integer.parseInt(options.getOrDefault("wait-ms", "100"));
    int warmup = Integer.parseInt(options.getOrDefault("warmup", "500"));
    List<String> sides = List.of(options.getOrDefault("sides", String.join(",", SIDES)).split(","));
    System.exit(drive(calls, waitMs, warmup, sides) ? 0 : 1);
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) throw new IllegalArgumentException("unexpected " + args[i]);
      options.put(args[i].substring(2), args[i + 1]);
    }
    return options;
  }

  /** Starts the server, runs each side in a JVM of its own for each count, prints the table. */
  private static boolean drive(int[] calls, int waitMs, int warmup, List<String> sides)
      throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    String classpath = System.getProperty("java.class.path");
    Process server = new ProcessBuilder(java, "-cp", classpath, ScaleServer.class.getName())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    boolean ok = true;
    List<String> kinds = new ArrayList<>();
    try {
      BufferedReader serverOut = new BufferedReader(
          new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String first = serverOut.readLine();
      if (first == null || !first.startsWith("PORT ")) throw new IOException("server said " + first);
      int port = Integer.parseInt(first.substring(5).trim());
      System.out.printf(Locale.ROOT, "AsyncScale: %d ms waits, %d warm-up calls per side, "
          + "server on 127.0.0.1:%d, %d CPUs, load %s%n%n", waitMs, warmup, port,
          Runtime.getRuntime().availableProcessors(), Load.now());
      System.out.println("| side | calls | wall ms | ideal ms | wall / ideal | wall / raw |"
          + " live threads: before → peak | threads at most waiting (waiting) |"
          + " heap MB: before → peak |");
      System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
      for (int n : calls) {
        Map<String, Map<String, String>> results = new LinkedHashMap<>();
        for (String side : sides) {
          Process child = new ProcessBuilder(java, "-cp", classpath, AsyncScale.class.getName(),
              "--run", side, Integer.toString(n), Integer.toString(port),
              Integer.toString(waitMs), Integer.toString(warmup))
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
          Map<String, String> result = null;
          BufferedReader out = new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
          for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("RESULT ")) result = parse(line.substring(7));
            else System.err.println("  [" + side + "] " + line);
          }
          int exit = child.waitFor();
          if (exit != 0 || result == null || !"true".equals(result.get("ok"))) {
            ok = false;
            System.err.println("AsyncScale: " + side + " with " + n + " calls failed: " + result);
          }
          if (result != null) results.put(side, result);
        }
        for (Map.Entry<String, Map<String, String>> e : results.entrySet()) {
          System.out.println(row(e.getKey(), e.getValue(), results));
        }
        for (Map.Entry<String, Map<String, String>> e : results.entrySet()) {
          kinds.add(String.format(Locale.ROOT, "- %s, %,d calls, threads at the peak: %s",
              e.getKey(), n, e.getValue().get("peakThreadKinds")));
        }
      }
      System.out.println();
      kinds.forEach(System.out::println);
      System.out.printf(Locale.ROOT, "%nload after: %s%n", Load.now());
    } finally {
      OutputStream stdin = server.getOutputStream();
      stdin.close(); // the server stops when its input closes
      if (!server.waitFor(10, TimeUnit.SECONDS)) server.destroy();
    }
    return ok;
  }

  private static String row(String side, Map<String, String> r, Map<String, Map<String, String>> all) {
    double wall = Double.parseDouble(r.get("wallMs"));
    double ideal = Double.parseDouble(r.get("idealMs"));
    String raw = side.startsWith("jdk") ? "jdk-raw" : "okhttp-raw";
    String vsRaw = "–";
    if (!side.equals(raw) && all.containsKey(raw)) {
      vsRaw = String.format(Locale.ROOT, "%.2f", wall / Double.parseDouble(all.get(raw).get("wallMs")));
    }
    return String.format(Locale.ROOT,
        "| %s | %,d | %,.0f | %,.0f | %.2f | %s | %s → %s | %s (%s) | %s → %s%s |",
        side, Integer.parseInt(r.get("calls")), wall, ideal, wall / ideal, vsRaw,
        r.get("threadsBefore"), r.get("threadsPeak"), r.get("threadsAtMostWaiting"),
        r.get("mostWaiting"), r.get("heapBeforeMb"), r.get("heapPeakMb"),
        "true".equals(r.get("ok")) ? "" : " **failed: " + r.get("why") + "**");
  }

  private static Map<String, String> parse(String line) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String pair : line.trim().split(" ")) {
      int eq = pair.indexOf('=');
      map.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return map;
  }

  /** One side, in this JVM: warm-up, a round-trip measurement, then the measured burst. */
  private static void runSide(String side, int calls, int port, int waitMs, int warmup)
      throws Exception {
    Side run = new Side(side, port, waitMs);
    run.burst(warmup, "w");
    double rttMs = run.roundTripMs(50);
    run.resetCounters();
    System.gc();
    Thread.sleep(300);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    Sampler sampler = new Sampler(run, threads, memory);
    int threadsBefore = threads.getThreadCount();
    long heapBefore = memory.getHeapMemoryUsage().getUsed();
    sampler.start();
    long start = System.nanoTime();
    boolean done = run.burst(calls, "m");
    double wallMs = (System.nanoTime() - start) / 1e6;
    sampler.finish();
    long attempts = run.attemptsStarted.get();
    boolean ok = done && run.failures.get() == 0 && attempts == (long) ATTEMPTS * calls;
    String why = !done ? "timed-out" : run.failures.get() > 0
        ? run.failures.get() + "-calls-did-not-end-in-200"
        : attempts + "-attempts-for-" + calls + "-calls";
    System.out.printf(Locale.ROOT, "RESULT side=%s calls=%d wallMs=%.1f idealMs=%.1f rttMs=%.3f"
            + " threadsBefore=%d threadsPeak=%d threadsAtMostWaiting=%d mostWaiting=%d"
            + " heapBeforeMb=%.0f heapPeakMb=%.0f attempts=%d ok=%s why=%s peakThreadKinds=%s%n",
        side, calls, wallMs, 2.0 * waitMs + ATTEMPTS * rttMs, rttMs,
        threadsBefore, sampler.peakThreads, sampler.threadsAtMostWaiting, sampler.mostWaiting,
        heapBefore / 1e6, sampler.peakHeap / 1e6, attempts, ok, ok ? "-" : why, sampler.peakKinds);
    run.close();
    System.exit(0); // OkHttp's and the JDK's pools keep non-daemon threads for a while
  }

  /** Samples threads, heap and waiting calls every 10 ms. */
  private static final class Sampler extends Thread {
    private final Side run;
    private final ThreadMXBean threads;
    private final MemoryMXBean memory;
    private volatile boolean stop;
    int peakThreads;
    long peakHeap;
    long mostWaiting = -1;
    int threadsAtMostWaiting;
    /** The live threads at the peak, counted by name with the digits taken out. */
    String peakKinds = "";

    private static String kinds() {
      Map<String, Integer> counts = new java.util.TreeMap<>();
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        counts.merge(t.getName().replaceAll("[0-9]+", "#").replace(' ', '_'), 1, Integer::sum);
      }
      StringBuilder b = new StringBuilder();
      counts.entrySet().stream()
          .sorted((a, c) -> c.getValue() - a.getValue())
          .limit(6)
          .forEach(e -> b.append(b.length() == 0 ? "" : ",").append(e.getKey()).append(':')
              .append(e.getValue()));
      return b.toString();
    }

    Sampler(Side run, ThreadMXBean threads, MemoryMXBean memory) {
      super("scale-sampler");
      setDaemon(true);
      this.run = run;
      this.threads = threads;
      this.memory = memory;
    }

    @Override
    public void run() {
      while (!stop) {
        sample();
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    private void sample() {
      int live = threads.getThreadCount();
      long heap = memory.getHeapMemoryUsage().getUsed();
      long waiting = run.waiting();
      if (live > peakThreads) peakKinds = kinds();
      peakThreads = Math.max(peakThreads, live);
      peakHeap = Math.max(peakHeap, heap);
      if (waiting > mostWaiting) {
        mostWaiting = waiting;
        threadsAtMostWaiting = live;
      }
    }

    void finish() throws InterruptedException {
      stop = true;
      join();
      sample();
    }
  }

  /** The client of one side, and its counters. */
  private static final class Side {
    private final String name;
    private final String base;
    private final int waitMs;
    final AtomicLong callsStarted = new AtomicLong();
    final AtomicLong attemptsStarted = new AtomicLong();
    final AtomicLong retriesDecided = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "raw-retry-scheduler");
      thread.setDaemon(true);
      return thread;
    });

    private CountingHttpClient jdk;
    private StoicHttpClient jdkStoic;
    private OkHttpClient okhttp;
    private OkHttpClient okhttpPlain;
    private StoicCallFactory callFactory;

    Side(String name, int port, int waitMs) {
      this.name = name;
      this.base = "http://127.0.0.1:" + port;
      this.waitMs = waitMs;
      RetryPolicy policy = RetryPolicy.builder()
          .maxAttempts(5)
          .backoff(Backoff.fixed(Duration.ofMillis(waitMs)))
          .retryBudget(RetryBudget.unlimited())
          .listener(event -> {
            if (event.action() == Decision.Action.RETRY) retriesDecided.incrementAndGet();
          })
          .build();
      Interceptor counting = chain -> {
        attemptsStarted.incrementAndGet();
        return chain.proceed(chain.request());
      };
      switch (name) {
        case "jdk-stoic":
        case "jdk-raw":
          jdk = new CountingHttpClient(
              HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), attemptsStarted);
          jdkStoic = StoicHttpClient.wrap(jdk, policy);
          break;
        case "okhttp-callfactory":
          okhttpPlain = okHttp().addInterceptor(counting).build();
          callFactory = StoicCallFactory.wrap(okhttpPlain, policy);
          break;
        case "okhttp-interceptor":
          okhttpPlain = okHttp().build();
          okhttp = okHttp()
              .addInterceptor(StoicInterceptor.create(policy))
              .addInterceptor(counting)
              .build();
          break;
        case "okhttp-raw":
          okhttpPlain = okHttp().build();
          okhttp = okHttp().addInterceptor(counting).build();
          break;
        default:
          throw new IllegalArgumentException("unknown side " + name + "; one of " + SIDES);
      }
    }

    private static OkHttpClient.Builder okHttp() {
      Dispatcher dispatcher = new Dispatcher();
      dispatcher.setMaxRequests(OKHTTP_MAX_REQUESTS);
      dispatcher.setMaxRequestsPerHost(OKHTTP_MAX_REQUESTS);
      return new OkHttpClient.Builder()
          .dispatcher(dispatcher)
          .connectionPool(new ConnectionPool(OKHTTP_MAX_REQUESTS, 5, TimeUnit.MINUTES));
    }

    /** Calls that were told to retry and have not started their next attempt. */
    long waiting() {
      return retriesDecided.get() - (attemptsStarted.get() - callsStarted.get());
    }

    void resetCounters() {
      callsStarted.set(0);
      attemptsStarted.set(0);
      retriesDecided.set(0);
      failures.set(0);
    }

    /** Starts {@code calls} logical calls at once and waits for all; false if they took too long. */
    boolean burst(int calls, String prefix) throws InterruptedException {
      CountDownLatch done = new CountDownLatch(calls);
      IntConsumer finished = status -> {
        if (status != 200) failures.incrementAndGet();
        done.countDown();
      };
      for (int i = 0; i < calls; i++) {
        callsStarted.incrementAndGet();
        start(prefix + i, finished);
      }
      return done.await(10, TimeUnit.MINUTES);
    }

    private void start(String id, IntConsumer finished) {
      switch (name) {
        case "jdk-stoic":
          jdkStoic.sendAsync(jdkRequest(id), BodyHandlers.discarding())
              .whenComplete((response, failure) ->
                  finished.accept(failure != null ? -1 : response.statusCode()));
          break;
        case "jdk-raw":
          jdkRaw(jdkRequest(id), 1, finished);
          break;
        case "okhttp-callfactory":
          callFactory.newCall(okRequest(id)).enqueue(callback(finished));
          break;
        case "okhttp-interceptor":
          okhttp.newCall(okRequest(id)).enqueue(callback(finished));
          break;
        case "okhttp-raw":
          okRaw(okRequest(id), 1, finished);
          break;
        default:
          throw new AssertionError(name);
      }
    }

    private HttpRequest jdkRequest(String id) {
      return HttpRequest.newBuilder(URI.create(base + "/scale")).header("X-Call", id).build();
    }

    private Request okRequest(String id) {
      return new Request.Builder().url(base + "/scale").header("X-Call", id).build();
    }

    /** A retry loop by hand: on 503, the next attempt is scheduled after the wait. */
    private void jdkRaw(HttpRequest request, int attempt, IntConsumer finished) {
      jdk.sendAsync(request, BodyHandlers.discarding()).whenComplete((response, failure) -> {
        int status = failure != null ? -1 : response.statusCode();
        if (status == 503 && attempt < 5) {
          retriesDecided.incrementAndGet();
          scheduler.schedule(() -> jdkRaw(request, attempt + 1, finished), waitMs, TimeUnit.MILLISECONDS);
        } else {
          finished.accept(status);
        }
      });
    }

    private void okRaw(Request request, int attempt, IntConsumer finished) {
      okhttp.newCall(request).enqueue(new Callback() {
        @Override
        public void onResponse(Call call, Response response) {
          int status = response.code();
          response.close();
          if (status == 503 && attempt < 5) {
            retriesDecided.incrementAndGet();
            scheduler.schedule(() -> okRaw(request, attempt + 1, finished), waitMs, TimeUnit.MILLISECONDS);
          } else {
            finished.accept(status);
          }
        }

        @Override
        public void onFailure(Call call, IOException e) {
          finished.accept(-1);
        }
      });
    }

    private static Callback callback(IntConsumer finished) {
      return new Callback() {
        @Override
        public void onResponse(Call call, Response response) {
          int status = response.code();
          response.close();
          finished.accept(status);
        }

        @Override
        public void onFailure(Call call, IOException e) {
          finished.accept(-1);
        }
      };
    }

    /** The median of {@code n} sequential round trips to /ping, on this side's own transport. */
    double roundTripMs(int n) throws Exception {
      List<Double> samples = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        long start = System.nanoTime();
        if (jdk != null) {
          HttpResponse<Void> response = jdk.send(
              HttpRequest.newBuilder(URI.create(base + "/ping")).build(), BodyHandlers.discarding());
          if (response.statusCode() != 200) throw new IOException("ping: " + response.statusCode());
        } else {
          try (Response response = okhttpPlain.newCall(
              new Request.Builder().url(base + "/ping").build()).execute()) {
            if (response.code() != 200) throw new IOException("ping: " + response.code());
          }
        }
        samples.add((System.nanoTime() - start) / 1e6);
      }
      samples.sort(null);
      return samples.get(n / 2);
    }

    void close() {
      scheduler.shutdownNow();
    }
  }

  /** The 1, 5 and 15 minute load averages, as /proc/loadavg has them. */
  static final class Load {
    static String now() {
      try {
        String[] parts = new String(java.nio.file.Files.readAllBytes(
            java.nio.file.Path.of("/proc/loadavg")), StandardCharsets.US_ASCII).split(" ");
        return parts[0] + " " + parts[1] + " " + parts[2];
      } catch (IOException | RuntimeException e) {
        return "unknown";
      }
    }
  }
}
