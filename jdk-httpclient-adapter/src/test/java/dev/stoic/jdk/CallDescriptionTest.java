package dev.stoic.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stoic.IdempotencyKey;
import dev.stoic.RetryPolicy;
import dev.stoic.testing.EngineView;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The call StoicHttpClient describes to the engine (its JdkCall is the call's CallInfo) is the
 * request it was given: method, URL and host, a one-shot body as not replayable, the caller's key
 * under the policy's header, and no client-wide timeout (the request's own limits each attempt).
 */
class CallDescriptionTest {
  final MockWebServer server = new MockWebServer();
  final EngineView seen = new EngineView();

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aOneShotBodyAndTheCallersKeyAreWhatTheEngineSees(Mode mode) throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    RetryPolicy policy = RetryPolicy.builder().observer(seen)
        .idempotencyKey(IdempotencyKey.header("X-Request-Key").autoGenerate()).build();
    URI uri = server.url("/upload?part=1").uri();
    HttpRequest request = HttpRequest.newBuilder(uri)
        .header("X-Request-Key", "mine")
        .timeout(Duration.ofSeconds(5))
        .PUT(StoicBodyPublishers.oneShot(BodyPublishers.ofString("payload")))
        .build();

    assertEquals(200, mode.call(client(policy), request, BodyHandlers.discarding()).statusCode());

    assertEquals(List.of("PUT " + uri + " host=" + uri.getHost()
        + " replayable=false key=true callTimeout=PT0S"), seen.calls);
    assertEquals("mine", server.takeRequest().getHeaders().get("X-Request-Key"), "never replaced");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aKeyUnderAnotherHeaderThanThePolicysIsNotTheCallersKey(Mode mode) throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    RetryPolicy policy = RetryPolicy.builder().observer(seen)
        .idempotencyKey(IdempotencyKey.header("X-Request-Key")).build();
    URI uri = server.url("/orders").uri();
    HttpRequest request = HttpRequest.newBuilder(uri)
        .header("Idempotency-Key", "k1")
        .POST(BodyPublishers.ofString("{}"))
        .build();

    assertEquals(200, mode.call(client(policy), request, BodyHandlers.discarding()).statusCode());

    assertEquals(List.of("POST " + uri + " host=" + uri.getHost()
        + " replayable=true key=false callTimeout=PT0S"), seen.calls);
  }

  private static HttpClient client(RetryPolicy policy) {
    return StoicHttpClient.wrap(StoicHttpClientTest.JDK, policy);
  }
}
