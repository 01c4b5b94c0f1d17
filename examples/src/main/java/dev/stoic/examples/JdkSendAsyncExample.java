package dev.stoic.examples;

import dev.stoic.RetryPolicy;
import dev.stoic.jdk.StoicHttpClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Many concurrent {@code sendAsync} calls through one wrapped JDK client. A call waiting to retry
 * holds no thread: its next attempt is a task on Stoic's scheduler, so a thousand pending retries
 * cost a thousand small objects, not a thousand threads.
 *
 * <p>Run it: a local server fails the first request for every fifth item with 503; all 50 calls
 * end with 200, after 60 requests.
 */
public final class JdkSendAsyncExample {
  private JdkSendAsyncExample() {}

  /** Starts {@code count} calls at once and waits for all of them; returns their statuses. */
  public static List<Integer> fetchAll(HttpClient client, URI base, int count) {
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      HttpRequest request = HttpRequest.newBuilder(base.resolve("/items/" + i)).build();
      calls.add(client.sendAsync(request, BodyHandlers.ofString()));
    }
    CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0])).join();
    List<Integer> statuses = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> call : calls) statuses.add(call.join().statusCode());
    return statuses;
  }

  /** A server that answers 503 to the first request for items 0, 5, 10, …, then 200. */
  public static Dispatcher everyFifthItemFailsOnce() {
    return new Dispatcher() {
      private final Set<String> failed = new HashSet<>();

      @Override
      public synchronized MockResponse dispatch(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        int item = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
        if (item % 5 == 0 && failed.add(path)) return new MockResponse.Builder().code(503).build();
        return new MockResponse.Builder().body("item " + item).build();
      }
    };
  }

  public static void main(String[] args) throws IOException {
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(everyFifthItemFailsOnce());
      server.start();

      // Ten of the fifty calls retry once: well within the default retry budget (a burst of 20
      // retries per host), which exists to stop retry storms when a server is down, not to
      // ration retries like these.
      HttpClient client = StoicHttpClient.wrap(HttpClient.newHttpClient(), RetryPolicy.defaults());
      List<Integer> statuses = fetchAll(client, server.url("/").uri(), 50);
      System.out.println(statuses);
      System.out.println("requests the server saw: " + server.getRequestCount());   // 60
    }
  }
}
