package dev.stoic.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Hedging;
import dev.stoic.RetryBudget;
import dev.stoic.RetryEvent;
import dev.stoic.RetryPolicy;
import dev.stoic.testing.RecordingListener;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hedged calls of {@link StoicHttpClient} through send and sendAsync against a real socket: the
 * slow attempt is beaten by its hedge and its exchange cancelled, requests not safe to repeat are
 * never hedged, and every response the caller does not get is closed.
 */
class HedgingTest {
  static final HttpClient JDK = HttpClient.newHttpClient();
  static final String ATTEMPT = "X-Attempt";

  final MockWebServer server = new MockWebServer();
  final RecordingListener events = new RecordingListener();
  final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        requests.incrementAndGet();
        String attempt = request.getHeaders().get(ATTEMPT);
        MockResponse.Builder response = new MockResponse.Builder().code(200)
            .body("attempt " + attempt);
        if (request.getUrl().encodedPath().startsWith("/slow") && "1".equals(attempt)) {
          response.headersDelay(700, TimeUnit.MILLISECONDS);
        }
        return response.build();
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  RetryPolicy.Builder hedged(Hedging hedging) {
    return RetryPolicy.builder().listener(events).hedging(hedging).attemptCountHeader(ATTEMPT, 1);
  }

  HttpRequest get(String path) {
    return HttpRequest.newBuilder(server.url(path).uri()).build();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aSlowAttemptIsBeatenByItsHedge(Mode mode) throws Exception {
    HttpClient client = StoicHttpClient.wrap(JDK, hedged(Hedging.after(Duration.ofMillis(30))).build());
    long start = System.nanoTime();
    HttpResponse<String> response = mode.call(client, get("/slow"), BodyHandlers.ofString());
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertEquals("attempt 2", response.body());
    assertTrue(millis < 500, "the hedge answered: " + millis + " ms");
    assertEquals(2, requests.get());
    RetryEvent won = events.last();
    assertTrue(won.hedge());
    assertEquals(2, won.attempt());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aKeylessPostAndAOneShotBodyAreNeverHedged(Mode mode) throws Exception {
    HttpClient client = StoicHttpClient.wrap(JDK, hedged(Hedging.after(Duration.ofMillis(10))).build());
    HttpRequest post = HttpRequest.newBuilder(server.url("/slow/orders").uri())
        .POST(BodyPublishers.ofString("order")).build();
    assertEquals("attempt 1", mode.call(client, post, BodyHandlers.ofString()).body(),
        events.events.toString());
    HttpRequest stream = HttpRequest.newBuilder(server.url("/slow/upload").uri())
        .PUT(StoicBodyPublishers.oneShot(BodyPublishers.ofInputStream(
            () -> new ByteArrayInputStream("bytes".getBytes(StandardCharsets.UTF_8)))))
        .build();
    assertEquals("attempt 1", mode.call(client, stream, BodyHandlers.ofString()).body());
    assertEquals(2, requests.get());
    assertFalse(events.last().hedge());
  }

  /** Counts the response streams made and closed: every one must be closed in the end. */
  static final class CountedStreams {
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();

    BodyHandler<InputStream> handler() {
      return info -> BodySubscribers.mapping(BodySubscribers.ofInputStream(), in -> {
        opened.incrementAndGet();
        return new FilterInputStream(in) {
          // Closeable allows a second close; a loser's body is closed by its cancel and by its
          // discard, on two threads at once at times, so it is counted once, atomically.
          private final AtomicBoolean done = new AtomicBoolean();

          @Override
          public void close() throws IOException {
            if (done.compareAndSet(false, true)) closed.incrementAndGet();
            super.close();
          }
        };
      });
    }
  }

  @Test
  void aThousandHedgedCallsCloseEveryResponseTheCallerDoesNotGet() throws Exception {
    // A hedge at once on every call: two exchanges race, and the loser is cancelled or closed.
    HttpClient client = StoicHttpClient.wrap(JDK, RetryPolicy.builder()
        .hedging(Hedging.after(Duration.ZERO)).attemptCountHeader(ATTEMPT, 1)
        .retryBudget(RetryBudget.unlimited()).build());
    CountedStreams streams = new CountedStreams();
    int total = 1_000;
    int concurrency = 16;
    for (int first = 0; first < total; first += concurrency) {
      List<CompletableFuture<HttpResponse<InputStream>>> batch = new ArrayList<>();
      for (int i = first; i < first + concurrency; i++) {
        HttpRequest request = get("/leak/" + i);
        batch.add(i % 2 == 0 ? client.sendAsync(request, streams.handler())
            : CompletableFuture.completedFuture(client.send(request, streams.handler())));
      }
      for (CompletableFuture<HttpResponse<InputStream>> call : batch) {
        try (InputStream body = call.get(10, TimeUnit.SECONDS).body()) {
          assertTrue(new String(body.readAllBytes(), StandardCharsets.UTF_8).startsWith("attempt "));
        }
      }
    }
    assertTrue(requests.get() > total, "hedges went out: " + requests.get());
    // Losers complete on the client's threads a moment after the winner: wait until every
    // stream made is closed and none has been made for 200 ms (closed is read first, as a stream
    // is opened before it is closed).
    long end = System.nanoTime() + 3_000_000_000L;
    int closed = -1;
    int opened = -2;
    long quietSince = System.nanoTime();
    while (System.nanoTime() < end) {
      int c = streams.closed.get();
      int o = streams.opened.get();
      if (o != opened || c != closed) quietSince = System.nanoTime();
      closed = c;
      opened = o;
      if (c == o && System.nanoTime() - quietSince > 200_000_000L) break;
      Thread.sleep(1);
    }
    assertEquals(opened, closed, "every response stream closed");
    assertTrue(streams.opened.get() >= total);
  }
}
