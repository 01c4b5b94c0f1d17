package dev.stoic.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.stoic.Hedging;
import dev.stoic.IdempotencyKey;
import dev.stoic.RetryPolicy;
import dev.stoic.jdk.StoicHttpClient;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Tail latency with and without hedging, against a loopback server with a heavy tail: each
 * request is answered after 10 ms, except 5% that take 1 s. Which requests are slow is a seeded
 * hash of the call and attempt number, so every run and every policy meets the same slow
 * requests, whatever the timing. Calls go through {@link StoicHttpClient}'s {@code sendAsync}
 * with a fixed number in flight; the latency of a call runs from its start to its body read.
 *
 * <p>Policies, side by side: no hedging; a fixed hedge after 50 ms; hedging at the host's p95 and
 * p90 of recent attempts; p95 with two hedges (a hedge can be slow too). Each with Stoic's
 * default retry budget. A last run sends keyed POSTs with p95 hedging to the same server, which executes each key once and records every key
 * a call's requests carried: a duplicate is a call whose requests carried two keys, or none.
 *
 * <p>Prints a table; writes {@code tail-latency.csv} and {@code tail-latency.svg} to the
 * directory given (default {@code docs/}). Arguments: directory, calls per policy (default
 * 10,000), calls in flight (default 32).
 */
public final class TailLatency {
  static final long SEED = 0x5EED_2026L;
  static final int FAST_MILLIS = 10;
  static final int SLOW_MILLIS = 1_000;
  /** In hundredths of a percent: 5%. */
  static final int SLOW_PER_10000 = 500;
  static final String[] NAMES = {
      "no hedging", "fixed 50 ms", "p95", "p90", "p95, 2 hedges", "keyed POST, p95, 2 hedges"};

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("--redraw")) {
      redraw(Path.of(args[1]));
      return;
    }
    Path dir = Path.of(args.length > 0 ? args[0] : "docs");
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int inFlight = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    Server server = Server.start();
    HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .executor(Executors.newFixedThreadPool(4)).build();
    List<Result> results = new ArrayList<>();
    try {
      Hedging[] hedgings = {
          null,
          Hedging.after(Duration.ofMillis(50)),
          Hedging.atPercentile(0.95),
          Hedging.atPercentile(0.90),
          Hedging.atPercentile(0.95).maxHedges(2),
          Hedging.atPercentile(0.95).maxHedges(2)};
      for (int i = 0; i < NAMES.length; i++) {
        RetryPolicy.Builder policy = RetryPolicy.builder().attemptCountHeader("X-Attempt", 1);
        if (hedgings[i] != null) policy.hedging(hedgings[i]);
        boolean keyed = i == NAMES.length - 1;
        if (keyed) policy.idempotencyKey(IdempotencyKey.header("Idempotency-Key").autoGenerate());
        // A short warm-up per policy on its own client: the JIT, connections and, for the
        // percentile policies, the host's first latencies (they start at their warm-up delay).
        HttpClient client = StoicHttpClient.wrap(jdk, policy.build());
        run(client, server, "w" + i + "-", Math.min(500, calls), inFlight, keyed);
        server.reset();
        long[] latencies = run(client, server, "c" + i + "-", calls, inFlight, keyed);
        results.add(new Result(NAMES[i], latencies, server.requests.get(), calls,
            keyed ? server.duplicates() : -1, keyed ? server.executions.get() : -1,
            server.medianHedgeGapMillis()));
      }
    } finally {
      server.stop();
    }
    StringBuilder table = new StringBuilder();
    table.append(String.format(Locale.ROOT, "Tail latency: %,d calls per policy, %d in flight;"
        + " %d%% of requests take %d ms, the rest %d ms (seed %x)%n%n", calls, inFlight,
        SLOW_PER_10000 / 100, SLOW_MILLIS, FAST_MILLIS, SEED));
    table.append("| Policy | p50 ms | p99 ms | p99.9 ms | max ms | extra requests per call |"
        + " median hedge delay ms | duplicates executed |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
    StringBuilder csv = new StringBuilder(
        "policy,calls,p50_ms,p99_ms,p999_ms,max_ms,requests,extra_per_call,hedge_delay_ms,"
        + "duplicates\n");
    for (Result r : results) {
      table.append(String.format(Locale.ROOT,
          "| %s | %.1f | %.1f | %.1f | %.1f | %.3f | %s | %s |%n",
          r.name, r.p(0.50), r.p(0.99), r.p(0.999), r.p(1.0), r.extraPerCall(),
          Double.isNaN(r.hedgeGapMillis) ? "-" : String.format(Locale.ROOT, "%.1f", r.hedgeGapMillis),
          r.duplicates < 0 ? "-" : r.duplicates + " of " + r.executions + " executions"));
      csv.append(String.format(Locale.ROOT, "%s,%d,%.2f,%.2f,%.2f,%.2f,%d,%.4f,%.2f,%d%n",
          r.name, r.calls, r.p(0.50), r.p(0.99), r.p(0.999), r.p(1.0), r.requests,
          r.extraPerCall(), r.hedgeGapMillis, r.duplicates));
    }
    System.out.print(table);
    Result baseline = results.get(0); // unhedged: its p50 is the fast path's
    System.out.println();
    for (Result r : results.subList(2, 4)) {
      System.out.printf(Locale.ROOT, "Goals (%s): p99 %.1f ms <= 3 x fast-path p50 %.1f ms"
          + " = %.1f ms: %s; extra load %.1f%% <= 10%%: %s%n", r.name, r.p(0.99),
          baseline.p(0.50), 3 * baseline.p(0.50),
          r.p(0.99) <= 3 * baseline.p(0.50) ? "met" : "NOT met",
          100 * r.extraPerCall(), r.extraPerCall() <= 0.10 ? "met" : "NOT met");
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("tail-latency.csv"), csv, StandardCharsets.UTF_8);
    List<String> names = new ArrayList<>();
    List<double[]> values = new ArrayList<>();
    for (Result r : results) {
      names.add(r.name);
      values.add(new double[] {r.p(0.50), r.p(0.99), r.p(0.999), r.extraPerCall()});
    }
    Files.writeString(dir.resolve("tail-latency.svg"), svg(names, values), StandardCharsets.UTF_8);
    System.out.println("wrote " + dir.resolve("tail-latency.csv") + " and "
        + dir.resolve("tail-latency.svg"));
    if (results.get(NAMES.length - 1).duplicates != 0) {
      throw new AssertionError("a keyed POST was executed twice");
    }
    System.exit(0); // the JDK client's executor threads
  }

  /** Runs {@code calls} calls, {@code inFlight} at a time; returns each call's latency in µs. */
  static long[] run(HttpClient client, Server server, String prefix, int calls, int inFlight,
      boolean keyed) throws Exception {
    AtomicLongArray micros = new AtomicLongArray(calls);
    Semaphore slots = new Semaphore(inFlight);
    AtomicInteger failures = new AtomicInteger();
    for (int i = 0; i < calls; i++) {
      slots.acquire();
      int call = i;
      HttpRequest.Builder request = HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.port() + "/tail/" + prefix + i))
          .header("X-Call", prefix + i);
      if (keyed) request.POST(HttpRequest.BodyPublishers.ofString("order " + i));
      long start = System.nanoTime();
      CompletableFuture<HttpResponse<String>> future =
          client.sendAsync(request.build(), BodyHandlers.ofString());
      future.whenComplete((response, failure) -> {
        if (failure != null || response.statusCode() != 200) failures.incrementAndGet();
        micros.set(call, (System.nanoTime() - start) / 1_000);
        slots.release();
      });
    }
    slots.acquire(inFlight);
    if (failures.get() > 0) throw new AssertionError(failures.get() + " calls failed");
    long[] out = new long[calls];
    for (int i = 0; i < calls; i++) out[i] = micros.get(i);
    Arrays.sort(out);
    return out;
  }

  static final class Result {
    final String name;
    final long[] sortedMicros;
    final int requests;
    final int calls;
    final int duplicates;
    final int executions;
    final double hedgeGapMillis;

    Result(String name, long[] sortedMicros, int requests, int calls, int duplicates,
        int executions, double hedgeGapMillis) {
      this.hedgeGapMillis = hedgeGapMillis;
      this.name = name;
      this.sortedMicros = sortedMicros;
      this.requests = requests;
      this.calls = calls;
      this.duplicates = duplicates;
      this.executions = executions;
    }

    /** The latency at quantile {@code q} in ms (nearest rank). */
    double p(double q) {
      int rank = (int) Math.ceil(q * sortedMicros.length);
      return sortedMicros[Math.max(0, Math.min(sortedMicros.length - 1, rank - 1))] / 1000.0;
    }

    double extraPerCall() {
      return (requests - calls) / (double) calls;
    }
  }

  /**
   * The loopback server: a request sleeps 10 ms or, for a seeded 5% of (call, attempt) pairs, 1
   * s, then answers. A POST runs its idempotency key once: a repeat of an executed key gets the
   * first execution's answer without running again.
   */
  static final class Server {
    final HttpServer http;
    final ExecutorService threads = Executors.newCachedThreadPool();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger executions = new AtomicInteger();
    final Map<String, String> executed = new ConcurrentHashMap<>();
    /** Every key each call's requests carried ("" for none). */
    final Map<String, Set<String>> keysByCall = new ConcurrentHashMap<>();
    /** When each call's first attempt arrived, and the gaps until its second (the hedge delay). */
    final Map<String, Long> firstArrival = new ConcurrentHashMap<>();
    final List<Long> hedgeGapsMicros = java.util.Collections.synchronizedList(new ArrayList<>());

    private Server(HttpServer http) {
      this.http = http;
    }

    static Server start() throws IOException {
      System.setProperty("sun.net.httpserver.nodelay", "true");
      HttpServer http = HttpServer.create(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
      Server server = new Server(http);
      http.setExecutor(server.threads);
      http.createContext("/tail/", server::handle);
      http.start();
      return server;
    }

    int port() {
      return http.getAddress().getPort();
    }

    void reset() {
      requests.set(0);
      executions.set(0);
      executed.clear();
      keysByCall.clear();
      firstArrival.clear();
      hedgeGapsMicros.clear();
    }

    /** The median time from a call's first attempt to its second, as the server saw them. */
    double medianHedgeGapMillis() {
      synchronized (hedgeGapsMicros) {
        if (hedgeGapsMicros.isEmpty()) return Double.NaN;
        List<Long> gaps = new ArrayList<>(hedgeGapsMicros);
        gaps.sort(null);
        return gaps.get(gaps.size() / 2) / 1000.0;
      }
    }

    int duplicates() {
      int duplicates = 0;
      for (Set<String> keys : keysByCall.values()) {
        if (keys.size() > 1 || keys.contains("")) duplicates++;
      }
      return duplicates;
    }

    static boolean slow(String call, String attempt) {
      long h = SEED ^ call.hashCode() * 0x9E3779B97F4A7C15L ^ attempt.hashCode() * 0xC2B2AE3D27D4EB4FL;
      h ^= h >>> 33;
      h *= 0xFF51AFD7ED558CCDL;
      h ^= h >>> 33;
      return Math.floorMod(h, 10_000) < SLOW_PER_10000;
    }

    void handle(HttpExchange exchange) throws IOException {
      requests.incrementAndGet();
      exchange.getRequestBody().readAllBytes();
      String call = String.valueOf(exchange.getRequestHeaders().getFirst("X-Call"));
      String attempt = String.valueOf(exchange.getRequestHeaders().getFirst("X-Attempt"));
      long arrived = System.nanoTime();
      if (attempt.equals("1")) firstArrival.put(call, arrived);
      Long first = firstArrival.get(call);
      if (attempt.equals("2") && first != null) hedgeGapsMicros.add((arrived - first) / 1000);
      try {
        Thread.sleep(slow(call, attempt) ? SLOW_MILLIS : FAST_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      String body = "ok";
      if (exchange.getRequestMethod().equals("POST")) {
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        keysByCall.computeIfAbsent(call, c -> ConcurrentHashMap.newKeySet())
            .add(key == null ? "" : key);
        // Counted for the measured calls only: a warm-up call's straggler may land after reset().
        boolean measured = call.startsWith("c");
        if (key != null) {
          body = executed.computeIfAbsent(key, k -> execute(measured));
        } else {
          body = execute(measured);
        }
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      try {
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      } catch (IOException e) {
        // the client cancelled this attempt: a hedge answered first
      } finally {
        exchange.close();
      }
    }

    private String execute(boolean measured) {
      return measured ? "executed " + executions.incrementAndGet() : "executed";
    }

    void stop() {
      http.stop(0);
      threads.shutdownNow();
      try {
        threads.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Redraws {@code tail-latency.svg} in {@code dir} from the {@code tail-latency.csv} there. */
  static void redraw(Path dir) throws IOException {
    List<String> lines = Files.readAllLines(dir.resolve("tail-latency.csv"), StandardCharsets.UTF_8);
    List<String> names = new ArrayList<>();
    List<double[]> values = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      // The name may hold commas; the nine numbers after it do not.
      String[] f = line.split(",");
      int n = f.length;
      names.add(String.join(",", Arrays.copyOfRange(f, 0, n - 9)));
      values.add(new double[] {Double.parseDouble(f[n - 8]), Double.parseDouble(f[n - 7]),
          Double.parseDouble(f[n - 6]), Double.parseDouble(f[n - 3])});
    }
    Files.writeString(dir.resolve("tail-latency.svg"), svg(names, values), StandardCharsets.UTF_8);
  }

  /**
   * Grouped bars on a log scale: p50, p99 and p99.9 per policy ({@code values}: those three in
   * ms, then extra requests per call), with the extra load under each group. Plain SVG 1.1, no
   * scripts or external fonts.
   */
  static String svg(List<String> names, List<double[]> values) {
    int width = 760;
    int height = 440;
    int left = 70;
    int right = 20;
    int top = 60;
    int bottom = 90;
    double plotW = width - left - right;
    double plotH = height - top - bottom;
    double logMin = Math.log10(5);
    double logMax = Math.log10(2_000);
    String[] colours = {"#1f4e9c", "#e08214", "#c2185b"};
    String[] labels = {"p50", "p99", "p99.9"};
    StringBuilder s = Svg.start(width, height, 12);
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"15\""
        + " font-weight=\"bold\">Call latency with a heavy tail (5%% of requests take 1 s)</text>%n",
        left));
    for (int i = 0; i < labels.length; i++) {
      int x = left + i * 90;
      s.append(String.format(Locale.ROOT,
          "<rect x=\"%d\" y=\"34\" width=\"12\" height=\"12\" fill=\"%s\"/>"
              + "<text x=\"%d\" y=\"45\">%s</text>%n", x, colours[i], x + 17, labels[i]));
    }
    for (double ms : new double[] {5, 10, 20, 50, 100, 200, 500, 1000, 2000}) {
      double py = top + plotH - (Math.log10(ms) - logMin) / (logMax - logMin) * plotH;
      s.append(String.format(Locale.ROOT,
          "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#dddddd\"/>"
              + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
          left, py, left + plotW, py, left - 6, py + 4,
          ms >= 1000 ? (int) (ms / 1000) + " s" : (int) ms + " ms"));
    }
    s.append(String.format(Locale.ROOT,
        "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#444444\"/>%n",
        left, top, plotW, plotH));
    double group = plotW / names.size();
    double bar = group / 4.5;
    for (int g = 0; g < names.size(); g++) {
      double[] v = values.get(g);
      double gx = left + g * group + (group - 3 * bar) / 2;
      for (int i = 0; i < labels.length; i++) {
        double ms = Math.max(v[i], 5);
        double py = top + plotH - (Math.log10(ms) - logMin) / (logMax - logMin) * plotH;
        s.append(String.format(Locale.ROOT,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                + "<title>%s %s: %.1f ms</title></rect>%n",
            gx + i * bar, py, bar - 2, top + plotH - py, colours[i], names.get(g), labels[i],
            v[i]));
      }
      double cx = left + g * group + group / 2;
      // A name such as "keyed POST, p95, 2 hedges" goes on one line per part.
      String[] parts = names.get(g).split(", ");
      for (int k = 0; k < parts.length; k++) {
        s.append(String.format(Locale.ROOT,
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n",
            cx, top + plotH + 16 + 14 * k, parts[k]));
      }
      s.append(String.format(Locale.ROOT,
          "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#555555\">+%.1f%% requests"
              + "</text>%n", cx, top + plotH + 20 + 14 * parts.length, 100 * v[3]));
    }
    s.append(String.format(Locale.ROOT,
        "<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 18 %.1f)\">"
            + "call latency (log scale)</text>%n", top + plotH / 2, top + plotH / 2));
    s.append("</svg>\n");
    return s.toString();
  }
}
