package dev.stoic.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stoic.Decision.Action;
import dev.stoic.RetryPolicy;
import dev.stoic.testing.RecordingListener;
import dev.stoic.testing.RecordingObserver;
import dev.stoic.testing.ScenarioServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Regression: a view's policy ({@code withPolicy(RetryPolicy.noRetries())}) brought its own, empty
 * listeners and observers, so the client's watchers saw none of the view's calls. A view changes
 * the rules, not who watches.
 */
class ClientWatchersTest {
  @Test
  void threeCallsThroughANoRetriesViewReachTheClientsListenersAndObservers() throws Exception {
    RecordingListener events = new RecordingListener();
    RecordingObserver observer = new RecordingObserver();
    StoicHttpClient client = StoicHttpClient.wrap(HttpClient.newHttpClient(),
        RetryPolicy.builder().listener(events).observer(observer).build());
    HttpClient uploads = client.withPolicy(RetryPolicy.noRetries());
    try (ScenarioServer server = ScenarioServer.start()) {
      for (int i = 0; i < 3; i++) server.enqueue(503, "", Map.of());
      for (int i = 0; i < 3; i++) {
        HttpRequest request = HttpRequest.newBuilder(server.url("/upload/" + i)).build();
        assertEquals(503, uploads.send(request, BodyHandlers.discarding()).statusCode());
      }
      assertEquals(3, server.received().size(), "no retries: the view's rules hold");
    }
    assertEquals(List.of(Action.GIVE_UP, Action.GIVE_UP, Action.GIVE_UP), events.actions());
    assertEquals(3, observer.lines.stream().filter(line -> line.startsWith("start ")).count());
  }
}
