package dev.stoic.resilience4j;

import dev.stoic.RetryBudget;
import dev.stoic.RetryPolicy;
import dev.stoic.Throttle;
import dev.stoic.engine.RetryExecutor;
import dev.stoic.spi.CallInfo;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.VirtualClock;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * Closed-loop virtual users calling a {@link QuotaServer} through Stoic's real async executor, in
 * virtual time: each user makes a call, waits for its outcome, thinks, and calls again. Every
 * attempt, retries included, goes through the policy's throttle first. Deterministic: one
 * thread, one seeded random source, one clock for the executor, the limiter and the server.
 */
final class ThrottleSimulation {
  final VirtualClock clock = new VirtualClock();
  final QuotaServer server;
  final long endNanos;
  final int users;
  final long latencyNanos;
  final long meanThinkNanos;
  final SplittableRandom random = new SplittableRandom(7);
  long calls;
  long throttled;
  long failed;

  ThrottleSimulation(QuotaServer.Headers headers, int quota, Duration window, Duration length,
      int users, Duration latency, Duration meanThink) {
    this.endNanos = length.toNanos();
    this.server = new QuotaServer(quota, window.toNanos(), headers, clock,
        (int) (endNanos / window.toNanos()));
    this.users = users;
    this.latencyNanos = latency.toNanos();
    this.meanThinkNanos = meanThink.toNanos();
  }

  /** Runs the simulation to its end with {@code throttle} (null for none). */
  ThrottleSimulation run(Throttle throttle) {
    RetryPolicy.Builder policy = RetryPolicy.builder()
        .clock(clock)
        .random(random::nextDouble)
        .maxAttempts(3)
        .retryBudget(RetryBudget.unlimited())
        .deadline(Duration.ofSeconds(30));
    if (throttle != null) policy.throttle(throttle);
    RetryExecutor executor = new RetryExecutor(policy.build());
    CallInfo call = CallInfo.builder("GET", "https://api.example.com/items").build();
    if (throttle instanceof StoicRateLimiter) sampleLimit((StoicRateLimiter) throttle);
    for (int i = 0; i < users; i++) {
      clock.schedule(Duration.ofNanos(think()), () -> callLoop(executor, call));
    }
    clock.advance(Duration.ofNanos(endNanos));
    return this;
  }

  /** The limiter's permits per period at each window's start. */
  final java.util.List<Integer> limits = new java.util.ArrayList<>();

  private void sampleLimit(StoicRateLimiter limiter) {
    if (clock.nanoTime() >= endNanos) return;
    limits.add(limiter.limitForPeriod());
    clock.schedule(Duration.ofNanos(endNanos / server.attempts.length), () -> sampleLimit(limiter));
  }

  private void callLoop(RetryExecutor executor, CallInfo call) {
    if (clock.nanoTime() >= endNanos) return;
    calls++;
    executor.executeAsync(call, context -> attempt(), FakeResponse.ACCESS)
        .whenComplete((response, failure) -> {
          if (failure != null) {
            if (failure instanceof dev.stoic.ThrottledException) throttled++; else failed++;
          }
          clock.schedule(Duration.ofNanos(think()), () -> callLoop(executor, call));
        });
  }

  /** Half the latency to reach the server, half to come back. */
  private CompletableFuture<FakeResponse> attempt() {
    CompletableFuture<FakeResponse> response = new CompletableFuture<>();
    clock.schedule(Duration.ofNanos(latencyNanos / 2), () -> {
      FakeResponse answer = server.handle();
      clock.schedule(Duration.ofNanos(latencyNanos - latencyNanos / 2),
          () -> response.complete(answer));
    });
    return response;
  }

  private long think() {
    return (long) (-Math.log(1 - random.nextDouble()) * meanThinkNanos);
  }

  long attempts(int fromWindow, int toWindow) {
    long sum = 0;
    for (int w = fromWindow; w < toWindow; w++) sum += server.attempts[w];
    return sum;
  }

  long refused(int fromWindow, int toWindow) {
    long sum = 0;
    for (int w = fromWindow; w < toWindow; w++) sum += server.refused[w];
    return sum;
  }

  int windows() {
    return server.attempts.length;
  }
}
