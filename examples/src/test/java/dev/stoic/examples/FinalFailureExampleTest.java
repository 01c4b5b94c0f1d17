package dev.stoic.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.RetryPolicy;
import dev.stoic.jdk.StoicHttpClient;
import java.net.http.HttpClient;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FinalFailureExampleTest {
  static final HttpClient JDK = HttpClient.newHttpClient();

  final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws Exception {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  HttpClient client(boolean throwOnFailureStatus) {
    return StoicHttpClient.wrap(JDK, RetryPolicy.builder()
        .maxAttempts(3)
        .backoff(Backoff.fixed(Duration.ofMillis(10)))
        .throwOnFailureStatus(throwOnFailureStatus)
        .build());
  }

  void enqueue503s(int count) {
    for (int i = 0; i < count; i++) server.enqueue(new MockResponse.Builder().code(503).build());
  }

  @Test
  void aFinalStatusBecomesAnExceptionWithHistoryAndExplanation() throws Exception {
    enqueue503s(3);

    String report = FinalFailureExample.fetchAndExplain(client(true), server.url("/s").uri());

    assertTrue(report.startsWith("GET http://"), report);
    assertTrue(report.contains("/s failed after 3 attempts: 503 Service Unavailable: all 3 attempts"
        + " used. The server cannot serve right now"), report);
    assertTrue(report.contains("attempts: 3, last status: 503\n"), report);
    assertTrue(report.contains("  #1 503 RETRY after 10 ms: 503 Service Unavailable\n"), report);
    assertTrue(report.contains("  #2 503 RETRY after 10 ms: 503 Service Unavailable\n"), report);
    assertTrue(report.contains("  #3 503 GIVE_UP: 503 Service Unavailable: all 3 attempts used\n"),
        report);
    assertEquals(3, server.getRequestCount());
  }

  @Test
  void withoutThrowOnFailureStatusTheLastResponseIsReturnedAndExplained() throws Exception {
    enqueue503s(3);

    String report = FinalFailureExample.fetchAndExplain(client(false), server.url("/s").uri());

    assertTrue(report.startsWith("final response: 503 Service Unavailable: "), report);
    assertEquals(3, server.getRequestCount());
  }

  @Test
  void aTransportFailureAfterRetriesIsTheClientsOwnWithTheHistoryAndTheEarlierFailures()
      throws Exception {
    String report =
        FinalFailureExample.fetchAndExplain(client(true), FinalFailureExample.refusingAddress());

    assertTrue(report.startsWith("java.net.ConnectException"), report);
    assertTrue(report.contains("\nattempts: 3\n"), report);
    assertTrue(report.contains("  #1 ConnectException RETRY after 10 ms: connect failure"), report);
    assertEquals(2, report.split("\nearlier: java.net.ConnectException", -1).length - 1, report);
  }

  @Test
  void mainExplainsBothFailures() throws Exception {
    String output = MainOutput.of(FinalFailureExample::main);

    assertTrue(output.contains("failed after 3 attempts: 503 Service Unavailable"), output);
    assertTrue(output.contains("java.net.ConnectException"), output);
    assertTrue(output.contains("earlier: java.net.ConnectException"), output);
  }
}
