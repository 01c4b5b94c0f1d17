package dev.stoic.examples;

import dev.stoic.RetryPolicy;
import dev.stoic.jdk.StoicHttpClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;

/**
 * The JDK's {@link HttpClient}: wrap it once; {@code send} then retries as the policy says. The
 * wrapper is itself an {@code HttpClient}, so it goes wherever one is expected.
 *
 * <p>Run it: a local server answers 429 with {@code Retry-After: 1}, then 200.
 */
public final class JdkSendExample {
  private JdkSendExample() {}

  /** The whole integration. */
  public static HttpClient newClient(RetryPolicy policy) {
    return StoicHttpClient.wrap(HttpClient.newHttpClient(), policy);
  }

  /**
   * Sends a GET as usual. The body handler runs once, for the final response: a retried
   * response's body is discarded unread.
   */
  public static HttpResponse<String> get(HttpClient client, URI uri)
      throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri).build();
    return client.send(request, BodyHandlers.ofString());
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "1").build());
      server.enqueue(new MockResponse.Builder().body("hello").build());
      server.start();

      HttpClient client = newClient(RetryPolicy.defaults());
      HttpResponse<String> response = get(client, server.url("/greeting").uri());
      System.out.println(response.statusCode() + " " + response.body());   // 200 hello, after 1 s
    }
  }
}
