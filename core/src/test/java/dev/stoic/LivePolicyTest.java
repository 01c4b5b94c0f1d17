package dev.stoic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.spi.Adapters;
import dev.stoic.spi.CallInfo;
import dev.stoic.spi.Router;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Swaps of a live policy, in virtual time: what a call follows and what state a swap keeps. */
class LivePolicyTest {
  final VirtualClock clock = new VirtualClock();

  RetryPolicy.Builder policy(int maxAttempts) {
    return RetryPolicy.builder().clock(clock).random(() -> 0.5).maxAttempts(maxAttempts)
        .backoff(Backoff.fixed(Duration.ofSeconds(1)));
  }

  static CallInfo get() {
    return CallInfo.builder("GET", "https://api.example.com/items").build();
  }

  @Test
  void aCallStartedBeforeASwapKeepsItsPolicyToItsLastAttempt() throws Exception {
    LivePolicy live = LivePolicy.of(policy(2).build());
    Router router = Adapters.router(live);
    List<Integer> attempts = new ArrayList<>();
    CompletableFuture<FakeResponse> call = router.route(null, "api.example.com", "/items")
        .sendAsync(get(), attempt -> {
          attempts.add(attempt.number());
          return CompletableFuture.completedFuture(FakeResponse.of(503));
        }, FakeResponse.ACCESS);

    live.set(policy(5).build()); // while the call waits to retry
    clock.runAll();

    assertEquals(503, call.get().status);
    assertEquals(List.of(1, 2), attempts, "two attempts, as the policy it started with says");
    assertEquals(5, router.route(null, "api.example.com", "/").policy().maxAttempts(),
        "the next call follows the new policy");
  }

  @Test
  void aBudgetWithTheSameSettingsKeepsItsStateAcrossASwap() {
    RetryBudget budget = RetryBudget.perHost();
    LivePolicy live = LivePolicy.of(policy(3).retryBudget(budget).build());
    Router router = Adapters.router(live);
    assertSame(budget, router.budget());

    live.set(policy(4).retryBudget(RetryBudget.perHost()).build());
    assertSame(budget, router.budget(), "equal settings: the hosts' state stays");

    live.set(policy(4).retryBudget(RetryBudget.perHost(50, 1, 0.1)).build());
    assertNotSame(budget, router.budget(), "other settings: a fresh budget");
  }

  @Test
  void promoteWithoutACandidateIsRefused() {
    LivePolicy live = LivePolicy.of(policy(3).build());
    IllegalStateException e = assertThrows(IllegalStateException.class, live::promote);
    assertEquals("no candidate is shadowed", e.getMessage());
    assertEquals(0, live.swaps());
  }

  @Test
  void describeShowsTheSwapsAndTheCandidatesDifferingSettings() {
    LivePolicy live = LivePolicy.of(policy(3).build());
    live.set(policy(4).build());
    live.shadow(policy(4).maxRetryAfter(Duration.ofMinutes(2)).build());
    String described = live.describe();
    assertTrue(described.startsWith("# live: 1 swaps\n"), described);
    assertTrue(described.contains("shadow.max-retry-after = 120s (set)\n"), described);
    assertTrue(described.contains("shadow.calls = 0\n"), described);
  }
}
