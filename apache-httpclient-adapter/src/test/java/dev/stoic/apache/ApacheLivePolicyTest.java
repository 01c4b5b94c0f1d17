package dev.stoic.apache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.Hedging;
import dev.stoic.LivePolicy;
import dev.stoic.RetryPolicy;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** HC5 clients following a live policy, on MockWebServer: each call takes the policy of its start. */
class ApacheLivePolicyTest {
  final MockWebServer server = new MockWebServer();
  Hc5 client;

  @BeforeEach
  void start() throws Exception {
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (client != null) assertEquals(0, client.leasedWhenQuiet(), "connections leased");
    } finally {
      if (client != null) client.close();
      server.close();
    }
  }

  static RetryPolicy attempts(int n) {
    return RetryPolicy.builder().maxAttempts(n).backoff(Backoff.fixed(Duration.ofMillis(1))).build();
  }

  void enqueue(int... codes) {
    for (int code : codes) server.enqueue(new MockResponse.Builder().code(code).body("b").build());
  }

  @ParameterizedTest
  @EnumSource(Hc5.Mode.class)
  void callsAfterASwapFollowTheNewPolicy(Hc5.Mode mode) throws Exception {
    LivePolicy live = LivePolicy.of(attempts(2));
    client = Hc5.create(mode, live);
    enqueue(503, 503, 503, 503, 200);

    assertEquals(503, client.send(Hc5.Call.get(server.url("/a").uri())).status());
    live.set(attempts(3));
    assertEquals(200, client.send(Hc5.Call.get(server.url("/b").uri())).status());

    assertEquals(5, server.getRequestCount(), "two attempts, then three");
  }

  @Test
  void anAsyncCallWhosePolicyHedgesAfterASwapFailsAtOnce() throws Exception {
    LivePolicy live = LivePolicy.of(attempts(2));
    client = Hc5.create(Hc5.Mode.ASYNC, live);
    live.set(attempts(2).toBuilder().hedging(Hedging.after(Duration.ofMillis(50))).build());

    ExecutionException e = assertThrows(ExecutionException.class,
        () -> client.sendAsync(Hc5.Call.get(server.url("/c").uri()), HttpClientContext.create())
            .get());
    assertTrue(e.getCause().getMessage().contains("cannot hedge"), e.getCause().getMessage());
    assertEquals(0, server.getRequestCount());
  }
}
