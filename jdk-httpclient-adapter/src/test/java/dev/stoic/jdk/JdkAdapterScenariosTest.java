package dev.stoic.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stoic.IdempotencyKey;
import dev.stoic.RetryPolicy;
import dev.stoic.testing.AdapterScenarios;
import dev.stoic.testing.EngineView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** StoicHttpClient passes the scenarios every adapter passes, through send and sendAsync. */
class JdkAdapterScenariosTest extends AdapterScenarios {
  private final HttpClient delegate = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Override
  protected List<Client> clients() {
    return List.of(
        Client.named("send", (policy, request) ->
            answer(client(policy).send(jdk(request), BodyHandlers.ofString()))),
        Client.named("sendAsync", (policy, request) ->
            answer(client(policy).sendAsync(jdk(request), BodyHandlers.ofString()).get())));
  }

  /** The JdkCall is the call's CallInfo: a one-shot body reads as not replayable, no call limit. */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void theEngineSeesAOneShotBodyAsNotReplayable(Mode mode) throws Exception {
    server.enqueue(200, "", Map.of());
    EngineView seen = new EngineView();
    RetryPolicy policy = policy().observer(seen)
        .idempotencyKey(IdempotencyKey.header("X-Request-Key").autoGenerate()).build();
    URI uri = server.url("/upload");
    HttpRequest request = HttpRequest.newBuilder(uri).header("X-Request-Key", "mine")
        .PUT(StoicBodyPublishers.oneShot(BodyPublishers.ofString("payload"))).build();

    assertEquals(200, mode.call(client(policy), request, BodyHandlers.discarding()).statusCode());

    assertEquals(List.of("PUT " + uri + " host=" + uri.getHost()
        + " replayable=false key=true callTimeout=PT0S"), seen.calls);
    assertEquals("mine", server.received().get(0).header("X-Request-Key"), "never replaced");
  }

  private HttpClient client(RetryPolicy policy) {
    return StoicHttpClient.wrap(delegate, policy);
  }

  private static HttpRequest jdk(Request request) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri()).method(request.method(),
        request.body() == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(request.body()));
    request.headers().forEach(builder::header);
    return builder.build();
  }

  private static Answer answer(HttpResponse<String> response) {
    return new Answer(response.statusCode(), response.body());
  }
}
