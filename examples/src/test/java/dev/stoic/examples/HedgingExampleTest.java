package dev.stoic.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HedgingExampleTest {
  final MockWebServer server = new MockWebServer();
  final OkHttpClient client = new OkHttpClient();

  @AfterEach
  void stop() {
    server.close();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  @Test
  void theStalledRequestsAreOutrunByTheirHedges() throws IOException {
    server.setDispatcher(HedgingExample.everyTenthItemStallsOnce(Duration.ofSeconds(3)));
    server.start();
    long slowest = HedgingExample.slowestCall(
        HedgingExample.newCallFactory(client, Duration.ofMillis(50)), server.url("/"), 20);
    assertTrue(slowest < 1500, "a hedge answered for the stalled requests: " + slowest + " ms");
    // Two stalled requests, two hedges; a fast answer slower than 50 ms on a busy machine may
    // add one more, never a hedge per call.
    assertTrue(server.getRequestCount() >= 22 && server.getRequestCount() <= 26,
        "requests: " + server.getRequestCount());
  }

  @Test
  void withoutAStallThereIsNoHedge() throws IOException {
    server.setDispatcher(HedgingExample.everyTenthItemStallsOnce(Duration.ZERO));
    server.start();
    HedgingExample.slowestCall(
        HedgingExample.newCallFactory(client, Duration.ofMillis(500)), server.url("/"), 10);
    assertEquals(10, server.getRequestCount());
  }

  @Test
  void mainRuns() throws Exception {
    String out = MainOutput.of(HedgingExample::main);
    assertTrue(out.contains("requests the server saw: 2"), out);
  }
}
