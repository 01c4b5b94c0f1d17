package dev.stoic.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.LivePolicy;
import dev.stoic.RetryBudget;
import dev.stoic.RetryPolicy;
import dev.stoic.reliability.testing.Clients;
import dev.stoic.reliability.testing.Lane;
import dev.stoic.reliability.testing.Outcome;
import dev.stoic.reliability.testing.Report;
import dev.stoic.reliability.testing.Req;
import dev.stoic.reliability.testing.Server;
import dev.stoic.reliability.testing.WarmUp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A live policy swapped between two policies as fast as a thread can (and by the callers, every
 * fourth call), while 64 threads (each
 * starting its calls at once in the async lanes) call a real loopback server. Each policy marks
 * its attempts with a header of its own, so the server sees which policy sent each attempt. The
 * server answers a call's attempts 1 and 2 with 503 and its attempt 3 with 200, by the attempt's
 * number: a call that ends in anything but 200 is lost, one that sends an attempt number twice or
 * gets two answers is duplicated, and one whose attempts carry both policies' marks is mixed. A candidate
 * shadows the whole run, and must have been asked about every call exactly once.
 */
@Timeout(120)
class LiveSwapTest {
  static final int THREADS = 64;
  static final int CALLS_PER_THREAD = 20;


  @BeforeAll
  static void warmUp() throws Exception {
    WarmUp.once();
  }

  static RetryPolicy marked(String header, int maxAttempts, RetryBudget budget) {
    return RetryPolicy.builder()
        .maxAttempts(maxAttempts)
        .backoff(Backoff.exponential(Duration.ofMillis(1), Duration.ofMillis(2)))
        .attemptCountHeader(header, 1)
        .deadline(Duration.ofSeconds(30)) // 1,280 calls in flight are slow; none may run out of time
        .retryBudget(budget)
        .build();
  }

  @ParameterizedTest
  @EnumSource(Lane.class)
  void swapsUnderLoadLoseDuplicateAndMixNoCall(Lane lane) throws Exception {
    RetryBudget budget = RetryBudget.unlimited();
    RetryPolicy a = marked("X-Policy-A", 3, budget);
    RetryPolicy b = marked("X-Policy-B", 4, budget);
    LivePolicy live = LivePolicy.of(a);
    live.shadow(marked("X-Policy-C", 2, budget));

    Map<String, String> marks = new ConcurrentHashMap<>(); // call id -> policies seen, e.g. "AAA"
    Map<String, AtomicInteger> answered = new ConcurrentHashMap<>();
    Server.Handler handler = arrival -> {
      String mark = arrival.header("X-Policy-A") != null ? "A"
          : arrival.header("X-Policy-B") != null ? "B" : "?";
      String number = arrival.header("X-Policy-" + mark);
      marks.merge(arrival.requestId(), mark + number, String::concat);
      // By the attempt's number, not by arrivals: an attempt lost on the way (a connection refused
      // under 1,280 calls at once) is retried, and the third attempt is answered all the same.
      if (!"3".equals(number)) return new MockResponse.Builder().code(503).body("busy").build();
      answered.computeIfAbsent(arrival.requestId(), k -> new AtomicInteger()).incrementAndGet();
      return new MockResponse.Builder().code(200).body("ok").build();
    };

    List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    List<Throwable> thrown = new CopyOnWriteArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    Thread swapper = new Thread(() -> {
      while (!stop.get()) {
        live.set(b);
        Thread.yield();
        live.set(a);
        Thread.yield();
      }
    }, "swapper");
    try (Server server = Server.start(handler); Clients clients = new Clients(false)) {
      Clients.Stoic stoic = clients.with(live);
      CountDownLatch go = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(THREADS);
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        new Thread(() -> {
          try {
            go.await();
            List<CompletableFuture<Outcome>> running = new ArrayList<>();
            for (int i = 0; i < CALLS_PER_THREAD; i++) {
              // The callers swap too, every fourth call, so that swaps keep pace with calls
              // however the scheduler treats the swapper on a busy machine.
              if (i % 4 == 0) live.set(i % 8 == 0 ? b : a);
              Req req = Req.of("swap-" + thread + "-" + i, i % 2 == 0 ? "GET" : "PUT",
                  server.url("/items/" + thread + "/" + i).toString());
              running.add(clients.start(lane, stoic, req, Runnable::run, false).outcome);
              // Sync lanes finish each call before the next; async ones have all in flight.
              if (!lane.isAsync()) outcomes.add(running.remove(0).get(30, TimeUnit.SECONDS));
            }
            for (CompletableFuture<Outcome> f : running) outcomes.add(f.get(30, TimeUnit.SECONDS));
          } catch (Throwable e) {
            thrown.add(e);
          } finally {
            done.countDown();
          }
        }, "caller-" + t).start();
      }
      swapper.start();
      go.countDown();
      assertTrue(done.await(90, TimeUnit.SECONDS), "the callers did not finish");
    } finally {
      stop.set(true);
      swapper.join();
    }

    int calls = THREADS * CALLS_PER_THREAD;
    long lost = outcomes.stream().filter(o -> !o.isResponse() || o.status() != 200).count()
        + (calls - outcomes.size());
    // An attempt number twice, or two answers: the call went out again.
    long duplicated = marks.values().stream()
        .filter(m -> m.indexOf("1") != m.lastIndexOf("1") || m.indexOf("2") != m.lastIndexOf("2")
            || m.indexOf("3") != m.lastIndexOf("3")).count()
        + answered.values().stream().filter(n -> n.get() > 1).count();
    long unarrived = marks.values().stream().filter(m -> m.length() < 6).count();
    long mixed = marks.values().stream()
        .filter(m -> m.contains("?") || (m.contains("A") && m.contains("B"))).count();
    long followedB = marks.values().stream().filter(m -> m.startsWith("B")).count();
    Report.line("live swap " + lane + ": " + calls + " calls, " + live.swaps() + " swaps, "
        + followedB + " calls followed B; lost " + lost + ", duplicated " + duplicated
        + ", mixed " + mixed + "; " + unarrived + " calls had an attempt fail on the way; shadow asked about " + live.shadowReport().calls() + " calls");

    assertEquals(List.of(), thrown, "exceptions in the calling threads");
    assertEquals(0, lost, () -> "lost calls, such as " + outcomes.stream()
        .filter(o -> !o.isResponse() || o.status() != 200).limit(3).toList());
    assertEquals(0, duplicated, "duplicated calls");
    assertEquals(0, mixed, "mixed calls");
    assertEquals(calls, marks.size());
    assertTrue(live.swaps() >= calls / 4, "the callers' own swaps are missing: " + live.swaps());
    assertTrue(followedB > 0 && followedB < calls, "both policies served calls: " + followedB);
    assertEquals(calls, live.shadowReport().calls(), "every call was shadowed exactly once");
  }
}
