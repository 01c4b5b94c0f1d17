package dev.stoic.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.stoic.Backoff;
import dev.stoic.RetryPolicy;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The body handler each attempt is sent with. A call whose attempts cannot overlap is its own
 * handler (no object per attempt), except after an attempt that ended before its response's head
 * came in: the JDK may still hand that late head to the handler it was given, so the next attempt
 * gets a handler of its own and the late head is never decided as the next attempt's.
 */
class AttemptHandlerTest {
  final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void anAttemptAfterOneThatEndedBeforeItsHeadGetsAHandlerOfItsOwn() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body("second").build());
    HandlerRecordingClient attempts = new HandlerRecordingClient(StoicHttpClientTest.JDK, 1);
    HttpClient client = StoicHttpClient.wrap(attempts,
        RetryPolicy.builder().backoff(Backoff.none()).build());

    HttpResponse<String> response = client.send(
        HttpRequest.newBuilder(server.url("/").uri()).build(), BodyHandlers.ofString());

    assertEquals("second", response.body());
    assertEquals(2, attempts.handlers.size());
    assertNotSame(attempts.handlers.get(0), attempts.handlers.get(1));
  }

  @Test
  void aRetryAfterADecidedResponseIsSentWithTheSameHandler() throws Exception {
    server.enqueue(new MockResponse.Builder().code(503).body("first").build());
    server.enqueue(new MockResponse.Builder().code(200).body("second").build());
    HandlerRecordingClient attempts = new HandlerRecordingClient(StoicHttpClientTest.JDK, 0);
    HttpClient client = StoicHttpClient.wrap(attempts,
        RetryPolicy.builder().backoff(Backoff.none()).build());

    HttpResponse<String> response = client.send(
        HttpRequest.newBuilder(server.url("/").uri()).build(), BodyHandlers.ofString());

    assertEquals("second", response.body());
    assertEquals(2, attempts.handlers.size());
    assertSame(attempts.handlers.get(0), attempts.handlers.get(1));
  }

  /** Records each attempt's handler; its first {@code failing} sends fail before any head. */
  static final class HandlerRecordingClient extends ForwardingHttpClient {
    final List<BodyHandler<?>> handlers = new CopyOnWriteArrayList<>();
    private int failing;

    HandlerRecordingClient(HttpClient client, int failing) {
      super(client);
      this.failing = failing;
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler)
        throws IOException, InterruptedException {
      handlers.add(handler);
      if (failing > 0) {
        failing--;
        throw new ConnectException("refused before any head came in");
      }
      return client.send(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(
        HttpRequest request, BodyHandler<T> handler) {
      return sendAsync(request, handler, null);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(
        HttpRequest request, BodyHandler<T> handler, PushPromiseHandler<T> pushPromiseHandler) {
      throw new UnsupportedOperationException("these tests send synchronously");
    }
  }
}
