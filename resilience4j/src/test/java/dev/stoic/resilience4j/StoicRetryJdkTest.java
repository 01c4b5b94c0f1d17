package dev.stoic.resilience4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.RetryPolicy;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Raw JDK HttpClient calls through a resilience4j Retry built from a Stoic policy. */
class StoicRetryJdkTest {
  /** One client for the class: each one owns a selector thread until it is collected. */
  static final HttpClient CLIENT = HttpClient.newHttpClient();

  final MockWebServer server = new MockWebServer();
  final RetryPolicy policy = RetryPolicy.builder()
      .maxAttempts(3)
      .backoff(Backoff.fixed(Duration.ofMillis(10)))
      .random(() -> 0)
      .build();
  /** When each attempt started, by System.nanoTime(). */
  final List<Long> starts = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  <T> HttpResponse<T> call(RetryConfig config, HttpRequest request, BodyHandler<T> handler)
      throws Throwable {
    CheckedSupplier<HttpResponse<T>> supplier =
        Retry.decorateCheckedSupplier(Retry.of("jdk", config), () -> {
          starts.add(System.nanoTime());
          return CLIENT.send(request, handler);
        });
    return supplier.get();
  }

  HttpRequest get() {
    return HttpRequest.newBuilder(server.url("/items").uri()).build();
  }

  HttpRequest post() {
    return HttpRequest.newBuilder(server.url("/orders").uri())
        .POST(BodyPublishers.ofString("{}")).build();
  }

  @Test
  void aGetAnswered503IsRetried() throws Throwable {
    server.enqueue(new MockResponse.Builder().code(503).body("busy").build());
    server.enqueue(new MockResponse.Builder().code(200).body("ok").build());

    HttpResponse<String> response =
        call(StoicRetry.config(policy, JdkResultReader.create()), get(), BodyHandlers.ofString());

    assertEquals(200, response.statusCode());
    assertEquals("ok", response.body());
    assertEquals(2, server.getRequestCount());
  }

  @Test
  void aPostAnswered500IsNotRetried() throws Throwable {
    server.enqueue(new MockResponse.Builder().code(500).body("oops").build());
    server.enqueue(new MockResponse.Builder().code(200).build());

    HttpResponse<String> response =
        call(StoicRetry.config(policy, JdkResultReader.create()), post(), BodyHandlers.ofString());

    assertEquals(500, response.statusCode());
    assertEquals("oops", response.body());
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void a429WithRetryAfterWaitsAtLeastTheHint() throws Throwable {
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "1").build());
    server.enqueue(new MockResponse.Builder().code(200).build());

    HttpResponse<String> response =
        call(StoicRetry.config(policy, JdkResultReader.create()), post(), BodyHandlers.ofString());

    assertEquals(200, response.statusCode());
    assertEquals(2, starts.size());
    long gapMillis = (starts.get(1) - starts.get(0)) / 1_000_000;
    assertTrue(gapMillis >= 1000, "waited " + gapMillis + " ms");
  }

  @Test
  void aRetriedStreamingBodyIsClosedAndTheFinalOneIsLeftOpen() throws Throwable {
    server.enqueue(new MockResponse.Builder().code(503).body("busy").build());
    server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
    RecordingReader<HttpResponse<InputStream>> reader =
        new RecordingReader<>(JdkResultReader.create());

    HttpResponse<InputStream> response =
        call(StoicRetry.config(policy, reader), get(), BodyHandlers.ofInputStream());

    assertEquals(1, reader.closed.size());
    InputStream discarded = reader.closed.get(0).body();
    assertThrows(IOException.class, discarded::read, "closed");
    try (InputStream body = response.body()) {
      assertEquals("ok", new String(body.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void aRefusedConnectionIsRetriedEvenForAPost() throws Exception {
    int port;
    try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
      port = closed.getLocalPort();
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/o"))
        .POST(BodyPublishers.ofString("{}")).build();

    assertThrows(java.net.ConnectException.class, () ->
        call(StoicRetry.config(policy, JdkResultReader.create()), request, BodyHandlers.ofString()));
    assertEquals(3, starts.size());
  }
}
