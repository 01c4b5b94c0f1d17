package dev.stoic.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.RetryPolicy;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JdkSendExampleTest {
  final MockWebServer server = new MockWebServer();
  final Recorder events = new Recorder();

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void sendRetriesA502AndTheBodyHandlerSeesOnlyTheFinalBody() throws Exception {
    server.enqueue(new MockResponse.Builder().code(502).body("bad gateway").build());
    server.enqueue(new MockResponse.Builder().body("hello").build());
    server.start();
    HttpClient client = JdkSendExample.newClient(RetryPolicy.builder()
        .backoff(Backoff.fixed(Duration.ofMillis(10)))
        .listener(events)
        .build());

    HttpResponse<String> response = JdkSendExample.get(client, server.url("/greeting").uri());

    assertEquals(200, response.statusCode());
    assertEquals("hello", response.body());
    assertEquals(2, server.getRequestCount());
    assertEquals(List.of("502 RETRY", "200 RETURN"), events.timeline());
  }

  @Test
  void mainWaitsForRetryAfterAndPrintsTheResponse() throws Exception {
    String output = MainOutput.of(JdkSendExample::main);

    assertTrue(output.contains("200 hello"), output);
  }
}
