package dev.stoic.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.Decision;
import dev.stoic.IdempotencyKey;
import dev.stoic.RetryBudget;
import dev.stoic.RetryEvent;
import dev.stoic.RetryPolicy;
import dev.stoic.reliability.testing.Clients;
import dev.stoic.reliability.testing.HostileServer;
import dev.stoic.reliability.testing.HostileServer.Fault;
import dev.stoic.reliability.testing.Lane;
import dev.stoic.reliability.testing.Leaks;
import dev.stoic.reliability.testing.Outcome;
import dev.stoic.reliability.testing.Report;
import dev.stoic.reliability.testing.Req;
import dev.stoic.reliability.testing.Server;
import dev.stoic.reliability.testing.ThreadCensus;
import dev.stoic.reliability.testing.WarmUp;
import dev.stoic.testing.Properties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAccumulator;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Thousands of logical calls through both adapters, sync and async, against a {@link
 * HostileServer} that drops connections before and after processing, answers 503 and 429 with
 * every kind of Retry-After, answers slowly, too slowly and 500. Whatever happens:
 *
 * <ul>
 *   <li>no POST without an idempotency key is executed twice;
 *   <li>a POST with a generated key carries one key on every attempt, no two calls share one, and
 *       it is executed at most once (the server deduplicates by key and counts what it absorbed);
 *   <li>every call ends, within its deadline, with a response or an IOException and nothing else,
 *       and listeners hear of its end (RETURN or GIVE_UP) exactly once;
 *   <li>no response or connection leaks, and every thread the run started ends.
 * </ul>
 *
 * <p>The OkHttp client runs with {@code retryOnConnectionFailure(false)}, so that every re-send
 * in the ledger is one of Stoic's own attempts. With OkHttp's default, OkHttp itself re-sends
 * some dropped requests inside one attempt; for keyless POSTs Stoic's one-shot guard prevents
 * that, which {@link ProcessedThenDroppedTest} proves lane by lane on a default client.
 *
 * <p>Seeded: the server's choices depend only on {@code -Dstoic.seed} (see {@link Properties}),
 * the call's id and the attempt number.
 */
@Timeout(240)
class ChaosTest {
  static final Duration DEADLINE = Duration.ofMillis(2_500);
  /** How late a call may end after its deadline: timers and threads on a loaded CI machine. */
  static final Duration LATENESS = Duration.ofMillis(500);
  static final int WORKERS = 24;
  static final String HOST = "127.0.0.1";

  enum Kind { GET, PUT, KEYED_POST, KEYLESS_POST }

  @BeforeAll
  static void warmUp() throws Exception {
    WarmUp.once();
  }

  @Test
  void twoThousandFourHundredHostileCallsDuplicateNothingLeakNothingAndKeepTheirDeadlines()
      throws Exception {
    // Every call meets faults on purpose: an unlimited budget lets each retry as far as the
    // policy allows, which is what gives duplicates a chance to happen.
    run("chaos", 2_400, RetryBudget.unlimited());
  }

  @Test
  void underTheDefaultBudgetTheBudgetStaysWithinItsBoundsAndStopsRetries() throws Exception {
    RetryBudget budget = RetryBudget.perHost();
    double capacity = budget.available(HOST);
    DoubleAccumulator min = new DoubleAccumulator(Math::min, capacity);
    DoubleAccumulator max = new DoubleAccumulator(Math::max, capacity);
    AtomicInteger samples = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    Thread monitor = new Thread(() -> {
      while (!stop.get()) {
        double available = budget.available(HOST);
        min.accumulate(available);
        max.accumulate(available);
        samples.incrementAndGet();
        LockSupport.parkNanos(200_000);
      }
    }, "budget-monitor");
    monitor.start();
    Result result;
    try {
      result = run("chaos-budget", 600, budget);
    } finally {
      stop.set(true);
      monitor.join();
    }
    Report.line("chaos-budget: RetryBudget.perHost() sampled " + samples.get() + " times: min "
        + min.get() + ", max " + max.get() + " of capacity " + capacity + "; final "
        + budget.available(HOST) + "; retries " + result.retries + ", refused by the budget "
        + result.budgetRefusals + ", successes " + result.successes);
    assertTrue(min.get() >= 0, "the budget went negative: " + min.get());
    assertTrue(max.get() <= capacity, "the budget went above its capacity: " + max.get());
    assertTrue(result.budgetRefusals > 0, "this workload fails enough to spend the budget");
    // The budget's promise: retries that failed never exceed those made while retries were
    // working, the bucket's tokens and what successes earned, and the floor's 10 a second (a
    // second's worth at once, and the longest backoff of 40 ms). One per lane of slack: calls
    // run concurrently, and another call's outcome may change "working" between a decision and
    // its event.
    long failedRetries = result.retries - result.retriesThatWorked;
    double bound = result.presumed + capacity + 0.1 * result.successes
        + 10 * (result.elapsedMillis / 1000.0 + 1 + 0.04) + Lane.values().length;
    Report.line("chaos-budget: " + failedRetries + " retries failed, " + result.retriesThatWorked
        + " worked, " + result.presumed + " were made while retries were working; bound "
        + String.format(java.util.Locale.ROOT, "%.1f", bound));
    assertTrue(failedRetries <= bound, "failed retries " + failedRetries + " > " + bound);
  }

  record Result(long retries, long budgetRefusals, long successes, long retriesThatWorked,
      long presumed, long elapsedMillis) {}

  private Result run(String name, int calls, RetryBudget budget) throws Exception {
    long seed = Properties.seed() ^ name.hashCode();
    List<Kind> kinds = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < calls; i++) {
      int draw = random.nextInt(100);
      kinds.add(draw < 30 ? Kind.GET : draw < 50 ? Kind.PUT : draw < 75 ? Kind.KEYED_POST
          : Kind.KEYLESS_POST);
    }

    ThreadCensus census = ThreadCensus.take();
    HostileServer hostile = new HostileServer(seed);
    Map<String, AtomicInteger> reasons = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> endEvents = new ConcurrentHashMap<>();
    AtomicInteger retries = new AtomicInteger();
    AtomicInteger retriesThatWorked = new AtomicInteger();
    AtomicInteger presumed = new AtomicInteger();
    RetryPolicy plain = RetryPolicy.builder()
        .maxAttempts(4)
        .backoff(Backoff.exponential(Duration.ofMillis(5), Duration.ofMillis(40)))
        .maxRetryAfter(Duration.ofSeconds(2))
        .deadline(DEADLINE)
        .attemptTimeout(Duration.ofMillis(100))
        .retryBudget(budget)
        .listener(event -> {
          if (event.action() != Decision.Action.RETRY) {
            String url = event.url();
            endEvents.computeIfAbsent(url.substring(url.indexOf("/orders/")),
                k -> new AtomicInteger()).incrementAndGet();
          }
          if (event.action() == Decision.Action.RETRY) {
            retries.incrementAndGet();
            // Decided just now: while retries work they are not limited (nearly so: another
            // call's outcome may have changed that in between).
            if (budget.isEnabled() && budget.retriesWorking(HOST)) presumed.incrementAndGet();
          }
          if (event.action() == Decision.Action.RETURN && event.attempt() > 1) {
            retriesThatWorked.incrementAndGet();
          }
          if (event.action() == Decision.Action.GIVE_UP) {
            reasons.computeIfAbsent(category(event.reason()), k -> new AtomicInteger())
                .incrementAndGet();
          }
        })
        .build();
    RetryPolicy keyed = plain.toBuilder()
        .idempotencyKey(IdempotencyKey.header(HostileServer.KEY_HEADER).autoGenerate())
        .build();

    long started = System.nanoTime();
    // In a method of its own, so that nothing on this frame still holds the clients while the
    // census waits for their threads to end (the JDK client's selector ends once unreachable).
    Workload workload = workload(name, calls, kinds, hostile, plain, keyed);
    List<Outcome> outcomes = workload.outcomes();
    List<String> okHttpLeaks = workload.okHttpLeaks();
    long jdkOutstanding = workload.jdkOutstanding();
    int bodiesGiven = workload.bodiesGiven();
    int bodiesFinished = workload.bodiesFinished();
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000L;
    ThreadCensus.Settled threads = census.settle(Duration.ofSeconds(15));

    // The side-effect ledger.
    int keylessPosts = 0;
    int keyedPosts = 0;
    List<String> duplicates = new ArrayList<>();
    List<String> keyProblems = new ArrayList<>();
    Set<String> keysSeen = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < calls; i++) {
      String id = name + "-" + i;
      Kind kind = kinds.get(i);
      AtomicInteger executed = hostile.executionsById.get(id);
      int executions = executed == null ? 0 : executed.get();
      if (kind == Kind.KEYLESS_POST) {
        keylessPosts++;
        if (executions > 1) duplicates.add(id + " (keyless POST) executed " + executions + " times");
        if (hostile.keysById.containsKey(id)) keyProblems.add(id + " (keyless POST) sent a key");
      }
      if (kind == Kind.KEYED_POST) {
        keyedPosts++;
        if (executions > 1) duplicates.add(id + " (keyed POST) executed " + executions + " times");
        Set<String> keys = hostile.keysById.get(id);
        if (keys == null || keys.size() != 1) keyProblems.add(id + " sent keys " + keys);
        if (keys != null) {
          for (String key : keys) {
            if (!keysSeen.add(key)) keyProblems.add(id + " reused another call's key " + key);
          }
        }
      }
    }

    // Each call reported its end (RETURN or GIVE_UP) to listeners exactly once.
    List<String> endsReported = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      AtomicInteger ends = endEvents.get("/orders/" + i);
      if (ends == null || ends.get() != 1) endsReported.add("/orders/" + i + ": " + ends);
    }

    // How each call ended.
    Map<String, Integer> endings = new TreeMap<>();
    List<String> unexpected = new ArrayList<>();
    List<String> late = new ArrayList<>();
    List<Long> elapsed = new ArrayList<>();
    long successes = 0;
    for (Outcome outcome : outcomes) {
      elapsed.add(outcome.elapsedMillis());
      String ending = outcome.isResponse() ? "HTTP " + outcome.status()
          : outcome.failure().getClass().getSimpleName();
      endings.merge(ending, 1, Integer::sum);
      if (outcome.isResponse() && outcome.status() == 200) successes++;
      if (!outcome.isResponse() && !outcome.isIoFailure()) unexpected.add(outcome.toString());
      if (outcome.elapsedMillis() > DEADLINE.plus(LATENESS).toMillis()) late.add(outcome.toString());
    }

    String faults = hostile.faults.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + " " + e.getValue())
        .collect(Collectors.joining(", "));
    String hints = hostile.hints.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + " " + e.getValue())
        .collect(Collectors.joining(", "));
    Report.line(name + ": seed " + Properties.seed() + " (-Dstoic.seed); " + calls + " calls ("
        + calls / Lane.values().length + " per lane; "
        + keyedPosts + " keyed POSTs, " + keylessPosts + " keyless POSTs) in " + elapsedMillis
        + " ms; " + hostile.arrivals.get() + " requests reached the server; " + retries.get()
        + " retries");
    Report.line(name + ": faults injected: " + faults + "; Retry-After kinds: " + hints);
    Report.line(name + ": endings " + endings + "; call time " + Report.percentiles(elapsed)
        + " (deadline " + DEADLINE.toMillis() + " ms)");
    Report.line(name + ": duplicates " + duplicates.size() + " (keyed attempts absorbed by the"
        + " server's dedupe: " + hostile.duplicatesAbsorbed.get() + "); key problems "
        + keyProblems.size() + "; leaks: OkHttp " + okHttpLeaks.size() + ", JDK exchanges "
        + jdkOutstanding + ", JDK bodies unfinished " + (bodiesGiven - bodiesFinished) + "; "
        + threads);
    Report.line(name + ": give-up reasons " + new TreeMap<>(reasons));

    assertEquals(List.of(), duplicates, "side effects executed twice");
    assertEquals(List.of(), keyProblems, "idempotency keys");
    assertEquals(List.of(), unexpected, "calls that ended with something other than an IOException");
    assertEquals(List.of(), endsReported, "calls whose end was not reported exactly once");
    assertEquals(List.of(), late, "calls that ended after their deadline");
    assertEquals(List.of(), okHttpLeaks, "OkHttp leaks");
    assertEquals(0, jdkOutstanding, "JDK exchanges still outstanding");
    assertEquals(bodiesGiven, bodiesFinished, "JDK response bodies never finished");
    assertEquals(List.of(), threads.leftOver(), "threads left running: " + threads);
    // Not vacuous: every fault happened, retries happened, and so did absorbed duplicates.
    for (Fault fault : Fault.values()) {
      assertTrue(hostile.faultCount(fault) > 0, "no " + fault + " was injected");
    }
    if (!budget.isEnabled()) assertTrue(retries.get() > calls / 2, "retries: " + retries.get());
    return new Result(retries.get(), reasons.getOrDefault("retry budget spent",
        new AtomicInteger()).get(), successes, retriesThatWorked.get(), presumed.get(),
        elapsedMillis);
  }

  record Workload(List<Outcome> outcomes, List<String> okHttpLeaks, long jdkOutstanding,
      int bodiesGiven, int bodiesFinished) {}

  private Workload workload(String name, int calls, List<Kind> kinds, HostileServer hostile,
      RetryPolicy plain, RetryPolicy keyed) throws Exception {
    List<Outcome> outcomes = new ArrayList<>();
    try (Server server = Server.start(hostile);
        Clients clients = new Clients(false);
        Leaks.OkHttpWatch watch = new Leaks.OkHttpWatch()) {
      Clients.Stoic plainStoic = clients.with(plain);
      Clients.Stoic keyedStoic = clients.with(keyed);
      ExecutorService workers = Executors.newFixedThreadPool(WORKERS, r -> {
        Thread thread = new Thread(r, name + "-worker");
        thread.setDaemon(true);
        return thread;
      });
      try {
        List<Future<Outcome>> futures = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
          Lane lane = Lane.values()[i % Lane.values().length];
          Kind kind = kinds.get(i);
          String id = name + "-" + i;
          String method = kind == Kind.GET ? "GET" : kind == Kind.PUT ? "PUT" : "POST";
          Req req = Req.of(id, method, server.url("/orders/" + i).toString());
          Clients.Stoic stoic = kind == Kind.KEYED_POST ? keyedStoic : plainStoic;
          futures.add(workers.submit(() -> clients.start(lane, stoic, req, Runnable::run, false)
              .outcome.get(DEADLINE.toMillis() + 10_000, TimeUnit.MILLISECONDS)));
        }
        for (Future<Outcome> future : futures) outcomes.add(future.get());
      } finally {
        workers.shutdownNow();
        assertTrue(workers.awaitTermination(10, TimeUnit.SECONDS));
      }
      return new Workload(outcomes,
          Leaks.okHttpLeaks(clients.okhttp, watch, server.url(HostileServer.PROBE_PATH).toString()),
          Leaks.jdkOutstandingExchanges(clients.jdk),
          clients.jdkBodies.given.get(), clients.jdkBodies.finished.get());
    }
  }

  /** Groups give-up reasons ("503 Service Unavailable: all 4 attempts used") by their cause. */
  static String category(String reason) {
    if (reason.contains("retry budget")) return "retry budget spent";
    if (reason.contains("attempts used")) return "attempts used";
    if (reason.contains("exceeds maxRetryAfter")) return "hint beyond maxRetryAfter";
    if (reason.contains("beyond the deadline") || reason.contains("cross the deadline")) {
      return "deadline";
    }
    if (reason.contains("without an idempotency key")) return "not safe to repeat";
    if (reason.contains("cancelled")) return "cancelled";
    return reason;
  }
}
