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
import dev.stoic.reliability.testing.Lane;
import dev.stoic.reliability.testing.Outcome;
import dev.stoic.reliability.testing.Report;
import dev.stoic.reliability.testing.Req;
import dev.stoic.reliability.testing.Server;
import dev.stoic.reliability.testing.TokenThrottle;
import dev.stoic.reliability.testing.WarmUp;
import dev.stoic.testing.Properties;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAccumulator;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.locks.LockSupport;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One policy and one client, shared by 64 threads that all call at once against a server failing
 * three attempts in ten with 503. The policy has the default per-host retry budget and a client-side
 * throttle ({@link TokenThrottle}); a monitor thread samples both throughout. Their accounting must
 * stay within bounds (never negative, never above capacity; retries never more than the budget's
 * capacity plus what successes earned back), the throttle must be asked exactly once per attempt
 * and told of exactly every response, and no call may end in an exception.
 */
@Timeout(120)
class ConcurrencyTest {
  static final int THREADS = 64;
  static final int CALLS_PER_THREAD = 20;
  static final String HOST = "127.0.0.1";

  @BeforeAll
  static void warmUp() throws Exception {
    WarmUp.once();
  }

  @ParameterizedTest
  @EnumSource(Lane.class)
  void sixtyFourThreadsShareOnePolicyAndOneClient(Lane lane) throws Exception {
    long seed = Properties.seed() ^ lane.ordinal();
    RetryBudget budget = RetryBudget.perHost();
    double capacity = budget.available(HOST);
    // 1,000 attempts a second, 10 of burst: slower than 64 threads go on loopback, so that the
    // throttle runs dry and hands out permits ahead of time.
    TokenThrottle throttle = new TokenThrottle(10, TimeUnit.MILLISECONDS.toNanos(1));
    AtomicInteger retries = new AtomicInteger();
    AtomicInteger returns = new AtomicInteger();
    AtomicInteger retriesThatWorked = new AtomicInteger();
    AtomicInteger presumed = new AtomicInteger();
    Map<String, AtomicInteger> giveUps = new ConcurrentHashMap<>();
    RetryPolicy policy = RetryPolicy.builder()
        .maxAttempts(4)
        .backoff(Backoff.exponential(Duration.ofMillis(1), Duration.ofMillis(10)))
        .deadline(Duration.ofSeconds(10))
        .idempotencyKey(IdempotencyKey.header("Idempotency-Key").autoGenerate())
        .retryBudget(budget)
        .throttle(throttle)
        .listener(event -> {
          if (event.action() == Decision.Action.RETRY) {
            retries.incrementAndGet();
            if (budget.retriesWorking(HOST)) presumed.incrementAndGet();
          }
          if (event.action() == Decision.Action.RETURN) {
            returns.incrementAndGet();
            if (event.attempt() > 1) retriesThatWorked.incrementAndGet();
          }
          if (event.action() == Decision.Action.GIVE_UP) {
            giveUps.computeIfAbsent(ChaosTest.category(event.reason()), k -> new AtomicInteger())
                .incrementAndGet();
          }
        })
        .build();

    DoubleAccumulator budgetMin = new DoubleAccumulator(Math::min, capacity);
    DoubleAccumulator budgetMax = new DoubleAccumulator(Math::max, capacity);
    LongAccumulator tokensMin = new LongAccumulator(Math::min, throttle.capacity());
    LongAccumulator tokensMax = new LongAccumulator(Math::max, throttle.capacity());
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger samples = new AtomicInteger();
    Thread monitor = new Thread(() -> {
      while (!stop.get()) {
        double available = budget.available(HOST);
        budgetMin.accumulate(available);
        budgetMax.accumulate(available);
        long tokens = throttle.tokens();
        tokensMin.accumulate(tokens);
        tokensMax.accumulate(tokens);
        samples.incrementAndGet();
        LockSupport.parkNanos(100_000);
      }
    }, "accounting-monitor");

    List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    List<Throwable> thrown = new CopyOnWriteArrayList<>();
    int arrivals;
    long started;
    long elapsed;
    try (Server server = Server.start(arrival -> unavailableThreeTimesInTen(seed, arrival));
        Clients clients = new Clients(false)) {
      Clients.Stoic stoic = clients.with(policy);
      CountDownLatch go = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(THREADS);
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        Thread caller = new Thread(() -> {
          try {
            go.await();
            SplittableRandom random = new SplittableRandom(seed + thread);
            for (int i = 0; i < CALLS_PER_THREAD; i++) {
              String method = List.of("GET", "PUT", "POST").get(random.nextInt(3));
              Req req = Req.of("conc-" + thread + "-" + i, method,
                  server.url("/items/" + thread + "/" + i).toString());
              outcomes.add(clients.start(lane, stoic, req, Runnable::run, false)
                  .outcome.get(30, TimeUnit.SECONDS));
            }
          } catch (Throwable e) {
            thrown.add(e);
          } finally {
            done.countDown();
          }
        }, "caller-" + t);
        caller.start();
      }
      monitor.start();
      started = System.nanoTime();
      go.countDown();
      assertTrue(done.await(60, TimeUnit.SECONDS), "the callers did not finish");
      elapsed = (System.nanoTime() - started) / 1_000_000L;
      arrivals = server.totalArrivals();
    } finally {
      stop.set(true);
      monitor.join();
    }

    Map<String, Integer> endings = new TreeMap<>();
    for (Outcome outcome : outcomes) {
      endings.merge(outcome.isResponse() ? "HTTP " + outcome.status()
          : outcome.failure().getClass().getSimpleName(), 1, Integer::sum);
    }
    Report.line("concurrency " + lane + ": " + THREADS + " threads x " + CALLS_PER_THREAD
        + " calls in " + elapsed + " ms, " + arrivals + " attempts, " + retries.get()
        + " retries; endings " + endings + "; give-ups " + new TreeMap<>(giveUps)
        + "; budget sampled " + samples.get() + "x in [" + budgetMin.get() + ", "
        + budgetMax.get() + "] of " + capacity + "; throttle tokens in [" + throttle.minTokens.get()
        + ", " + throttle.maxTokens.get() + "] (sampled [" + tokensMin.get() + ", "
        + tokensMax.get() + "]) of " + throttle.capacity() + ", permits " + throttle.permits.get()
        + " (" + throttle.permitsAhead.get() + " ahead), responses " + throttle.responses.get());

    assertEquals(List.of(), thrown, "exceptions in the calling threads");
    assertEquals(THREADS * CALLS_PER_THREAD, outcomes.size());
    for (Outcome outcome : outcomes) {
      assertTrue(outcome.isResponse(), "a call ended in an exception: " + outcome);
      assertTrue(outcome.status() == 200 || outcome.status() == 503, outcome.toString());
    }
    // The retry budget.
    assertTrue(budgetMin.get() >= 0, "the budget went negative: " + budgetMin.get());
    assertTrue(budgetMax.get() <= capacity, "the budget went above capacity: " + budgetMax.get());
    // Retries that failed never exceed those made while retries were working, the bucket's
    // tokens and what successes earned, and the floor's 10 a second (a second's worth at once,
    // and the longest backoff of 10 ms). One per thread of slack: another call's outcome may
    // change "working" between a decision and its event.
    long failedRetries = retries.get() - retriesThatWorked.get();
    double bound = presumed.get() + capacity + 0.1 * returns.get()
        + 10 * (elapsed / 1000.0 + 1 + 0.01) + THREADS;
    assertTrue(failedRetries <= bound, "failed retries " + failedRetries + " > " + bound
        + " (" + presumed.get() + " made while retries worked, " + returns.get() + " successes)");
    // The throttle: one permit per attempt, one report per response, tokens within bounds.
    assertEquals(arrivals, throttle.permits.get(), "permits taken vs attempts sent");
    assertEquals(arrivals, throttle.responses.get(), "responses reported vs attempts sent");
    assertTrue(throttle.minTokens.get() >= 0 && tokensMin.get() >= 0, "tokens went negative");
    assertTrue(throttle.maxTokens.get() <= throttle.capacity()
        && tokensMax.get() <= throttle.capacity(), "tokens went above capacity");
    assertTrue(throttle.minOwed.get() >= 0, "owed permits went negative");
    assertTrue(throttle.permitsAhead.get() > 0, "the throttle never ran dry");
    assertEquals(arrivals, THREADS * CALLS_PER_THREAD + retries.get(), "attempts = calls + retries");
  }

  /** 503 for about three arrivals in ten, chosen by seed, call and attempt; 200 otherwise. */
  static MockResponse unavailableThreeTimesInTen(long seed, Server.Arrival arrival) {
    long mix = seed * 31 + arrival.requestId().hashCode() * 17L + arrival.attempt();
    boolean fail = new SplittableRandom(mix).nextInt(10) < 3;
    return fail
        ? new MockResponse.Builder().code(503).body("busy").build()
        : new MockResponse.Builder().code(200).body("ok").build();
  }
}
