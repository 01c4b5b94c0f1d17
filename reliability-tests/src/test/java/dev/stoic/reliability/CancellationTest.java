package dev.stoic.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.Decision;
import dev.stoic.RetryBudget;
import dev.stoic.RetryEvent;
import dev.stoic.RetryPolicy;
import dev.stoic.reliability.testing.Clients;
import dev.stoic.reliability.testing.CountingClock;
import dev.stoic.reliability.testing.Lane;
import dev.stoic.reliability.testing.Leaks;
import dev.stoic.reliability.testing.Outcome;
import dev.stoic.reliability.testing.Report;
import dev.stoic.reliability.testing.Req;
import dev.stoic.reliability.testing.Server;
import dev.stoic.reliability.testing.ThreadCensus;
import dev.stoic.reliability.testing.WarmUp;
import dev.stoic.testing.Properties;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 500 calls, each cancelled at a random point: before it starts, while an attempt waits for a
 * server that does not answer, or while Stoic waits to retry; at the first or second attempt, and
 * a random few milliseconds after reaching that point. In every lane: OkHttp's {@code
 * Call.cancel()} for the interceptor and the call factory, execute and enqueue; an interrupt of
 * the thread in {@code StoicHttpClient.send}; {@code cancel(true)} on the future of {@code
 * sendAsync}.
 *
 * <p>Each call must end within {@link #PROMPT} of its cancel, as the caller sees it (a latch, the
 * call's outcome future); no attempt may reach the server after the cancel (the server counts the
 * arrivals of each call, and the check runs once nothing is left waiting on the clock); listeners
 * must hear of the end exactly once; and a thread interrupted in {@code send} must come back with
 * its interrupt flag set. The latencies
 * are reported as percentiles.
 */
@Timeout(180)
class CancellationTest {
  static final int CALLS = 500;
  static final int CONCURRENT = 32;
  /** Generous for a loaded CI machine; the report shows what it really takes. */
  static final Duration PROMPT = Duration.ofMillis(500);

  /** Where a call is cancelled. */
  enum Point { BEFORE_START, DURING_ATTEMPT, DURING_WAIT }

  record Plan(int index, Lane lane, String method, Point point, int attempt, long delayNanos) {
    String id() {
      return "cancel-" + index;
    }

    /** Arrivals the server may see: the attempts before the cancel, the one in flight included. */
    int allowedArrivals() {
      if (point != Point.BEFORE_START) return attempt;
      // sendAsync hands back its future only once the first attempt has started.
      return lane == Lane.JDK_SEND_ASYNC ? 1 : 0;
    }
  }

  final Map<String, CountDownLatch> reachedPoint = new ConcurrentHashMap<>();
  final Map<String, Plan> plans = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> endEvents = new ConcurrentHashMap<>();

  @BeforeAll
  static void warmUp() throws Exception {
    WarmUp.once();
  }

  @Test
  void fiveHundredCallsCancelledAtRandomPointsEndPromptlyAndSendNothingMore() throws Exception {
    SplittableRandom random = new SplittableRandom(Properties.seed() ^ 0xCA4CE1L);
    List<Plan> all = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      Point point = Point.values()[random.nextInt(Point.values().length)];
      int attempt = point == Point.BEFORE_START ? 0 : 1 + random.nextInt(2);
      long maxDelayMillis = point == Point.DURING_WAIT ? 50 : 20;
      Plan plan = new Plan(i, Lane.values()[i % Lane.values().length],
          random.nextBoolean() ? "GET" : "POST", point, attempt,
          random.nextLong(TimeUnit.MILLISECONDS.toNanos(maxDelayMillis) + 1));
      all.add(plan);
      plans.put(plan.id(), plan);
      reachedPoint.put(plan.id(), new CountDownLatch(1));
    }

    ThreadCensus census = ThreadCensus.take();
    CountingClock clock = new CountingClock();
    RetryPolicy policy = RetryPolicy.builder()
        .maxAttempts(5)
        .backoff(Backoff.fixed(Duration.ofMillis(5)))
        .maxRetryAfter(Duration.ofSeconds(2))
        .deadline(Duration.ofSeconds(4))
        .retryBudget(RetryBudget.unlimited())
        .clock(clock)
        .listener(this::onEvent)
        .build();

    // In a method of its own, so that nothing on this frame still holds the clients while the
    // census waits for their threads to end (the JDK client's selector ends once unreachable).
    Measured measured = cancelAll(all, policy, clock);
    List<Long> latencies = measured.latencies();
    Map<Lane, List<Long>> byLane = measured.byLane();
    List<String> problems = measured.problems();
    Map<String, Integer> arrivals = measured.arrivals();
    List<String> okHttpLeaks = measured.okHttpLeaks();
    long jdkOutstanding = measured.jdkOutstanding();
    // A cancel completes the caller's future before it reports the end: give the reports a moment.
    Leaks.await(() -> all.stream().allMatch(plan -> endEvents.containsKey(plan.id())),
        Duration.ofSeconds(5));
    List<String> lateAttempts = new ArrayList<>();
    List<String> endsReported = new ArrayList<>();
    for (Plan plan : all) {
      AtomicInteger ends = endEvents.get(plan.id());
      if (ends == null || ends.get() != 1) endsReported.add(plan + ": " + ends + " end events");
      int arrived = arrivals.get(plan.id());
      if (arrived > plan.allowedArrivals()) {
        lateAttempts.add(plan + ": " + arrived + " arrivals, " + plan.allowedArrivals()
            + " allowed");
      }
    }

    Map<Point, Integer> points = new EnumMap<>(Point.class);
    for (Plan plan : all) points.merge(plan.point(), 1, Integer::sum);
    Report.line("cancellation: seed " + Properties.seed() + "; " + CALLS + " calls cancelled "
        + points + " ("
        + CALLS / Lane.values().length + " per lane); cancel-to-completion latency "
        + Report.percentilesOfMicros(latencies));
    StringBuilder lanes = new StringBuilder("cancellation by lane:");
    byLane.forEach((lane, micros) -> lanes.append(' ').append(lane).append(" [")
        .append(Report.percentilesOfMicros(micros)).append(']'));
    Report.line(lanes.toString());
    StringBuilder points2 = new StringBuilder("cancellation by point:");
    measured.byPoint().forEach((point, micros) -> points2.append(' ').append(point).append(" [")
        .append(Report.percentilesOfMicros(micros)).append(']'));
    Report.line(points2 + "; slowest " + measured.slowest());
    Report.line("cancellation: attempts after the cancel " + lateAttempts.size()
        + "; wrong endings " + problems.size() + "; ends not reported once " + endsReported.size()
        + "; leaks: OkHttp " + okHttpLeaks.size()
        + ", JDK exchanges " + jdkOutstanding);

    assertEquals(List.of(), problems, "calls that did not end promptly and as cancelled");
    assertEquals(List.of(), lateAttempts, "attempts that reached the server after the cancel");
    assertEquals(List.of(), endsReported, "calls whose end was not reported exactly once");
    assertEquals(List.of(), okHttpLeaks, "OkHttp leaks");
    assertEquals(0, jdkOutstanding, "JDK exchanges still outstanding");
    ThreadCensus.Settled threads = census.settle(Duration.ofSeconds(15));
    Report.line("cancellation: " + threads);
    assertEquals(List.of(), threads.leftOver(), "threads left running");
  }

  record Measured(List<Long> latencies, Map<Lane, List<Long>> byLane,
      Map<Point, List<Long>> byPoint, List<Slow> slowest, List<String> problems,
      Map<String, Integer> arrivals, List<String> okHttpLeaks, long jdkOutstanding) {}

  record Slow(long micros, Plan plan) {
    @Override
    public String toString() {
      return plan.lane() + " " + plan.method() + " " + plan.point() + " " + plan.attempt() + ": "
          + micros / 1000 + " ms";
    }
  }

  private Measured cancelAll(List<Plan> all, RetryPolicy policy, CountingClock clock)
      throws Exception {
    List<Long> latencies = new ArrayList<>();
    Map<Lane, List<Long>> byLane = new EnumMap<>(Lane.class);
    Map<Point, List<Long>> byPoint = new EnumMap<>(Point.class);
    List<Slow> slowest = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Map<String, Integer> arrivals = new ConcurrentHashMap<>();
    try (Server server = Server.start(this::answer);
        Clients clients = new Clients(false);
        Leaks.OkHttpWatch watch = new Leaks.OkHttpWatch()) {
      Clients.Stoic stoic = clients.with(policy);
      // A thread of its own per blocking call, so that an interrupt can never reach another call.
      Executor ownThread = task -> {
        Thread thread = new Thread(task, "cancellation-caller");
        thread.setDaemon(true);
        thread.start();
      };
      ExecutorService controllers = Executors.newFixedThreadPool(CONCURRENT);
      try {
        List<Future<Outcome>> futures = new ArrayList<>();
        for (Plan plan : all) {
          Req req = Req.of(plan.id(), plan.method(), server.url(path(plan)).toString());
          futures.add(controllers.submit(() -> cancelAt(plan, clients, stoic, req, ownThread)));
        }
        for (int i = 0; i < all.size(); i++) {
          Plan plan = all.get(i);
          Outcome outcome = futures.get(i).get();
          long latency = outcome.endNanos() - cancelTime.get(plan.id());
          latencies.add(TimeUnit.NANOSECONDS.toMicros(latency));
          byLane.computeIfAbsent(plan.lane(), l -> new ArrayList<>())
              .add(TimeUnit.NANOSECONDS.toMicros(latency));
          byPoint.computeIfAbsent(plan.point(), p -> new ArrayList<>())
              .add(TimeUnit.NANOSECONDS.toMicros(latency));
          slowest.add(new Slow(TimeUnit.NANOSECONDS.toMicros(latency), plan));
          String problem = check(plan, outcome, latency);
          if (problem != null) problems.add(plan + ": " + problem);
        }
      } finally {
        controllers.shutdownNow();
      }
      // Nothing left that could start an attempt: no sync wait, no scheduled retry.
      assertTrue(Leaks.await(clock::idle, Duration.ofSeconds(5)), "waits still pending");
      for (Plan plan : all) arrivals.put(plan.id(), server.arrivals(plan.id()));
      slowest.sort((a, b) -> Long.compare(b.micros(), a.micros()));
      return new Measured(latencies, byLane, byPoint, slowest.subList(0, 3), problems, arrivals,
          Leaks.okHttpLeaks(clients.okhttp, watch, server.url("/probe").toString()),
          Leaks.jdkOutstandingExchanges(clients.jdk));
    }
  }

  final Map<String, Long> cancelTime = new ConcurrentHashMap<>();

  private Outcome cancelAt(Plan plan, Clients clients, Clients.Stoic stoic, Req req,
      Executor ownThread) throws Exception {
    Clients.Running running =
        clients.start(plan.lane(), stoic, req, ownThread, plan.point() == Point.BEFORE_START);
    if (plan.point() != Point.BEFORE_START) {
      if (!reachedPoint.get(plan.id()).await(5, TimeUnit.SECONDS)) {
        throw new AssertionError(plan + " never reached its cancel point: "
            + running.outcome.getNow(null));
      }
      LockSupport.parkNanos(plan.delayNanos());
      running.cancel();
    }
    Outcome outcome;
    try {
      outcome = running.outcome.get(PROMPT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(plan + " did not end within 5 s of its cancel", e);
    }
    cancelTime.put(plan.id(), running.cancelNanos());
    return outcome;
  }

  /** Returns what is wrong with how the call ended, or null. */
  private static String check(Plan plan, Outcome outcome, long latencyNanos) {
    if (latencyNanos > PROMPT.toNanos()) {
      return "ended " + TimeUnit.NANOSECONDS.toMillis(latencyNanos) + " ms after the cancel";
    }
    Throwable failure = outcome.failure();
    switch (plan.lane()) {
      case JDK_SEND:
        if (!(failure instanceof InterruptedException)) return "ended with " + outcome;
        if (!outcome.interruptFlag()) return "the interrupt flag was cleared";
        return null;
      case JDK_SEND_ASYNC:
        return failure instanceof CancellationException ? null : "ended with " + outcome;
      default:
        return failure instanceof IOException ? null : "ended with " + outcome;
    }
  }

  /** /cancel/{index}/{point}/{attempt} */
  private static String path(Plan plan) {
    return "/cancel/" + plan.index() + "/" + plan.point() + "/" + plan.attempt();
  }

  /**
   * Before the cancel point: 429 without a hint (retried for any method, after 5 ms). At an
   * attempt cancel point, and for a call cancelled before it started: no answer for 5 s. At a
   * wait cancel point: 429 with Retry-After: 1, so that Stoic waits a second. After it: 200, which
   * no call should ever get.
   */
  private MockResponse answer(Server.Arrival arrival) {
    Plan plan = plans.get(arrival.requestId());
    if (plan == null) return new MockResponse.Builder().code(200).body("probe").build();
    int attempt = arrival.attempt();
    if (attempt < plan.attempt()) return new MockResponse.Builder().code(429).build();
    if (plan.point() == Point.BEFORE_START) {
      // Only sendAsync's first attempt may get here (it starts before its future can be
      // cancelled): it must not finish before the cancel, so it gets no answer either.
      return new MockResponse.Builder().code(200).body("too late")
          .headersDelay(5, TimeUnit.SECONDS).build();
    }
    if (attempt == plan.attempt() && plan.point() == Point.DURING_ATTEMPT) {
      reachedPoint.get(plan.id()).countDown();
      return new MockResponse.Builder().code(200).body("too late")
          .headersDelay(5, TimeUnit.SECONDS).build();
    }
    if (attempt == plan.attempt() && plan.point() == Point.DURING_WAIT) {
      return new MockResponse.Builder().code(429).addHeader("Retry-After", "1").build();
    }
    return new MockResponse.Builder().code(200).body("too late").build();
  }

  /** Counts each call's end events; finds the wait cancel point: a retry after the planned 429. */
  private void onEvent(RetryEvent event) {
    String url = event.url();
    int start = url.indexOf("/cancel/") + "/cancel/".length();
    Plan plan = plans.get("cancel-" + url.substring(start, url.indexOf('/', start)));
    if (event.action() != Decision.Action.RETRY) {
      endEvents.computeIfAbsent(plan.id(), k -> new AtomicInteger()).incrementAndGet();
      return;
    }
    if (plan.point() == Point.DURING_WAIT && event.attempt() == plan.attempt()) {
      reachedPoint.get(plan.id()).countDown();
    }
  }
}
