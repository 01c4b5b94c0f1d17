package dev.stoic.webclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.IdempotencyKey;
import dev.stoic.RetriesExhaustedException;
import dev.stoic.RetryBudget;
import dev.stoic.Decision.Action;
import dev.stoic.RetryPolicy;
import dev.stoic.RetryRoutes;
import dev.stoic.testing.Budgets;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

/**
 * The scenario matrix of every adapter on the reactive lane: status table, method safety and
 * keys, Retry-After, deadline, budget, routes, per-request policies, nesting and the last error,
 * on a real Reactor Netty client with waits in virtual time.
 */
class RetryMatrixTest extends WebClientFixture {
  @Test
  void retryableStatusesAreRetriedAndOthersReturnedAtOnce() throws Throwable {
    server.enqueue(status(500, "a"));
    server.enqueue(status(502, "b"));
    server.enqueue(status(200, "ok"));
    server.enqueue(status(404, "missing"));
    WebClient client = client(policy().build());
    assertEquals("200 ok", run(answer(client.get().uri("/items"))));
    assertEquals("404 missing", run(answer(client.get().uri("/items/9"))));
    assertEquals(4, server.getRequestCount());
    assertEquals(List.of(Action.RETRY, Action.RETRY, Action.RETURN, Action.GIVE_UP), events.actions());
    assertEquals(List.of(100L, 100L), events.waitsMillis());
  }

  @Test
  void aPostIsRetriedOnlyWithAKeyAndTheCallersKeyGoesOnEveryAttempt() throws Throwable {
    server.enqueue(status(503, ""));
    server.enqueue(status(503, ""));
    server.enqueue(status(200, "paid"));
    RetryPolicy keyed = policy().idempotencyKey(IdempotencyKey.header("Idempotency-Key")).build();
    WebClient client = client(keyed);
    assertEquals("503 ", run(answer(client.post().uri("/pay").bodyValue("{}"))), "no key: sent once");
    String paid = run(answer(client.post().uri("/pay").header("Idempotency-Key", "k-1").bodyValue("{}")));
    assertEquals("200 paid", paid);
    assertEquals(3, server.getRequestCount());
    server.takeRequest();
    for (int i = 0; i < 2; i++) {
      var request = server.takeRequest();
      assertEquals("k-1", request.getHeaders().get("Idempotency-Key"));
      assertEquals("{}", request.getBody().utf8(), "the body is sent again on every attempt");
    }
  }

  @Test
  void aOneShotBodyIsNeverSentTwice() throws Throwable {
    server.enqueue(status(503, ""));
    server.enqueue(status(200, "made"));
    WebClient client = client(policy().build());
    String answer = run(answer(client.put().uri("/doc").attributes(StoicExchangeFilter.oneShotBody())
        .bodyValue("body")));
    assertEquals("503 ", answer);
    assertEquals(1, server.getRequestCount());
    assertTrue(events.last().reason().contains("one-shot"), events.last().reason());
  }

  @Test
  void aRetryAfterIsWaitedExactly() throws Throwable {
    server.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", "2").build());
    server.enqueue(status(200, "ok"));
    assertEquals("200 ok", run(answer(client(policy().build()).get().uri("/"))));
    assertEquals(List.of(2000L), events.waitsMillis());
    assertEquals(Duration.ofSeconds(2), clock.elapsed());
  }

  @Test
  void theDeadlineCoversAllAttemptsAndTheWaitsBetweenThem() throws Throwable {
    for (int i = 0; i < 5; i++) server.enqueue(status(503, "busy " + i));
    RetryPolicy policy = policy().maxAttempts(5).backoff(dev.stoic.Backoff.fixed(Duration.ofMillis(400)))
        .deadline(Duration.ofSeconds(1)).build();
    assertEquals("503 busy 2", run(answer(client(policy).get().uri("/"))));
    assertEquals(3, server.getRequestCount(), "a fourth attempt would start after the deadline");
    assertEquals(Duration.ofMillis(800), clock.elapsed());
    assertTrue(events.last().reason().contains("deadline"), events.last().reason());
  }

  @Test
  void theRetryBudgetStopsRetriesForEveryCallOfTheClient() throws Throwable {
    for (int i = 0; i < 4; i++) server.enqueue(status(503, "busy " + i));
    // Two retries of budget for the host, once retries to it stopped working (no floor).
    RetryBudget budget = RetryBudget.perHost(2, 1, 0).minRetriesPerSecond(0);
    Budgets.failedRetries(budget, server.getHostName(), 100);
    WebClient client = client(policy().retryBudget(budget).build());
    assertEquals("503 busy 2", run(answer(client.get().uri("/a"))), "two retries, then it is empty");
    assertEquals("503 busy 3", run(answer(client.get().uri("/b"))));
    assertEquals(4, server.getRequestCount());
    assertTrue(events.last().reason().contains("budget"), events.last().reason());
  }

  @Test
  void routesAndAPerRequestPolicyChooseTheRules() throws Throwable {
    for (int i = 0; i < 6; i++) server.enqueue(status(503, "busy " + i));
    RetryPolicy once = policy().maxAttempts(1).build();
    RetryRoutes routes = RetryRoutes.builder().pathPrefix("/once", once).otherwise(policy().build()).build();
    WebClient client = client(StoicExchangeFilter.create(routes));
    assertEquals("503 busy 0", run(answer(client.get().uri("/once/x"))));
    assertEquals("503 busy 3", run(answer(client.get().uri("/other"))));
    RetryPolicy twice = policy().maxAttempts(2).build();
    assertEquals("503 busy 5",
        run(answer(client.get().uri("/other").attributes(StoicExchangeFilter.policy(twice)))));
    assertEquals(6, server.getRequestCount());
  }

  @Test
  void aPolicyAttributeOfAnotherTypeIsAClearError() {
    WebClient client = client(policy().build());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
        run(answer(client.get().uri("/").attribute(StoicExchangeFilter.POLICY_ATTRIBUTE, "fast"))));
    assertEquals("request attribute dev.stoic.webclient.policy holds a java.lang.String, not a"
        + " dev.stoic.RetryPolicy", e.getMessage());
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void twoStoicFiltersOnOneClientMakeThreeAttemptsThreeNotNine() throws Throwable {
    for (int i = 0; i < 9; i++) server.enqueue(status(503, "busy " + i));
    WebClient client = client(policy().build()).mutate()
        .filters(filters -> filters.add(0, StoicExchangeFilter.create(policy().build())))
        .build();
    assertEquals("503 busy 2", run(answer(client.get().uri("/"))));
    assertEquals(3, server.getRequestCount());
  }

  @Test
  void whenEveryAttemptFailsTheCallerGetsTheLastErrorWithTheHistory() throws Throwable {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    WebClient client = client(policy().build()).mutate()
        .baseUrl("http://127.0.0.1:" + closedPort).build();
    WebClientRequestException e = assertThrows(WebClientRequestException.class,
        () -> run(answer(client.get().uri("/"))));
    assertEquals(3, attempts.requests.size());
    assertInstanceOf(ConnectException.class, e.getCause());
    assertEquals(3, RetriesExhaustedException.historyOf(e).size());
    assertEquals(2, java.util.Arrays.stream(e.getSuppressed())
        .filter(WebClientRequestException.class::isInstance).count(), "the earlier errors");

    WebClient once = client.mutate().filters(f -> f.set(0, StoicExchangeFilter.create(
        policy().maxAttempts(1).build()))).build();
    Throwable single = assertThrows(Throwable.class, () -> run(answer(once.get().uri("/"))));
    assertInstanceOf(WebClientRequestException.class, single, "one attempt: WebClient's own error");
    assertEquals(1, RetriesExhaustedException.historyOf(single).size());
  }
}
