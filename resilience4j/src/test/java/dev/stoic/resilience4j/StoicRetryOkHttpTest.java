package dev.stoic.resilience4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stoic.Backoff;
import dev.stoic.RetryPolicy;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Raw OkHttp calls through a resilience4j Retry built from a Stoic policy, on a real socket. */
class StoicRetryOkHttpTest {
  /** One client for the class: its pools and threads are shared by every test. */
  static final OkHttpClient CLIENT = new OkHttpClient();

  final MockWebServer server = new MockWebServer();
  final RecordingReader<Response> reader = new RecordingReader<>(OkHttpResultReader.create());
  final RetryPolicy policy = RetryPolicy.builder()
      .maxAttempts(3)
      .backoff(Backoff.fixed(Duration.ofMillis(10)))
      .random(() -> 0)
      .build();

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static Response call(RetryConfig config, OkHttpClient client, Request request) throws Throwable {
    CheckedSupplier<Response> supplier = Retry.decorateCheckedSupplier(
        Retry.of("okhttp", config), () -> client.newCall(request).execute());
    return supplier.get();
  }

  Request get() {
    return new Request.Builder().url(server.url("/items")).build();
  }

  Request post() {
    return new Request.Builder().url(server.url("/orders"))
        .post(RequestBody.create("{}", MediaType.get("application/json"))).build();
  }

  @Test
  void aGetAnswered503IsRetriedAndTheDiscardedResponseIsClosed() throws Throwable {
    server.enqueue(new MockResponse.Builder().code(503).body("busy").build());
    server.enqueue(new MockResponse.Builder().code(200).body("ok").build());

    try (Response response = call(StoicRetry.config(policy, reader), CLIENT, get())) {
      assertEquals(200, response.code());
      assertEquals("ok", response.body().string());
    }
    assertEquals(2, server.getRequestCount());
    assertEquals(1, reader.closed.size());
    assertEquals(503, reader.closed.get(0).code());
    // Closed, so its connection went back to the pool and carried the retry.
    int first = server.takeRequest().getConnectionIndex();
    assertEquals(first, server.takeRequest().getConnectionIndex());
  }

  @Test
  void aPostAnswered500IsNotRetried() throws Throwable {
    server.enqueue(new MockResponse.Builder().code(500).body("oops").build());
    server.enqueue(new MockResponse.Builder().code(200).build());

    try (Response response = call(StoicRetry.config(policy, reader), CLIENT, post())) {
      assertEquals(500, response.code());
      assertEquals("oops", response.body().string(), "handed over unread");
    }
    assertEquals(1, server.getRequestCount());
    assertEquals(0, reader.closed.size());
  }

  @Test
  void aPostAnswered429IsRetriedBecauseTheServerDidNotProcessIt() throws Throwable {
    server.enqueue(new MockResponse.Builder().code(429).build());
    server.enqueue(new MockResponse.Builder().code(201).build());

    try (Response response = call(StoicRetry.config(policy, reader), CLIENT, post())) {
      assertEquals(201, response.code());
    }
    assertEquals(2, server.getRequestCount());
  }

  @Test
  void aReadTimeoutAfterAPostIsNotRetried() {
    OkHttpClient impatient = CLIENT.newBuilder().readTimeout(Duration.ofMillis(100)).build();
    server.enqueue(new MockResponse.Builder().headersDelay(2, TimeUnit.SECONDS).build());
    server.enqueue(new MockResponse.Builder().code(200).build());

    assertThrows(SocketTimeoutException.class,
        () -> call(StoicRetry.config(policy, reader), impatient, post()));
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void aReadTimeoutIsRetriedThroughTheConfigForIdempotentCalls() throws Throwable {
    OkHttpClient impatient = CLIENT.newBuilder().readTimeout(Duration.ofMillis(100)).build();
    server.enqueue(new MockResponse.Builder().headersDelay(2, TimeUnit.SECONDS).build());
    server.enqueue(new MockResponse.Builder().code(200).build());

    try (Response response =
        call(StoicRetry.configForIdempotentCalls(policy, reader), impatient, get())) {
      assertEquals(200, response.code());
    }
    assertEquals(2, server.getRequestCount());
  }

  @Test
  void aRefusedConnectionIsRetriedEvenForAPost() throws Exception {
    int port;
    try (ServerSocket closed = new ServerSocket(0)) {
      port = closed.getLocalPort();
    }
    Request request = new Request.Builder().url("http://127.0.0.1:" + port + "/orders")
        .post(RequestBody.create("{}", MediaType.get("application/json"))).build();
    AtomicInteger attempts = new AtomicInteger();
    CheckedSupplier<Response> supplier = Retry.decorateCheckedSupplier(
        Retry.of("okhttp", StoicRetry.config(policy, reader)), () -> {
          attempts.incrementAndGet();
          return CLIENT.newCall(request).execute();
        });

    assertThrows(ConnectException.class, supplier::get);
    assertEquals(3, attempts.get());
  }
}
