package dev.stoic.examples;

import dev.stoic.LivePolicy;
import dev.stoic.RetryPolicy;
import dev.stoic.ShadowReport;
import dev.stoic.jdk.StoicHttpClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Changing a running client's policy, after trying the new one in the shadow. A partner starts
 * answering 429 with {@code Retry-After: 1}, longer than the live policy's {@code max-retry-after}
 * of 500 ms, so the client gives up at once. A candidate with a longer {@code max-retry-after} is
 * shadowed: it decides every real outcome too, and the comparison says what it would have done.
 * Then it is promoted while calls are in flight: calls already started finish under the policy
 * they started with, the rest wait as the partner asks and succeed, and none is lost.
 *
 * <p>Run it: a local server plays the partner.
 */
public final class LivePolicyExample {
  private LivePolicyExample() {}

  /** The partner: fine, or limiting (each call's first attempt gets 429, Retry-After: 1). */
  static final class Partner extends Dispatcher {
    final AtomicBoolean limiting = new AtomicBoolean();
    final Map<String, AtomicInteger> arrivals = new ConcurrentHashMap<>();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String call = request.getHeaders().get("X-Call");
      int arrival = arrivals.computeIfAbsent(call, k -> new AtomicInteger()).incrementAndGet();
      if (limiting.get() && arrival == 1) {
        return new MockResponse.Builder().code(429).addHeader("Retry-After", "1").build();
      }
      return new MockResponse.Builder().code(200).body("ok").build();
    }
  }

  static CompletableFuture<HttpResponse<String>> call(HttpClient client, URI uri, String id) {
    HttpRequest request = HttpRequest.newBuilder(uri).header("X-Call", id).build();
    return client.sendAsync(request, BodyHandlers.ofString());
  }

  /** Statuses of {@code calls}, counted. */
  static Map<Integer, Integer> statuses(List<CompletableFuture<HttpResponse<String>>> calls) {
    Map<Integer, Integer> count = new TreeMap<>();
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      count.merge(call.join().statusCode(), 1, Integer::sum);
    }
    return count;
  }

  public static void main(String[] args) throws Exception {
    Partner partner = new Partner();
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(partner);
      server.start();
      URI uri = server.url("/orders").uri();

      RetryPolicy current = RetryPolicy.builder().maxRetryAfter(Duration.ofMillis(500)).build();
      LivePolicy live = LivePolicy.of(current);
      HttpClient client = StoicHttpClient.wrap(HttpClient.newHttpClient(), live);

      partner.limiting.set(true);
      RetryPolicy candidate = current.toBuilder().maxRetryAfter(Duration.ofSeconds(5)).build();
      live.shadow(candidate);
      List<CompletableFuture<HttpResponse<String>>> shadowed = new ArrayList<>();
      for (int i = 0; i < 6; i++) shadowed.add(call(client, uri, "shadowed-" + i));
      System.out.println("with max-retry-after 500ms: " + statuses(shadowed));

      ShadowReport report = live.shadowReport();
      System.out.println("the candidate (max-retry-after 5s), over " + report.calls() + " calls:");
      report.disagreements().forEach((what, n) -> System.out.println("  " + n + " x " + what));
      System.out.println("  extra attempts: " + report.extraAttempts()
          + ", extra wait: about " + report.extraWait().toSeconds() + " s");

      List<CompletableFuture<HttpResponse<String>>> switching = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        if (i == 3) live.promote(); // mid-stream: calls already started keep their policy
        switching.add(call(client, uri, "switching-" + i));
      }
      Map<Integer, Integer> answers = statuses(switching);
      int answered = answers.values().stream().mapToInt(Integer::intValue).sum();
      System.out.println("promoted after 3 of 6 calls: " + answers + ", " + answered
          + " of 6 answered; swaps: " + live.swaps());
      System.out.println("now live: max-retry-after = "
          + live.policy().maxRetryAfter().toSeconds() + "s");
    }
  }
}
