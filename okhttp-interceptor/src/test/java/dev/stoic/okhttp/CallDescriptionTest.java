package dev.stoic.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stoic.IdempotencyKey;
import dev.stoic.RetryPolicy;
import dev.stoic.okhttp.testing.Harness;
import dev.stoic.okhttp.testing.Mode;
import dev.stoic.okhttp.testing.Reply;
import dev.stoic.testing.EngineView;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The call each way of calling describes to the engine (the interceptor's ChainCall and the call
 * factory's RetryingCall are their call's CallInfo) is the request it was given, with a one-shot
 * body as not replayable and OkHttp's call timeout as the client's; AdapterScenarios checks the
 * rest (method, URL, host, the caller's key under the policy's header only).
 */
class CallDescriptionTest extends Harness {
  final EngineView seen = new EngineView();

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aOneShotBodyTheCallersKeyAndTheCallTimeoutAreWhatTheEngineSees(Mode mode)
      throws IOException {
    server.enqueue(Reply.status(200));
    OkHttpClient timed = client.newBuilder().callTimeout(Duration.ofMillis(1234)).build();
    RetryPolicy policy = policy().observer(seen)
        .idempotencyKey(IdempotencyKey.header("X-Request-Key").autoGenerate()).build();
    HttpUrl url = server.url("/upload?part=1");
    Request request = new Request.Builder().url(url)
        .header("X-Request-Key", "mine")
        .put(oneShot("payload"))
        .build();

    try (Response response = start(mode, newCall(mode, timed, policy, request)).await()) {
      assertEquals(200, response.code());
    }

    assertEquals(List.of("PUT " + url + " host=" + url.host()
        + " replayable=false key=true callTimeout=PT1.234S"), seen.calls);
    assertEquals("mine", server.received().get(0).header("X-Request-Key"), "never replaced");
  }
}
