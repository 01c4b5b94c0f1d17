package dev.stoic.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.Decision;
import dev.stoic.RetryEvent;
import dev.stoic.RetryPolicy;
import dev.stoic.jdk.StoicHttpClient;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JdkSendAsyncExampleTest {
  final MockWebServer server = new MockWebServer();
  final Recorder events = new Recorder();

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void fiftyConcurrentCallsAllSucceedAndOnlyTheFailedOnesAreRepeated() throws IOException {
    server.setDispatcher(JdkSendAsyncExample.everyFifthItemFailsOnce());
    server.start();
    HttpClient client = StoicHttpClient.wrap(HttpClient.newHttpClient(), RetryPolicy.builder()
        .backoff(Backoff.fixed(Duration.ofMillis(10)))
        .listener(events)
        .build());

    List<Integer> statuses = JdkSendAsyncExample.fetchAll(client, server.url("/").uri(), 50);

    assertEquals(Collections.nCopies(50, 200), statuses);
    assertEquals(60, server.getRequestCount());
    assertEquals(10, events.count(Decision.Action.RETRY));
    assertEquals(50, events.count(Decision.Action.RETURN));
  }

  @Test
  void mainPrintsFiftyOksAfterSixtyRequests() throws Exception {
    String output = MainOutput.of(JdkSendAsyncExample::main);

    assertTrue(output.contains(Collections.nCopies(50, 200).toString()), output);
    assertTrue(output.contains("requests the server saw: 60"), output);
  }
}
