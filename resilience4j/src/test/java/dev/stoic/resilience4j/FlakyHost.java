package dev.stoic.resilience4j;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A real server on a loopback port that answers 503 while it is down and 200 otherwise, and
 * counts the requests that reached it while down.
 */
final class FlakyHost implements AutoCloseable {
  final MockWebServer server = new MockWebServer();
  private volatile boolean down;
  final AtomicInteger whileDown = new AtomicInteger();
  final AtomicInteger answered = new AtomicInteger();

  FlakyHost() throws IOException {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        answered.incrementAndGet();
        if (down) {
          whileDown.incrementAndGet();
          return new MockResponse.Builder().code(503).body("down").build();
        }
        return new MockResponse.Builder().code(200).body("ok").build();
      }
    });
    server.start();
  }

  void down(boolean down) {
    this.down = down;
  }

  String url(String path) {
    return server.url(path).toString();
  }

  @Override
  public void close() {
    server.close();
  }
}
