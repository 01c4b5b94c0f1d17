package dev.stoic.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.Decision;
import dev.stoic.Hedging;
import dev.stoic.RetryBudget;
import dev.stoic.RetryEvent;
import dev.stoic.RetryPolicy;
import dev.stoic.jdk.StoicHttpClient;
import dev.stoic.okhttp.StoicCallFactory;
import dev.stoic.reliability.testing.Clients;
import dev.stoic.reliability.testing.Lane;
import dev.stoic.reliability.testing.Outcome;
import dev.stoic.reliability.testing.Req;
import dev.stoic.reliability.testing.Server;
import dev.stoic.reliability.testing.WarmUp;
import dev.stoic.testing.RecordingListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A server that always answers 503 at once, and a deadline shorter than the attempts would take,
 * in every lane: the caller gets the last 503, no wait crosses the deadline, and every attempt
 * the server sees arrives within it. Regression for "JDK adapter: retries are scheduled past the
 * deadline, and the caller gets a timeout instead of the server's answer": the JDK adapter
 * decides from the status and headers before the body is read, and that path decided with the
 * elapsed time of the call's start.
 */
@Timeout(120)
class DeadlineTest {
  static final Duration DEADLINE = Duration.ofMillis(500);

  static Server server;
  static Clients clients;
  static final ExecutorService blocking = Executors.newCachedThreadPool();

  @BeforeAll
  static void start() throws Exception {
    WarmUp.once();
    server = Server.start(arrival -> new MockResponse.Builder().code(503).body("busy").build());
    clients = new Clients(false);
  }

  @AfterAll
  static void stop() {
    clients.close();
    server.close();
    blocking.shutdownNow();
  }

  static Stream<Arguments> lanes() {
    return Stream.of(Lane.values()).flatMap(lane -> lane.isOkHttp() && !lane.usesFactory()
        ? Stream.of(Arguments.of(lane, false)) // the interceptor does not hedge
        : Stream.of(Arguments.of(lane, false), Arguments.of(lane, true)));
  }

  /**
   * A deadline of 1 s and fixed waits of 400 ms: attempts near 0, 400 and 800 ms, then a wait
   * that would cross. The last attempt has about 200 ms to answer (a new connection included),
   * time enough on a loaded machine.
   */
  @ParameterizedTest(name = "{0}, hedged={1}")
  @MethodSource("lanes")
  void theLast503IsReturnedWithinTheDeadline(Lane lane, boolean hedged) throws Exception {
    RecordingListener events = new RecordingListener();
    RetryPolicy.Builder policy = RetryPolicy.builder()
        .maxAttempts(10)
        .backoff(Backoff.fixed(Duration.ofMillis(400)))
        .deadline(Duration.ofSeconds(1))
        .retryBudget(RetryBudget.unlimited())
        .listener(events);
    if (hedged) policy.hedging(Hedging.after(Duration.ofMillis(400)));
    String id = "fixed-" + lane + "-" + hedged;

    Outcome outcome = run(lane, policy.build(), id, hedged);

    assertAnsweredWithinTheDeadline(outcome, events, id, Duration.ofSeconds(1));
    assertTrue(server.arrivals(id) >= 3, "attempts: " + server.arrivals(id));
  }

  /**
   * The issue's own policy: exponential waits from 200 ms capped at 200 ms, with the default
   * (equal) jitter, its draw fixed at 0.7 so that every wait is 170 ms: attempts near 0, 170 and
   * 340 ms, and the last one has about 150 ms to answer.
   */
  @ParameterizedTest
  @EnumSource(Lane.class)
  void theIssuesPolicyReturnsTheLast503(Lane lane) throws Exception {
    RecordingListener events = new RecordingListener();
    RetryPolicy policy = RetryPolicy.builder()
        .maxAttempts(10)
        .backoff(Backoff.exponential(Duration.ofMillis(200), Duration.ofMillis(200)))
        .random(() -> 0.7)
        .deadline(DEADLINE)
        .listener(events)
        .build();
    String id = "issue-" + lane;

    Outcome outcome = run(lane, policy, id, false);

    assertAnsweredWithinTheDeadline(outcome, events, id, DEADLINE);
  }

  private static Outcome run(Lane lane, RetryPolicy policy, String id, boolean hedged)
      throws Exception {
    Req req = Req.of(id, "GET", server.url("/always-busy").toString());
    Clients.Stoic stoic = hedged // the interceptor refuses a hedging policy
        ? new Clients.Stoic(null, StoicCallFactory.wrap(clients.okhttp, policy),
            StoicHttpClient.wrap(clients.jdk, policy))
        : clients.with(policy);
    return clients.start(lane, stoic, req, blocking, false).outcome.get(10, TimeUnit.SECONDS);
  }

  private static void assertAnsweredWithinTheDeadline(
      Outcome outcome, RecordingListener events, String id, Duration deadline) {
    List<RetryEvent> decided = events.events;
    assertNull(outcome.failure(), () -> "the caller got " + outcome.failure() + "; " + decided);
    assertEquals(503, outcome.status(), decided::toString);
    RetryEvent last = decided.get(decided.size() - 1);
    assertEquals(Decision.Action.GIVE_UP, last.action(), decided::toString);
    assertTrue(last.reason().contains("deadline"), last::reason);
    for (RetryEvent event : decided) {
      if (event.action() == Decision.Action.RETRY) {
        assertTrue(event.elapsed().plus(event.waitTime()).compareTo(deadline) < 0,
            () -> "a wait crosses the deadline: " + event);
      }
    }
    long retries = decided.stream().filter(e -> e.action() == Decision.Action.RETRY).count();
    assertEquals(retries + 1, server.arrivals(id), "every attempt reached the server: " + decided);
  }
}
