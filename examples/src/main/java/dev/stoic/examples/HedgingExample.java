package dev.stoic.examples;

import dev.stoic.Hedging;
import dev.stoic.RetryPolicy;
import dev.stoic.okhttp.StoicCallFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Hedging: a GET that has not answered after 100 ms gets a second attempt beside it, and the
 * first answer wins; the slow attempt is cancelled.
 *
 * <p>Run it: a local server answers the first request for every tenth item after 2 seconds and
 * everything else at once. Twenty calls one after another take well under a second in all, not
 * four; the server sees 22 requests.
 */
public final class HedgingExample {
  private HedgingExample() {}

  /** A call factory that hedges after {@code delay}. */
  public static Call.Factory newCallFactory(OkHttpClient client, Duration delay) {
    RetryPolicy policy = RetryPolicy.builder()
        .hedging(Hedging.after(delay))   // or Hedging.atPercentile(0.95)
        .build();
    return StoicCallFactory.wrap(client, policy);
  }

  /** Fetches items 0 to count - 1 one after another; returns the slowest call's milliseconds. */
  public static long slowestCall(Call.Factory calls, HttpUrl base, int count) throws IOException {
    long slowest = 0;
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      Request request = new Request.Builder().url(base.resolve("/items/" + i)).build();
      try (Response response = calls.newCall(request).execute()) {
        if (!response.isSuccessful()) throw new IOException("item " + i + ": " + response.code());
        response.body().string();
      }
      slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
    }
    return slowest;
  }

  /** A server that answers the first request for items 0, 10, 20, ... after {@code stall}. */
  public static Dispatcher everyTenthItemStallsOnce(Duration stall) {
    return new Dispatcher() {
      private final Set<String> stalled = new HashSet<>();

      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        int item = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
        boolean first;
        synchronized (this) {
          first = item % 10 == 0 && stalled.add(path);
        }
        MockResponse.Builder response = new MockResponse.Builder().body("item " + item);
        if (first) response.headersDelay(stall.toMillis(), TimeUnit.MILLISECONDS);
        return response.build();
      }
    };
  }

  public static void main(String[] args) throws IOException {
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(everyTenthItemStallsOnce(Duration.ofSeconds(2)));
      server.start();
      OkHttpClient client = new OkHttpClient();
      Call.Factory calls = newCallFactory(client, Duration.ofMillis(100));
      long slowest = slowestCall(calls, server.url("/"), 20);
      System.out.println("slowest call: " + slowest + " ms");                  // about 100 ms
      System.out.println("requests the server saw: " + server.getRequestCount()); // 22
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }
}
