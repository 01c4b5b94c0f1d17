package dev.stoic.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OkHttpInterceptorExampleTest {
  final MockWebServer server = new MockWebServer();
  final Recorder events = new Recorder();
  OkHttpClient client;

  @AfterEach
  void stop() {
    server.close();
    if (client != null) client.connectionPool().evictAll();
  }

  @Test
  void theInterceptorRetriesA503AndReturnsTheNextResponse() throws IOException {
    server.enqueue(new MockResponse.Builder().code(503).build());
    server.enqueue(new MockResponse.Builder().body("hello").build());
    server.start();
    client = OkHttpInterceptorExample.newClient(RetryPolicy.builder()
        .backoff(Backoff.fixed(Duration.ofMillis(10)))
        .listener(events)
        .build());

    assertEquals("200 hello", OkHttpInterceptorExample.fetch(client, server.url("/greeting")));
    assertEquals(2, server.getRequestCount());
    assertEquals(List.of("503 RETRY", "200 RETURN"), events.timeline());
  }

  @Test
  void mainPrintsTheResponseAfterOneRetry() throws Exception {
    String output = MainOutput.of(OkHttpInterceptorExample::main);

    assertTrue(output.contains("200 hello"), output);
    assertTrue(output.contains("requests the server saw: 2"), output);
  }
}
