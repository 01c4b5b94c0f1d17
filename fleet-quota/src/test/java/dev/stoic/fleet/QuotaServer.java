package dev.stoic.fleet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on a loopback port enforcing one quota for every client: fixed windows of
 * {@code limit} requests per {@code windowSeconds}, counted from its start. Within the quota it
 * answers 200, beyond it 429 with {@code Retry-After} (whole seconds), {@code retry-after-ms} and
 * the draft-10 {@code RateLimit} and {@code RateLimit-Policy} headers on every answer. Each
 * client names itself in {@code X-Client}, so shares can be counted.
 */
final class QuotaServer implements AutoCloseable {
  private final int limit;
  private final long windowNanos;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(16);
  private final long start = System.nanoTime();
  /** Per window: {allowed, refused}. */
  private final Map<Integer, int[]> windows = new ConcurrentHashMap<>();
  /** Per client and window: allowed. */
  private final Map<String, Map<Integer, Integer>> allowedByClient = new ConcurrentHashMap<>();

  QuotaServer(int limit, int windowSeconds) throws IOException {
    this.limit = limit;
    this.windowNanos = windowSeconds * 1_000_000_000L;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/quota";
  }

  private void handle(HttpExchange exchange) throws IOException {
    long elapsed = System.nanoTime() - start;
    int window = (int) (elapsed / windowNanos);
    long leftNanos = (window + 1) * windowNanos - elapsed;
    boolean allowed;
    int remaining;
    int[] counts = windows.computeIfAbsent(window, w -> new int[2]);
    synchronized (counts) {
      allowed = counts[0] < limit;
      counts[allowed ? 0 : 1]++;
      remaining = limit - counts[0];
    }
    String client = exchange.getRequestHeaders().getFirst("X-Client");
    if (allowed && client != null) {
      allowedByClient.computeIfAbsent(client, c -> new ConcurrentHashMap<>())
          .merge(window, 1, Integer::sum);
    }
    long leftSeconds = (leftNanos + 999_999_999) / 1_000_000_000L;
    var headers = exchange.getResponseHeaders();
    headers.set("RateLimit-Policy", "\"fixed\";q=" + limit + ";w=" + windowNanos / 1_000_000_000L);
    headers.set("RateLimit", "\"fixed\";r=" + remaining + ";t=" + leftSeconds);
    if (!allowed) {
      headers.set("Retry-After", Long.toString(leftSeconds));
      headers.set("retry-after-ms", Long.toString((leftNanos + 999_999) / 1_000_000));
    }
    exchange.getRequestBody().readAllBytes();
    exchange.sendResponseHeaders(allowed ? 200 : 429, -1);
    exchange.close();
  }

  /** {allowed, refused} of each window from {@code first} to the last complete one. */
  List<int[]> windows(int first) {
    int current = (int) ((System.nanoTime() - start) / windowNanos);
    List<int[]> list = new ArrayList<>();
    for (int w = first; w < current; w++) {
      int[] c = windows.getOrDefault(w, new int[2]);
      synchronized (c) {
        list.add(new int[] {c[0], c[1]});
      }
    }
    return list;
  }

  /** Requests each client got through in windows {@code first} to {@code lastExclusive}. */
  Map<String, Integer> allowedByClient(int first, int lastExclusive) {
    Map<String, Integer> shares = new ConcurrentHashMap<>();
    allowedByClient.forEach((client, byWindow) -> byWindow.forEach((w, n) -> {
      if (w >= first && w < lastExclusive) shares.merge(client, n, Integer::sum);
    }));
    return shares;
  }

  /** The index of the window running now. */
  int currentWindow() {
    return (int) ((System.nanoTime() - start) / windowNanos);
  }

  /** Nanoseconds until the next window starts. */
  long nanosToNextWindow() {
    long elapsed = System.nanoTime() - start;
    return (elapsed / windowNanos + 1) * windowNanos - elapsed;
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
