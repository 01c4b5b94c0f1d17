package dev.stoic.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.stoic.Backoff;
import dev.stoic.RetryBudget;
import dev.stoic.RetryPolicy;
import dev.stoic.RetryRoutes;
import dev.stoic.spi.CallInfo;
import dev.stoic.testing.Budgets;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.ScriptedTransport;
import dev.stoic.testing.VirtualClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** How an adapter picks an executor per call: by route or by the caller's policy, one budget. */
class RoutingTest {
  final VirtualClock clock = new VirtualClock();
  /** Two retries of budget per host, so a test can watch it run out. */
  /** Two tokens, no floor: what a retry costs once retries to a host stop working. */
  final RetryBudget clientBudget = RetryBudget.perHost(2, 1, 0).minRetriesPerSecond(0);
  final RetryPolicy otherwise = RetryPolicy.builder()
      .clock(clock).backoff(Backoff.none()).retryBudget(clientBudget).build();
  /** Built on their own, so each has a budget of its own, which routing must not use. */
  final RetryPolicy api = RetryPolicy.builder().clock(clock).backoff(Backoff.none()).build();
  final RetryPolicy upload = RetryPolicy.builder().clock(clock).backoff(Backoff.none()).build();
  final Routing routing = new Routing(RetryRoutes.builder()
      .host("api.example.com", api)
      .pathPrefix("/upload/", upload)
      .host("other.example.com", api)
      .otherwise(otherwise)
      .build());

  @Test
  void eachRouteHasOneExecutorMadeUpFrontAndReused() {
    RetryExecutor apiExecutor = routing.route("api.example.com", "/x");
    assertSame(api, apiExecutor.policy());
    assertSame(apiExecutor, routing.route("API.example.com", "/y"));
    assertSame(apiExecutor, routing.route("other.example.com", "/"), "one policy, one executor");
    assertSame(upload, routing.route("files.example.com", "/upload/a").policy());
    assertSame(otherwise, routing.route("files.example.com", "/download/a").policy());
    assertSame(apiExecutor, routing.executor(api), "a tag naming a route's policy");
    assertSame(routing.route("x", "/"), routing.executor(otherwise));
  }

  @Test
  void aPolicyNamedForARequestGetsOneExecutorToo() {
    RetryPolicy tagged = RetryPolicy.builder().maxAttempts(2).build();
    RetryExecutor first = routing.executor(tagged);
    assertSame(tagged, first.policy());
    assertSame(first, routing.executor(tagged));
  }

  @Test
  void policiesBeyondTheLimitGetAnExecutorPerCallSoMemoryStaysBounded() {
    List<RetryPolicy> many = new ArrayList<>();
    for (int i = 0; i < Routing.MAX_REMEMBERED; i++) {
      RetryPolicy p = RetryPolicy.builder().build();
      many.add(p);
      routing.executor(p);
    }
    for (RetryPolicy p : many) assertSame(routing.executor(p), routing.executor(p));
    RetryPolicy oneTooMany = RetryPolicy.builder().build();
    RetryExecutor a = routing.executor(oneTooMany);
    assertNotSame(a, routing.executor(oneTooMany));
    assertSame(oneTooMany, a.policy());
    assertSame(clientBudget, a.budget);
  }

  @ParameterizedTest
  @EnumSource(ScriptedTransport.Mode.class)
  void routesAndRequestPoliciesSpendTheOneBudgetOfTheClient(ScriptedTransport.Mode mode)
      throws Exception {
    String host = "api.example.com";
    CallInfo get = CallInfo.builder("GET", "https://" + host + "/items").build();
    Budgets.failedRetries(clientBudget, host, 100); // an outage so far
    // Two failed retries through the api route spend the client's two tokens for this host...
    assertEquals(503, run(mode, routing.route(host, "/items"), get, 503, 503, 503));
    assertEquals(0.0, clientBudget.available(host));
    assertEquals(20.0, api.retryBudget().available(host), "the route policy's own budget");
    // ...so the upload route, and a policy named for one request, find it spent on that host.
    CallInfo upload = CallInfo.builder("GET", "https://" + host + "/upload/a").build();
    assertEquals(503, run(mode, routing.route(host, "/upload/a"), upload, 503));
    RetryPolicy tagged = RetryPolicy.builder().clock(clock).backoff(Backoff.none())
        .retryBudget(RetryBudget.unlimited()).build();
    assertEquals(503, run(mode, routing.executor(tagged), get, 503));
    // Another host has its own bucket.
    CallInfo elsewhere = CallInfo.builder("GET", "https://files.example.com/upload/a").build();
    assertEquals(200, run(mode, routing.route("files.example.com", "/upload/a"), elsewhere,
        503, 200));
  }

  @Test
  void aRoutingOfOnePolicyKeepsThatPolicysOwnBudget() {
    Routing single = Routing.of(api);
    assertSame(api.retryBudget(), single.budget());
    assertSame(api, single.route("anything", "/").policy());
  }

  private int run(ScriptedTransport.Mode mode, RetryExecutor executor, CallInfo call,
      int... statuses) throws Exception {
    Object[] script = new Object[statuses.length];
    for (int i = 0; i < statuses.length; i++) script[i] = FakeResponse.of(statuses[i]);
    ScriptedTransport transport = new ScriptedTransport(script);
    FakeResponse response;
    if (mode == ScriptedTransport.Mode.SYNC) {
      response = transport.execute(executor, call);
    } else {
      var future = transport.start(executor, call);
      clock.runAll();
      response = future.get();
    }
    assertEquals(statuses.length, transport.attempts.size(), "attempts");
    return response.status;
  }
}
