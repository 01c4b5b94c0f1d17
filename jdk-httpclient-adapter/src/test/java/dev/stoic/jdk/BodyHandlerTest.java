package dev.stoic.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.RetriesExhaustedException;
import dev.stoic.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The caller's body handler sees exactly one response per call: the final one. */
class BodyHandlerTest {
  static final AtomicInteger THREADS = new AtomicInteger();
  static final ExecutorService CALLER_EXECUTOR = Executors.newFixedThreadPool(2, runnable -> {
    Thread thread = new Thread(runnable, "caller-executor-" + THREADS.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  });
  static final HttpClient JDK = HttpClient.newBuilder().executor(CALLER_EXECUTOR).build();

  final MockWebServer server = new MockWebServer();
  final RetryPolicy policy =
      RetryPolicy.builder().backoff(Backoff.fixed(Duration.ofMillis(10))).build();
  final HttpClient client = StoicHttpClient.wrap(JDK, policy);

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @AfterAll
  static void shutDownExecutor() {
    CALLER_EXECUTOR.shutdownNow();
  }

  HttpRequest get() {
    return HttpRequest.newBuilder(server.url("/items").uri()).build();
  }

  static MockResponse response(int code, String body) {
    return new MockResponse.Builder().code(code).body(body).build();
  }

  /** A string handler that records every response it is asked to read, and on which thread. */
  static final class CountingHandler implements BodyHandler<String> {
    final List<Integer> statuses = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public HttpResponse.BodySubscriber<String> apply(HttpResponse.ResponseInfo info) {
      statuses.add(info.statusCode());
      threads.add(Thread.currentThread().getName());
      return BodySubscribers.ofString(StandardCharsets.UTF_8);
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void handlerIsInvokedOnceForTheFinalResponse(Mode mode) throws Exception {
    server.enqueue(response(503, "busy"));
    server.enqueue(response(502, "bad gateway"));
    server.enqueue(response(200, "ok"));
    CountingHandler handler = new CountingHandler();

    HttpResponse<String> response = mode.call(client, get(), handler);

    assertEquals("ok", response.body());
    assertEquals(List.of(200), handler.statuses);
    assertEquals(3, server.getRequestCount());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void handlerIsInvokedOnceWhenRetriesRunOut(Mode mode) throws Exception {
    RetryPolicy twoAttempts = policy.toBuilder().maxAttempts(2).build();
    server.enqueue(response(503, "first"));
    server.enqueue(response(503, "last"));
    CountingHandler handler = new CountingHandler();

    HttpResponse<String> response = mode.call(StoicHttpClient.wrap(JDK, twoAttempts), get(), handler);

    assertEquals("last", response.body());
    assertEquals(List.of(503), handler.statuses);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void handlerRunsOnTheWrappedClientsExecutor(Mode mode) throws Exception {
    server.enqueue(response(503, "busy"));
    server.enqueue(response(200, "ok"));
    CountingHandler handler = new CountingHandler();

    String caller = Thread.currentThread().getName();
    mode.call(client, get(), handler);

    // The JDK client runs handlers on its executor; for send() it may also use the calling thread
    // (seen under load). Either way the handler never runs on a thread of Stoic's.
    String thread = handler.threads.get(0);
    assertTrue(thread.startsWith("caller-executor-")
            || (mode == Mode.SEND && thread.equals(caller)), handler.threads.toString());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void streamedFinalBodyIsHandedOverOpen(Mode mode) throws Exception {
    server.enqueue(response(503, "busy"));
    server.enqueue(response(200, "streamed"));

    HttpResponse<InputStream> response = mode.call(client, get(), BodyHandlers.ofInputStream());

    try (InputStream body = response.body()) {
      assertEquals("streamed", new String(body.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void finalResponseDroppedForAnExceptionIsClosed(Mode mode) {
    RetryPolicy throwing = policy.toBuilder().maxAttempts(1).throwOnFailureStatus(true).build();
    server.enqueue(response(503, "busy"));
    AtomicReference<InputStream> body = new AtomicReference<>();
    BodyHandler<InputStream> capturing = info -> BodySubscribers.mapping(
        BodySubscribers.ofInputStream(), in -> {
          body.set(in);
          return in;
        });

    assertThrows(RetriesExhaustedException.class,
        () -> mode.call(StoicHttpClient.wrap(JDK, throwing), get(), capturing));

    IOException closed = assertThrows(IOException.class, () -> body.get().read());
    assertEquals("closed", closed.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void linesOfTheFinalResponseOnly(Mode mode) throws Exception {
    server.enqueue(response(503, "busy\nbusy"));
    server.enqueue(response(200, "one\ntwo"));

    HttpResponse<Stream<String>> response =
        mode.call(client, get(), BodyHandlers.ofLines());

    try (Stream<String> lines = response.body()) {
      assertEquals(List.of("one", "two"), lines.collect(Collectors.toList()));
    }
  }
}
