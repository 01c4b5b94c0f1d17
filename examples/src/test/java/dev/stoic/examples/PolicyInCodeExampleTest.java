package dev.stoic.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.RetryPolicy;
import dev.stoic.jdk.StoicHttpClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PolicyInCodeExampleTest {
  static final HttpClient JDK = HttpClient.newHttpClient();

  final MockWebServer server = new MockWebServer();
  final Recorder events = new Recorder();
  final RetryPolicy policy =
      PolicyInCodeExample.policy(() -> "Bearer fresh").toBuilder().listener(events).build();
  final HttpClient client = StoicHttpClient.wrap(JDK, policy);

  @BeforeEach
  void start() throws Exception {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  int get(HttpClient client) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(server.url("/documents/7").uri())
        .header("Authorization", "Bearer old")
        .build();
    return client.send(request, BodyHandlers.discarding()).statusCode();
  }

  int post() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(server.url("/documents").uri())
        .POST(BodyPublishers.ofString("{}"))
        .build();
    return client.send(request, BodyHandlers.discarding()).statusCode();
  }

  void enqueue(int... codes) {
    for (int code : codes) server.enqueue(new MockResponse.Builder().code(code).build());
  }

  @Test
  void a401IsRetriedOnceWithTheRefreshedCredentials() throws Exception {
    enqueue(401, 200);

    assertEquals(200, get(client));
    assertEquals("Bearer old", server.takeRequest().getHeaders().get("Authorization"));
    assertEquals("Bearer fresh", server.takeRequest().getHeaders().get("Authorization"));
  }

  @Test
  void aPostGetsOnePlainKeyTheSameOnEveryAttempt() throws Exception {
    enqueue(420, 201);

    assertEquals(201, post());
    String first = server.takeRequest().getHeaders().get("Idempotency-Key");
    String second = server.takeRequest().getHeaders().get("Idempotency-Key");
    assertEquals(36, first.length(), first);      // a bare UUID, no quotes
    assertEquals(first, second);
  }

  @Test
  void theCustomStatusRulesRetry420And423AndTheCdnsUnreachableOrigin() throws Exception {
    enqueue(420, 423, 522, 200);

    assertEquals(200, get(client));
    assertEquals(List.of("420 RETRY", "423 RETRY", "522 RETRY", "200 RETURN"), events.timeline());
  }

  @Test
  void a504IsNotRetriedByThisPolicy() throws Exception {
    enqueue(504, 200);

    assertEquals(504, get(client));
    assertEquals(1, server.getRequestCount());
    assertEquals("504 Gateway Timeout is not retried: a policy rule says so",
        events.events.get(0).reason());
  }

  @Test
  void aRetryAfterLongerThanThirtySecondsReturnsTheResponseAtOnce() throws Exception {
    server.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", "120").build());

    assertEquals(503, get(client));
    assertEquals(1, server.getRequestCount());
    assertEquals("503 Service Unavailable: Retry-After of 120 s exceeds maxRetryAfter of 30 s",
        events.events.get(0).reason());
  }

  @Test
  void theReportsClientDerivesItsPolicyAndSharesTheBudgetAndTheClient() {
    StoicHttpClient client = StoicHttpClient.wrap(JDK, policy);
    StoicHttpClient reports = (StoicHttpClient) PolicyInCodeExample.reportsClient(client);

    assertSame(JDK, reports.delegate());
    assertEquals(Duration.ofSeconds(20), reports.policy().attemptTimeout());
    assertEquals(Duration.ofSeconds(60), reports.policy().deadline());
    assertSame(policy.retryBudget(), reports.policy().retryBudget());
    assertEquals(policy.maxAttempts(), reports.policy().maxAttempts());
  }

  @Test
  void theListenerLogsRetriesAtInfoThroughSystemLoggerWithoutSecrets() throws Exception {
    Logger logger = Logger.getLogger("dev.stoic.examples");
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    logger.addHandler(handler);
    try {
      enqueue(503, 200);
      HttpRequest request = HttpRequest.newBuilder(server.url("/documents/7?session=s3cret").uri())
          .header("Authorization", "Bearer old")
          .build();
      assertEquals(200, client.send(request, BodyHandlers.discarding()).statusCode());
    } finally {
      logger.removeHandler(handler);
    }

    LogRecord retry = records.get(0);
    assertEquals(Level.INFO, retry.getLevel());
    assertTrue(retry.getMessage().startsWith("attempt 1 GET http://"), retry.getMessage());
    assertTrue(retry.getMessage().contains("-> 503: RETRY in "), retry.getMessage());
    assertTrue(retry.getMessage().contains("/documents/7?session=REDACTED -> "), retry.getMessage());
    assertFalse(retry.getMessage().contains("s3cret"), retry.getMessage());
    assertFalse(retry.getMessage().contains("Bearer"), retry.getMessage());
  }

  @Test
  void mainPrintsWhatEachRuleDid() throws Exception {
    String output = MainOutput.of(PolicyInCodeExample::main);

    assertTrue(output.contains("401, then:            200"), output);
    assertTrue(output.contains("420, then:            201"), output);
    assertTrue(output.contains("504, not retried:     504"), output);
    assertTrue(output.contains("Retry-After too long: 503"), output);
    assertTrue(output.contains("report, 20 s allowed: 200"), output);
    assertTrue(output.contains("requests the server saw: 7"), output);
  }
}
