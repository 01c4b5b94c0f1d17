package dev.stoic.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stoic.Decision.Action;
import dev.stoic.RetryPolicy;
import dev.stoic.RetryRoutes;
import dev.stoic.testing.RecordingListener;
import dev.stoic.testing.RecordingObserver;
import dev.stoic.testing.ScenarioServer;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Regression: three requests tagged {@code RetryPolicy.noRetries()}, as the README suggests for
 * one request, produced no events and no meters, because the tag's policy brought its own (empty)
 * listeners and observers. The client's watchers see every call; a tag or a route changes the
 * rules, not who watches.
 */
class ClientWatchersTest {
  private ScenarioServer server;
  private final RecordingListener events = new RecordingListener();
  private final RecordingObserver observer = new RecordingObserver();
  private final RetryPolicy clientPolicy =
      RetryPolicy.builder().listener(events).observer(observer).build();

  @BeforeEach
  void start() throws IOException {
    server = ScenarioServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void threeRequestsTaggedNoRetriesReachTheInterceptorsListenersAndObservers() throws IOException {
    OkHttpClient client = new OkHttpClient.Builder()
        .addInterceptor(StoicInterceptor.create(clientPolicy)).build();
    sendThreeTagged(client);
  }

  @Test
  void threeRequestsTaggedNoRetriesReachTheCallFactorysListenersAndObservers() throws IOException {
    sendThreeTagged(StoicCallFactory.wrap(new OkHttpClient(), clientPolicy));
  }

  @Test
  void aRoutesPolicyWithoutListenersStillReachesTheClientsOnes() throws IOException {
    RetryRoutes routes = RetryRoutes.builder()
        .pathPrefix("/upload/", RetryPolicy.noRetries())
        .otherwise(clientPolicy)
        .build();
    Call.Factory calls = StoicCallFactory.wrap(new OkHttpClient(), routes);
    server.enqueue(503, "", Map.of());
    try (Response response = calls.newCall(
        new Request.Builder().url(server.url("/upload/a").toString()).build()).execute()) {
      assertEquals(503, response.code());
    }
    assertEquals(List.of(Action.GIVE_UP), events.actions());
    assertEquals(1, starts());
  }

  private void sendThreeTagged(Call.Factory calls) throws IOException {
    for (int i = 0; i < 3; i++) server.enqueue(503, "", Map.of());
    for (int i = 0; i < 3; i++) {
      Request request = new Request.Builder().url(server.url("/items/" + i).toString())
          .tag(RetryPolicy.class, RetryPolicy.noRetries()).build();
      try (Response response = calls.newCall(request).execute()) {
        assertEquals(503, response.code());
      }
    }
    assertEquals(3, server.received().size(), "no retries: the tag's rules hold");
    assertEquals(List.of(Action.GIVE_UP, Action.GIVE_UP, Action.GIVE_UP), events.actions());
    assertEquals(3, starts());
  }

  private long starts() {
    return observer.lines.stream().filter(line -> line.startsWith("start ")).count();
  }
}
