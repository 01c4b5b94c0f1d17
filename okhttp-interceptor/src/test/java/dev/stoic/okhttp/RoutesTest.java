package dev.stoic.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.RetryBudget;
import dev.stoic.RetryPolicy;
import dev.stoic.RetryRoutes;
import dev.stoic.okhttp.testing.Harness;
import dev.stoic.okhttp.testing.Mode;
import dev.stoic.okhttp.testing.Reply;
import dev.stoic.testing.Budgets;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each kind of route, and a policy tagged on one request, through the interceptor and the call
 * factory, each with execute() and enqueue(): the server counts the attempts each policy allows.
 */
class RoutesTest extends Harness {
  /** Budgets large enough not to interfere, except where a test is about the budget. */
  final RetryBudget budget = RetryBudget.perHost(100, 1, 0);
  final RetryPolicy otherwise = policy().maxAttempts(2).retryBudget(budget).build();
  final RetryPolicy payments = otherwise.toBuilder().maxAttempts(4).build();
  final RetryPolicy uploads = RetryPolicy.noRetries();
  final RetryRoutes routes = RetryRoutes.builder()
      .host("payments.test", payments)
      .pathPrefix("/upload/", uploads)
      .otherwise(otherwise)
      .build();
  /** Every host name reaches the test server. */
  OkHttpClient named;

  @BeforeEach
  void everyNameIsTheServer() {
    named = client.newBuilder()
        .dns(host -> List.of(InetAddress.getByName("127.0.0.1")))
        .build();
    server.respondWith(request -> Reply.status(503));
  }

  Request get(String host, String path) {
    return new Request.Builder().url(server.url(path).newBuilder().host(host).build()).build();
  }

  Call call(Mode mode, RetryRoutes table, Request request) {
    if (mode.usesFactory()) return StoicCallFactory.wrap(named, table).newCall(request);
    return named.newBuilder().addInterceptor(StoicInterceptor.create(table)).build()
        .newCall(request);
  }

  /** Runs the call and returns how many requests the server received for it. */
  int attempts(Mode mode, RetryRoutes table, Request request) throws IOException {
    int before = server.requestCount();
    try (Response response = start(mode, call(mode, table, request)).await()) {
      assertEquals(503, response.code());
    }
    return server.requestCount() - before;
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aHostRouteGivesItsHostItsPolicy(Mode mode) throws IOException {
    assertEquals(4, attempts(mode, routes, get("payments.test", "/charges")));
    assertEquals(4, attempts(mode, routes, get("PAYMENTS.test", "/charges")));
    assertEquals(2, attempts(mode, routes, get("api.test", "/charges")));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aPathPrefixRouteGivesItsPathsTheirPolicyOnEveryHost(Mode mode) throws IOException {
    assertEquals(1, attempts(mode, routes, get("api.test", "/upload/photo.jpg")));
    assertEquals(1, attempts(mode, routes, get("files.test", "/upload/")));
    assertEquals(2, attempts(mode, routes, get("api.test", "/uploads/photo.jpg")));
    // The payments host route comes first, so it wins over the prefix on that host.
    assertEquals(4, attempts(mode, routes, get("payments.test", "/upload/receipt.pdf")));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void otherwiseTakesWhatNoRouteMatches(Mode mode) throws IOException {
    assertEquals(2, attempts(mode, routes, get("127.0.0.1", "/items")));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aPolicyTaggedOnARequestOverridesItsRoute(Mode mode) throws IOException {
    RetryPolicy three = otherwise.toBuilder().maxAttempts(3).build();
    Request tagged = get("payments.test", "/charges").newBuilder()
        .tag(RetryPolicy.class, three).build();
    assertEquals(3, attempts(mode, routes, tagged));
    Request noRetries = get("api.test", "/items").newBuilder()
        .tag(RetryPolicy.class, RetryPolicy.noRetries()).build();
    assertEquals(1, attempts(mode, routes, noRetries));
    // On an adapter made with one policy too.
    OkHttpClient single = named.newBuilder()
        .addInterceptor(StoicInterceptor.create(otherwise)).build();
    Call call = mode.usesFactory()
        ? StoicCallFactory.wrap(named, otherwise).newCall(noRetries)
        : single.newCall(noRetries);
    int before = server.requestCount();
    start(mode, call).await().close();
    assertEquals(1, server.requestCount() - before);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  @SuppressWarnings({"unchecked", "rawtypes"})
  void aTagOfTheWrongTypeIsIgnoredWithADebugLog(Mode mode) throws IOException {
    Logger logger = Logger.getLogger("dev.stoic.okhttp");
    List<String> logged = new CopyOnWriteArrayList<>();
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        logged.add(record.getLevel() + " " + record.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Level level = logger.getLevel();
    logger.setLevel(Level.ALL);
    logger.addHandler(handler);
    try {
      // Only raw types can put something else under RetryPolicy.class, and only OkHttp 5 lets
      // them: 4.12 checks the type as the tag is set.
      Request.Builder builder = get("payments.test", "/charges").newBuilder();
      try {
        builder.tag((Class) RetryPolicy.class, "three attempts, please");
      } catch (ClassCastException refusedByOkHttp) {
        Assumptions.abort("this OkHttp refuses a tag of the wrong type itself");
      }
      assertEquals(4, attempts(mode, routes, builder.build()), "the route's policy");
    } finally {
      logger.removeHandler(handler);
      logger.setLevel(level);
    }
    assertEquals(1, logged.stream().filter(line -> line.startsWith("FINE ignoring the request's"
        + " RetryPolicy tag, which is not a RetryPolicy")).count(), logged.toString());
    assertTrue(logged.stream().noneMatch(line -> line.contains("three attempts")),
        "the tag's value is not logged");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void routesAndTagsSpendTheOneBudgetOfTheClient(Mode mode) throws IOException {
    // Two retries of budget per host, for every route and tag of this client, once retries to
    // the host stopped working (no floor, so the bucket alone pays).
    RetryBudget twoTokens = RetryBudget.perHost(2, 1, 0).minRetriesPerSecond(0);
    Budgets.failedRetries(twoTokens, "api.test", 100);
    RetryPolicy base = policy().maxAttempts(5).retryBudget(twoTokens).build();
    RetryRoutes small = RetryRoutes.builder()
        .pathPrefix("/a/", base.toBuilder().build())
        .pathPrefix("/b/", RetryPolicy.builder().backoff(Backoff.fixed(Duration.ofMillis(10)))
            .build())
        .otherwise(base)
        .build();
    assertSame(base.retryBudget(), small.retryBudget());
    StoicCallFactory factory = StoicCallFactory.wrap(named, small);
    OkHttpClient intercepted = named.newBuilder().addInterceptor(StoicInterceptor.create(small))
        .build();
    assertEquals(3, attemptsOn(mode, factory, intercepted, get("api.test", "/a/1")));
    assertEquals(1, attemptsOn(mode, factory, intercepted, get("api.test", "/b/1")),
        "the /b/ route's own budget is not used: the client's is spent");
    Request tagged = get("api.test", "/c").newBuilder().tag(RetryPolicy.class,
        RetryPolicy.builder().retryBudget(RetryBudget.unlimited()).build()).build();
    assertEquals(1, attemptsOn(mode, factory, intercepted, tagged));
    assertEquals(2.0, base.retryBudget().available("other.test"));
  }

  private int attemptsOn(Mode mode, StoicCallFactory factory, OkHttpClient intercepted,
      Request request) throws IOException {
    int before = server.requestCount();
    Call call = mode.usesFactory() ? factory.newCall(request) : intercepted.newCall(request);
    start(mode, call).await().close();
    return server.requestCount() - before;
  }

  @Test
  void theAdaptersTellTheirRoutes() {
    assertSame(routes, StoicInterceptor.create(routes).routes());
    assertSame(otherwise, StoicInterceptor.create(routes).policy());
    assertSame(routes, StoicCallFactory.wrap(named, routes).routes());
    assertSame(otherwise, StoicInterceptor.create(otherwise).routes().otherwise());
  }
}
