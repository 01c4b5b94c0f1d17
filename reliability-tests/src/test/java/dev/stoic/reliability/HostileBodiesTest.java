package dev.stoic.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.Decision;
import dev.stoic.RetryBudget;
import dev.stoic.RetryEvent;
import dev.stoic.RetryPolicy;
import dev.stoic.reliability.testing.Clients;
import dev.stoic.reliability.testing.HostileBodyServer;
import dev.stoic.reliability.testing.HostileBodyServer.Body;
import dev.stoic.reliability.testing.HostileServer;
import dev.stoic.reliability.testing.Lane;
import dev.stoic.reliability.testing.Leaks;
import dev.stoic.reliability.testing.Outcome;
import dev.stoic.reliability.testing.Report;
import dev.stoic.reliability.testing.Req;
import dev.stoic.reliability.testing.ThreadCensus;
import dev.stoic.reliability.testing.WarmUp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue #20: a 503 whose body is slow (300 KB at 1 KB per 100 ms), endless (chunked, never
 * finished), huge (20 MB at full speed) or stalled after its headers, then a 200, in all six
 * lanes. Stoic discards each 503 body; a discard may read a little but must never hold the call:
 *
 * <ul>
 *   <li>every call gets the 200, and ends within its deadline plus a small slack;
 *   <li>no response or connection leaks (OkHttp's pool and leak warnings, the JDK client's count
 *       of outstanding exchanges, the bodies given to the JDK caller's handler), and every thread
 *       the run started ends.
 * </ul>
 *
 * <p>Before the fix, the JDK adapter read every retried body to its end: the slow body held
 * {@code send} and {@code sendAsync} about 30 s and they ended in an IOException, and the endless
 * one held them for good.
 */
@Timeout(120)
class HostileBodiesTest {
  static final Duration DEADLINE = Duration.ofSeconds(2);
  /** How late a call may end after its deadline: timers and threads on a loaded machine. */
  static final Duration SLACK = Duration.ofMillis(500);
  static final int ROUNDS = 2;

  @BeforeAll
  static void warmUp() throws Exception {
    WarmUp.once();
  }

  record Call(Lane lane, Body body, Outcome outcome, int arrivals) {}

  record Workload(List<Call> calls, List<String> okHttpLeaks, long jdkOutstanding,
      int bodiesGiven, int bodiesFinished, int abandoned, int finished, int connections) {}

  @Test
  void hostileRetriedBodiesNeverHoldACallPastItsDeadlineInAnyLane() throws Exception {
    ThreadCensus census = ThreadCensus.take();
    long started = System.nanoTime();
    Workload workload = workload();
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000L;
    ThreadCensus.Settled threads = census.settle(Duration.ofSeconds(15));

    List<String> wrong = new ArrayList<>();
    List<String> late = new ArrayList<>();
    for (Call call : workload.calls()) {
      Outcome outcome = call.outcome();
      if (!outcome.isResponse() || outcome.status() != 200 || call.arrivals() != 2) {
        wrong.add(call.body() + " " + outcome + " after " + call.arrivals() + " requests");
      }
      if (outcome.elapsedMillis() > DEADLINE.plus(SLACK).toMillis()) {
        late.add(call.body() + " " + outcome);
      }
    }

    for (Lane lane : Lane.values()) {
      Map<Body, Long> longest = new EnumMap<>(Body.class);
      Map<String, Integer> endings = new TreeMap<>();
      for (Call call : workload.calls()) {
        if (call.lane() != lane) continue;
        Outcome outcome = call.outcome();
        longest.merge(call.body(), outcome.elapsedMillis(), Math::max);
        endings.merge(outcome.isResponse() ? "HTTP " + outcome.status()
            : outcome.failure().getClass().getSimpleName(), 1, Integer::sum);
      }
      long max = longest.values().stream().mapToLong(Long::longValue).max().orElse(0);
      Report.line("hostile bodies, " + lane + ": longest call " + max + " ms (deadline "
          + DEADLINE.toMillis() + " ms); longest by 503 body " + longest + "; outcomes "
          + endings);
    }
    Report.line("hostile bodies: " + workload.calls().size() + " calls (" + ROUNDS
        + " rounds x " + Body.values().length + " bodies x " + Lane.values().length
        + " lanes) in " + elapsedMillis + " ms; 503 bodies left unfinished by the client "
        + workload.abandoned() + ", read whole " + workload.finished() + "; connections "
        + workload.connections() + "; leaks: OkHttp " + workload.okHttpLeaks().size()
        + ", JDK exchanges " + workload.jdkOutstanding() + ", JDK bodies unfinished "
        + (workload.bodiesGiven() - workload.bodiesFinished()) + "; " + threads);

    assertEquals(List.of(), wrong, "calls that did not get the 200 after one 503");
    assertEquals(List.of(), late, "calls that ended after their deadline");
    assertEquals(List.of(), workload.okHttpLeaks(), "OkHttp leaks");
    assertEquals(0, workload.jdkOutstanding(), "JDK exchanges still outstanding");
    assertEquals(workload.bodiesGiven(), workload.bodiesFinished(), "JDK bodies never finished");
    assertEquals(List.of(), threads.leftOver(), "threads left running: " + threads);
  }

  /** In a method of its own, so that nothing on the test's frame holds the clients afterwards. */
  private Workload workload() throws Exception {
    AtomicInteger retries = new AtomicInteger();
    RetryPolicy policy = RetryPolicy.builder()
        .maxAttempts(3)
        .backoff(Backoff.none())
        .deadline(DEADLINE)
        .retryBudget(RetryBudget.unlimited())
        .listener(event -> {
          if (event.action() == Decision.Action.RETRY) retries.incrementAndGet();
        })
        .build();
    List<Call> calls = new ArrayList<>();
    try (HostileBodyServer server = HostileBodyServer.start();
        Clients clients = new Clients(false);
        Leaks.OkHttpWatch watch = new Leaks.OkHttpWatch()) {
      Clients.Stoic stoic = clients.with(policy);
      int n = 0;
      for (int round = 0; round < ROUNDS; round++) {
        for (Body body : Body.values()) {
          for (Lane lane : Lane.values()) {
            String id = "body-" + n++;
            Req req = Req.of(id, "GET", server.url("/bodies/" + body + "/" + id));
            Outcome outcome = clients.start(lane, stoic, req, Runnable::run, false)
                .outcome.get(DEADLINE.toMillis() + 10_000, TimeUnit.MILLISECONDS);
            calls.add(new Call(lane, body, outcome, server.arrivals(id)));
          }
        }
      }
      assertEquals(calls.size(), retries.get(), "one retry per call, after its 503");
      return new Workload(calls,
          Leaks.okHttpLeaks(clients.okhttp, watch, server.url(HostileServer.PROBE_PATH)),
          Leaks.jdkOutstandingExchanges(clients.jdk),
          clients.jdkBodies.given.get(), clients.jdkBodies.finished.get(),
          server.abandoned.get(), server.finished.get(), server.connections());
    }
  }
}
