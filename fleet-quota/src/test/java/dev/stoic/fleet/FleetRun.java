package dev.stoic.fleet;

import dev.stoic.RetryPolicy;
import dev.stoic.Throttle;
import dev.stoic.okhttp.StoicInterceptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Clients as separate pods would be: each its own OkHttp client, connection pool, Stoic policy
 * and throttle, several threads each calling as fast as their permits allow, all against one
 * {@link QuotaServer}. Counts what the server saw, window by window.
 */
final class FleetRun {
  /** What the server saw after the first window. */
  record Figures(String label, int attempts, int refused, double refusedShare, double quotaUsed,
      double maxMinShare, Map<String, Integer> shares, int errors) {
    @Override
    public String toString() {
      return String.format("%s: %d attempts after the first window, %d refused (%.2f%%), quota "
              + "used %.1f%%, max/min share %.2f, shares %s, client errors %d", label, attempts,
          refused, 100 * refusedShare, 100 * quotaUsed, maxMinShare, shares, errors);
    }
  }

  private FleetRun() {}

  /**
   * Runs one client per throttle for {@code windows} whole windows, starting at a window's
   * start, and reports the windows after the first.
   */
  static Figures run(String label, QuotaServer server, int limit, List<? extends Throttle> throttles,
      int threadsPerClient, int windows) throws InterruptedException {
    List<OkHttpClient> clients = new ArrayList<>();
    for (Throttle throttle : throttles) {
      RetryPolicy policy = RetryPolicy.builder().throttle(throttle).build();
      clients.add(new OkHttpClient.Builder()
          .connectionPool(new ConnectionPool(threadsPerClient, 1, TimeUnit.MINUTES))
          .addInterceptor(StoicInterceptor.create(policy))
          .build());
    }
    Thread.sleep(TimeUnit.NANOSECONDS.toMillis(server.nanosToNextWindow()) + 1);
    int first = server.currentWindow();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(windows); // windows are 1 s
    AtomicInteger errors = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients.size(); c++) {
      OkHttpClient client = clients.get(c);
      Request request = new Request.Builder().url(server.url())
          .header("X-Client", "client-" + c).build();
      for (int t = 0; t < threadsPerClient; t++) {
        Thread thread = new Thread(() -> {
          while (System.nanoTime() < end) {
            try (Response response = client.newCall(request).execute()) {
              response.code();
            } catch (IOException e) {
              errors.incrementAndGet();
            }
          }
        }, label + "-client-" + c + "-" + t);
        thread.start();
        threads.add(thread);
      }
    }
    for (Thread thread : threads) thread.join();
    int last = first + windows; // exclusive
    while (server.currentWindow() < last) Thread.sleep(10);
    List<int[]> all = server.windows(first);
    StringBuilder perWindow = new StringBuilder();
    for (int[] w : all.subList(0, windows)) perWindow.append(' ').append(w[0]).append('/').append(w[1]);
    long expired = 0;
    long credited = 0;
    long leases = 0;
    long leaseNanos = 0;
    long leaseMax = 0;
    for (Throttle throttle : throttles) {
      if (throttle instanceof FleetQuota) {
        HostQuota quota = ((FleetQuota) throttle).hostQuota("127.0.0.1");
        expired += quota.expired;
        credited += quota.credited;
        leases += quota.leaseCount;
        leaseNanos += quota.leaseNanos;
        leaseMax = Math.max(leaseMax, quota.leaseMaxNanos);
      }
    }
    System.out.println(label + " windows (allowed/refused):" + perWindow + "; leased tokens "
        + "expired unused " + expired + ", permits on credit " + credited + "; " + leases
        + " leases, " + (leases == 0 ? 0 : leaseNanos / leases / 1000) + " µs on average, "
        + leaseMax / 1000 + " µs at most");
    List<int[]> counted = all.subList(1, windows);
    int allowed = 0;
    int refused = 0;
    for (int[] w : counted) {
      allowed += w[0];
      refused += w[1];
    }
    Map<String, Integer> shares = server.allowedByClient(first + 1, last);
    int max = shares.isEmpty() ? 0 : Collections.max(shares.values());
    int min = shares.size() < throttles.size() ? 0 : Collections.min(shares.values());
    for (OkHttpClient client : clients) {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
    int attempts = allowed + refused;
    return new Figures(label, attempts, refused, attempts == 0 ? 0 : refused / (double) attempts,
        allowed / (double) (limit * (windows - 1)),
        min == 0 ? Double.POSITIVE_INFINITY : max / (double) min, shares, errors.get());
  }

  /** Adds a line to target/fleet-report.txt, the figures the README and report quote. */
  static void report(String line) throws IOException {
    Path file = Path.of("target", "fleet-report.txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, line + System.lineSeparator(), StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    System.out.println(line);
  }
}
