package dev.stoic.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Hedging;
import dev.stoic.RetryBudget;
import dev.stoic.RetryPolicy;
import dev.stoic.spi.AsyncAttempt;
import dev.stoic.spi.CallInfo;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.VirtualClock;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Does the default retry budget let through the hedges that {@code atPercentile(0.95)
 * .maxHedges(2)} promises against a 5% tail? Closed-loop callers in virtual time against a host
 * where one attempt in 20 (seeded, independent) takes 1 s and the rest answer after {@code
 * fastMillis} to one and a half times that: the
 * same calls with the default budget and with no budget must send the same hedges and see the
 * same latencies, at a high call rate (the bucket pays), a middling one, and a low one (the
 * floor of 10 retries a second pays).
 */
class HedgingBudgetSimulationTest {
  static final int CALLS = 20_000;

  /** What one simulated run saw. */
  record Run(long attempts, long[] sortedMillis) {
    long hedges() {
      return attempts - CALLS;
    }

    long p(double q) {
      int rank = (int) Math.ceil(q * sortedMillis.length);
      return sortedMillis[Math.max(0, Math.min(sortedMillis.length - 1, rank - 1))];
    }
  }

  static Run run(RetryBudget budget, int callers, int fastMillis) {
    VirtualClock clock = new VirtualClock();
    RetryPolicy policy = RetryPolicy.builder().clock(clock).random(() -> 0.5)
        .hedging(Hedging.atPercentile(0.95).maxHedges(2)).retryBudget(budget).build();
    RetryExecutor executor = new RetryExecutor(policy);
    CallInfo call = CallInfo.builder("GET", "https://api.example.com/items").build();
    long[] arrivals = {0};
    SplittableRandom tail = new SplittableRandom(27);
    SplittableRandom jitter = new SplittableRandom(2026);
    long[] millis = new long[CALLS];
    int[] started = {0};
    AsyncAttempt<FakeResponse> host = context -> {
      CompletableFuture<FakeResponse> answer = new CompletableFuture<>();
      // Fast answers spread over [fast, 1.5 fast): some of them finish just after a hedge went.
      arrivals[0]++;
      long latency = tail.nextInt(20) == 0 ? 1_000_000
          : fastMillis * 1_000L + jitter.nextLong(fastMillis * 500L);
      clock.schedule(Duration.ofNanos(latency * 1_000), () -> answer.complete(FakeResponse.of(200)));
      return answer;
    };
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      if (started[0] == CALLS) return;
      int index = started[0]++;
      long start = clock.nanoTime();
      executor.executeAsync(call, host, FakeResponse.ACCESS).whenComplete((response, failure) -> {
        millis[index] = (clock.nanoTime() - start) / 1_000_000;
        next[0].run();
      });
    };
    for (int i = 0; i < callers; i++) next[0].run();
    clock.runAll();
    Arrays.sort(millis);
    return new Run(arrivals[0], millis);
  }

  @ParameterizedTest(name = "{0} callers, {1} ms answers")
  @CsvSource({"16, 10", "16, 50", "2, 50"})
  void theDefaultBudgetLetsThroughEveryHedgeThatP95WithTwoHedgesSendsAgainstA5PercentTail(
      int callers, int fastMillis) {
    Run unlimited = run(RetryBudget.unlimited(), callers, fastMillis);
    Run defaults = run(RetryBudget.perHost(), callers, fastMillis);
    // Hedging cut the tail: with no budget, a 1 s answer is outrun at p99.9.
    assertTrue(unlimited.p(0.999) < 1_000, "p99.9 " + unlimited.p(0.999) + " ms");
    assertEquals(unlimited.hedges(), defaults.hedges(), "hedges sent");
    assertEquals(unlimited.p(0.99), defaults.p(0.99), "p99");
    assertEquals(unlimited.p(0.999), defaults.p(0.999), "p99.9");
    System.out.printf("%d callers, %d ms: %d hedges for %d calls; p50 %d ms, p99 %d ms,"
        + " p99.9 %d ms (default budget and none alike)%n", callers, fastMillis,
        defaults.hedges(), CALLS, defaults.p(0.5), defaults.p(0.99), defaults.p(0.999));
  }
}
