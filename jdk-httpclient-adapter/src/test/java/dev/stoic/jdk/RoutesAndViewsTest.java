package dev.stoic.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.RetryBudget;
import dev.stoic.RetryPolicy;
import dev.stoic.RetryRoutes;
import dev.stoic.testing.Budgets;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
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
 * Each kind of route, client views, and Stoic clients nested in each other, through send and
 * sendAsync against a real socket that always answers 503: the server counts the attempts.
 */
class RoutesAndViewsTest {
  static final HttpClient JDK = HttpClient.newHttpClient();

  final MockWebServer server = new MockWebServer();
  final RetryBudget budget = RetryBudget.perHost(100, 1, 0);
  final RetryPolicy otherwise = attempts(2).retryBudget(budget).build();
  final RetryRoutes routes = RetryRoutes.builder()
      .host("localhost", otherwise.toBuilder().maxAttempts(4).build())
      .pathPrefix("/upload/", RetryPolicy.noRetries())
      .otherwise(otherwise)
      .build();

  @BeforeEach
  void start() throws IOException {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(503).body("busy").build();
      }
    });
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static RetryPolicy.Builder attempts(int n) {
    return RetryPolicy.builder().maxAttempts(n).backoff(Backoff.fixed(Duration.ofMillis(10)));
  }

  HttpRequest get(String host, String path) {
    return HttpRequest.newBuilder(URI.create("http://" + host + ":" + server.getPort() + path))
        .build();
  }

  /** Sends the request and returns how many requests the server received for it. */
  int attempts(Mode mode, HttpClient client, HttpRequest request) throws Exception {
    int before = server.getRequestCount();
    assertEquals(503, mode.call(client, request, BodyHandlers.ofString()).statusCode());
    return server.getRequestCount() - before;
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aHostRouteGivesItsHostItsPolicy(Mode mode) throws Exception {
    StoicHttpClient client = StoicHttpClient.wrap(JDK, routes);
    assertEquals(4, attempts(mode, client, get("localhost", "/items")));
    assertEquals(4, attempts(mode, client, get("LocalHost", "/items")));
    assertEquals(2, attempts(mode, client, get("127.0.0.1", "/items")));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aPathPrefixRouteGivesItsPathsTheirPolicyOnEveryHost(Mode mode) throws Exception {
    StoicHttpClient client = StoicHttpClient.wrap(JDK, routes);
    assertEquals(1, attempts(mode, client, get("127.0.0.1", "/upload/a.jpg")));
    assertEquals(2, attempts(mode, client, get("127.0.0.1", "/uploads/a.jpg")));
    assertEquals(4, attempts(mode, client, get("localhost", "/upload/a.jpg")), "host first");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void otherwiseTakesWhatNoRouteMatches(Mode mode) throws Exception {
    assertEquals(2, attempts(mode, StoicHttpClient.wrap(JDK, routes), get("127.0.0.1", "/")));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aViewFollowsItsPolicyOnEveryRouteOnTheSameDelegate(Mode mode) throws Exception {
    StoicHttpClient client = StoicHttpClient.wrap(JDK, routes);
    RetryPolicy three = otherwise.toBuilder().maxAttempts(3).build();
    StoicHttpClient view = client.withPolicy(three);
    assertEquals(3, attempts(mode, view, get("localhost", "/items")));
    assertEquals(3, attempts(mode, view, get("127.0.0.1", "/upload/a.jpg")));
    assertSame(three, view.policy());
    assertSame(JDK, view.delegate());
    assertSame(routes, view.routes());
    StoicHttpClient none = view.withPolicy(RetryPolicy.noRetries());
    assertEquals(1, attempts(mode, none, get("localhost", "/items")));
    assertEquals(4, attempts(mode, client, get("localhost", "/items")), "the client is unchanged");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void routesAndViewsSpendTheOneBudgetOfTheClient(Mode mode) throws Exception {
    // Two retries of budget per host once retries to it stopped working (no floor: the bucket pays).
    RetryBudget twoTokens = RetryBudget.perHost(2, 1, 0).minRetriesPerSecond(0);
    Budgets.failedRetries(twoTokens, "127.0.0.1", 100);
    RetryPolicy base = attempts(5).retryBudget(twoTokens).build();
    StoicHttpClient client = StoicHttpClient.wrap(JDK, RetryRoutes.builder()
        .pathPrefix("/a/", base.toBuilder().build())
        .pathPrefix("/b/", attempts(5).build())
        .otherwise(base)
        .build());
    assertEquals(3, attempts(mode, client, get("127.0.0.1", "/a/1")));
    assertEquals(1, attempts(mode, client, get("127.0.0.1", "/b/1")));
    StoicHttpClient view = client.withPolicy(attempts(5).retryBudget(RetryBudget.unlimited())
        .build());
    assertEquals(1, attempts(mode, view, get("127.0.0.1", "/c")), "the view spends the client's");
    assertEquals(5, attempts(mode, StoicHttpClient.wrap(JDK, attempts(5).build()),
        get("127.0.0.1", "/c")), "another client has a budget of its own");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aStoicClientInsideAnotherSendsEachOuterAttemptOnce(Mode mode) throws Exception {
    StoicHttpClient inner = StoicHttpClient.wrap(JDK, attempts(2).build());
    assertEquals(5, attempts(mode, StoicHttpClient.wrap(inner, attempts(5).build()),
        get("127.0.0.1", "/")));
    assertEquals(2, attempts(mode,
        StoicHttpClient.wrap(StoicHttpClient.wrap(JDK, attempts(5).build()), attempts(2).build()),
        get("127.0.0.1", "/")));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aViewOrARoutingClientInsideAnotherPassesThrough(Mode mode) throws Exception {
    StoicHttpClient view = StoicHttpClient.wrap(JDK, routes).withPolicy(attempts(4).build());
    assertEquals(3, attempts(mode, StoicHttpClient.wrap(view, attempts(3).build()),
        get("localhost", "/")));
    assertEquals(3, attempts(mode, StoicHttpClient.wrap(StoicHttpClient.wrap(JDK, routes),
        attempts(3).build()), get("127.0.0.1", "/upload/a")));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aDecoratorThatPassesTheHandlerOnKeepsTheInnerClientPassingThrough(Mode mode)
      throws Exception {
    RecordingHttpClient between = new RecordingHttpClient(
        StoicHttpClient.wrap(JDK, attempts(4).build()));
    assertEquals(3, attempts(mode, StoicHttpClient.wrap(between, attempts(3).build()),
        get("127.0.0.1", "/")));
    assertEquals(3, between.requests.size());
  }

  @Test
  void aViewShowsItselfAndTheClientItCameFrom() {
    StoicHttpClient client = StoicHttpClient.wrap(JDK, routes);
    assertSame(otherwise, client.policy());
    assertSame(routes, client.routes());
    StoicHttpClient view = client.withPolicy(RetryPolicy.noRetries());
    assertTrue(view.toString().contains("maxAttempts=1"), view.toString());
    assertTrue(client.toString().contains("RetryRoutes"), client.toString());
  }
}
