package dev.stoic.testing;

import dev.stoic.RetryClock;
import dev.stoic.ThrottledException;
import dev.stoic.engine.RetryExecutor;
import dev.stoic.spi.CallInfo;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * Callers driving a server through Stoic's real async executor in virtual time: closed-loop
 * workers that call again as soon as a call ends, or calls arriving at a fixed rate. Each attempt
 * takes {@code latency} (half to reach the server, half to come back). Counts what the load
 * questions ask: success, attempts per call, 429s after a warm-up, and attempts sent earlier than
 * a {@code Retry-After} the same caller was given. Deterministic: one thread, one clock, seeded.
 */
public final class LoadSimulation {
  /** The server side: answers attempt {@code attempt} of call {@code call}, arriving now. */
  @FunctionalInterface
  public interface Server {
    FakeResponse answer(long call, int attempt);
  }

  public final VirtualClock clock = new VirtualClock();
  private final SplittableRandom random;
  private final long latencyNanos;
  private final long warmupNanos;
  public final Figures figures = new Figures();

  public LoadSimulation(long seed, Duration latency, Duration warmup) {
    this.random = new SplittableRandom(seed);
    this.latencyNanos = latency.toNanos();
    this.warmupNanos = warmup.toNanos();
  }

  /** The random source for the policy's jitter, from the simulation's seed. */
  public double draw() {
    return random.nextDouble();
  }

  /** What a run measured. */
  public static final class Figures {
    public long calls;
    public long succeeded;
    public long attempts;
    public long refused; // 429s
    public long throttled; // calls failed by the client-side throttle
    public long attemptsAfterWarmup;
    public long refusedAfterWarmup;
    public long okAfterWarmup;
    /** Retries sent before the Retry-After of the answer they follow had passed. */
    public long earlyRetries;
    /** New calls a worker sent before the Retry-After of its previous call's last answer. */
    public long earlyCalls;
    public long retries;
    /** Attempts sent while calls were still being made, before the run's end. */
    public long attemptsInRun;
    long measuredNanos;
    long endNanos;

    public double successRate() {
      return succeeded / (double) calls;
    }

    public double attemptsPerCall() {
      return attempts / (double) calls;
    }

    /**
     * Extra load while the calls were being made: attempts sent before the run's end per call
     * made, less one. Retries still pending when calls stop are load after the run.
     */
    public double extraLoadInRun() {
      return attemptsInRun / (double) calls - 1;
    }

    /** Share of attempts after the warm-up that got 429. */
    public double refusedShareAfterWarmup() {
      return refusedAfterWarmup / (double) attemptsAfterWarmup;
    }

    /** Successful attempts per second after the warm-up. */
    public double okPerSecondAfterWarmup() {
      return okAfterWarmup / (measuredNanos / 1e9);
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%d calls, %.2f%% succeeded, %.3f attempts per call, "
              + "%.2f%% of attempts after the warm-up got 429, %.2f successes/s after the warm-up,"
              + " %d early retries, %d early calls, %d throttled",
          calls, 100 * successRate(), attemptsPerCall(), 100 * refusedShareAfterWarmup(),
          okPerSecondAfterWarmup(), earlyRetries, earlyCalls, throttled);
    }
  }

  /** Per caller: when the server last said it may come back. */
  private static final class Caller {
    long notBefore = Long.MIN_VALUE;
  }

  /** {@code workers} callers that call again at once when a call ends, for {@code length}. */
  public Figures closedLoop(RetryExecutor executor, Server server, int workers, Duration length) {
    long end = length.toNanos();
    figures.measuredNanos = Math.max(1, end - warmupNanos);
    figures.endNanos = end;
    for (int i = 0; i < workers; i++) {
      Caller caller = new Caller();
      clock.schedule(Duration.ofNanos(random.nextLong(1_000_000)),
          () -> loop(executor, server, caller, end));
    }
    clock.runAll();
    return figures;
  }

  /** Calls arriving {@code perSecond} a second, evenly spaced, for {@code length}. */
  public Figures openLoop(RetryExecutor executor, Server server, double perSecond, Duration length) {
    long end = length.toNanos();
    figures.measuredNanos = Math.max(1, end - warmupNanos);
    figures.endNanos = end;
    long gap = (long) (1e9 / perSecond);
    for (long at = 0; at < end; at += gap) {
      clock.schedule(Duration.ofNanos(at), () -> call(executor, server, new Caller(), null));
    }
    clock.runAll();
    return figures;
  }

  /**
   * The loop the issue compares with: {@code workers} callers that try up to {@code maxAttempts}
   * times, {@code fixedWait} apart, ignoring {@code Retry-After}.
   */
  public Figures naiveLoop(Server server, int workers, Duration length, Duration fixedWait,
      int maxAttempts) {
    long end = length.toNanos();
    figures.measuredNanos = Math.max(1, end - warmupNanos);
    figures.endNanos = end;
    for (int i = 0; i < workers; i++) {
      Caller caller = new Caller();
      clock.schedule(Duration.ofNanos(random.nextLong(1_000_000)),
          () -> naiveCall(server, caller, end, fixedWait.toNanos(), maxAttempts, 1, figures.calls++));
    }
    clock.runAll();
    return figures;
  }

  private void naiveCall(Server server, Caller caller, long end, long wait, int maxAttempts,
      int attempt, long id) {
    send(server, caller, id, attempt).thenAccept(response -> {
      if (response.status == 200) {
        figures.succeeded++;
      } else if (attempt < maxAttempts) {
        figures.retries++;
        clock.schedule(Duration.ofNanos(wait),
            () -> naiveCall(server, caller, end, wait, maxAttempts, attempt + 1, id));
        return;
      }
      if (clock.nanoTime() < end) {
        naiveCall(server, caller, end, wait, maxAttempts, 1, figures.calls++);
      }
    });
  }

  private void loop(RetryExecutor executor, Server server, Caller caller, long end) {
    if (clock.nanoTime() >= end) return;
    call(executor, server, caller, () -> loop(executor, server, caller, end));
  }

  private void call(RetryExecutor executor, Server server, Caller caller, Runnable then) {
    long id = figures.calls++;
    CallInfo info = CallInfo.builder("GET", "http://api.internal/items/" + id).build();
    boolean[] first = {true};
    executor.executeAsync(info, context -> {
      if (!first[0]) figures.retries++;
      first[0] = false;
      return send(server, caller, id, context.number());
    }, FakeResponse.ACCESS).whenComplete((response, failure) -> {
      if (failure instanceof ThrottledException) figures.throttled++;
      if (response != null && response.status == 200) figures.succeeded++;
      if (then != null) then.run();
    });
  }

  /** One attempt: counts it, checks it against the caller's last hint, and answers it later. */
  private CompletableFuture<FakeResponse> send(Server server, Caller caller, long id, int attempt) {
    long sentAt = clock.nanoTime();
    if (sentAt < caller.notBefore) {
      if (attempt > 1) figures.earlyRetries++; else figures.earlyCalls++;
    }
    figures.attempts++;
    if (sentAt < figures.endNanos) figures.attemptsInRun++;
    CompletableFuture<FakeResponse> response = new CompletableFuture<>();
    clock.schedule(Duration.ofNanos(latencyNanos / 2), () -> {
      FakeResponse answer = server.answer(id, attempt);
      boolean measured = clock.nanoTime() >= warmupNanos;
      if (measured) figures.attemptsAfterWarmup++;
      if (answer.status == 429) {
        figures.refused++;
        if (measured) figures.refusedAfterWarmup++;
      } else if (answer.status == 200 && measured) {
        figures.okAfterWarmup++;
      }
      clock.schedule(Duration.ofNanos(latencyNanos - latencyNanos / 2), () -> {
        caller.notBefore = hintEnd(answer, clock);
        response.complete(answer);
      });
    });
    return response;
  }

  private static long hintEnd(FakeResponse answer, RetryClock clock) {
    List<String> retryAfter = answer.headers.get("Retry-After");
    if (retryAfter == null || retryAfter.isEmpty()) return Long.MIN_VALUE;
    return clock.nanoTime() + Long.parseLong(retryAfter.get(0).trim()) * 1_000_000_000L;
  }
}
