package dev.stoic.resilience4j;

import dev.stoic.Backoff;
import dev.stoic.CircuitOpenException;
import dev.stoic.RetryBudget;
import dev.stoic.RetryPolicy;
import dev.stoic.engine.RetryExecutor;
import dev.stoic.spi.CallInfo;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.VirtualClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * One host that goes down for a while and comes back, called at a steady rate through Stoic's real
 * async executor, in virtual time: one thread, one seeded random source, one clock for executor,
 * breaker and host. While the host is down, every attempt either gets a quick 503 or hangs until
 * its timeout, as a host does that accepts connections but no longer answers.
 */
final class OutageSimulation {
  static final String HOST = "api.example.com";
  static final long MS = 1_000_000L;

  /** How the host fails while it is down. */
  enum Down {
    /** A 503 after the usual latency. */
    STATUS_503,
    /** No answer: the attempt times out after the attempt timeout. */
    TIMEOUT
  }

  final VirtualClock clock = new VirtualClock();
  final SplittableRandom random = new SplittableRandom(16);
  final Down down;
  final long downAt = 10_000 * MS;
  final long upAt = 40_000 * MS;
  final long endAt = 60_000 * MS;
  final long every = 10 * MS;
  final long latency = 20 * MS;
  final long timeout = 2_000 * MS;
  final CallInfo call = CallInfo.builder("GET", "https://api.example.com/items").build();

  StoicCircuitBreaker breaker;
  /** Send times of attempts, and of the attempts sent as probes of a half-open circuit. */
  final List<Long> attempts = new ArrayList<>();
  final List<Long> probes = new ArrayList<>();
  /** When a call first found the circuit open; -1 if none did. */
  long trippedAt = -1;
  long calls;
  long succeeded;
  long failedFast;
  /** Virtual time from the host's return to the end of the first call that succeeded after it. */
  long firstSuccessAfterUp = -1;
  /** Real time, on this machine, that calls failing fast took inside executeAsync. */
  final List<Long> failFastRealNanos = new ArrayList<>();
  /** The same calls' CPU time: what the refusal costs, whatever else the machine is doing. */
  final List<Long> failFastCpuNanos = new ArrayList<>();
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  /** Virtual time that calls refused at their first attempt with CircuitOpenException took. */
  long failFastVirtualMaxNanos;
  /** Virtual time that calls started during the outage took, summed. */
  long outageCallNanos;

  OutageSimulation(Down down) {
    this.down = down;
  }

  OutageSimulation run(StoicCircuitBreaker breaker) {
    this.breaker = breaker;
    RetryPolicy.Builder policy = RetryPolicy.builder()
        .clock(clock)
        .random(random::nextDouble)
        .maxAttempts(3)
        .backoff(Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(2)))
        .attemptTimeout(Duration.ofNanos(timeout))
        .deadline(Duration.ofSeconds(10))
        .retryBudget(RetryBudget.perHost());
    if (breaker != null) policy.throttle(breaker);
    RetryExecutor executor = new RetryExecutor(policy.build());
    for (long t = 0; t < endAt; t += every) {
      clock.schedule(Duration.ofNanos(t), () -> startCall(executor));
    }
    clock.runAll();
    return this;
  }

  private void startCall(RetryExecutor executor) {
    long start = clock.nanoTime();
    calls++;
    if (trippedAt < 0 && breaker != null
        && breaker.circuitBreaker(HOST).map(b -> b.getState() == State.OPEN).orElse(false)) {
      trippedAt = start;
    }
    long cpu = threads.getCurrentThreadCpuTime();
    long real = System.nanoTime();
    CompletableFuture<FakeResponse> result = executor.executeAsync(call, context -> attempt(),
        FakeResponse.ACCESS);
    long realTaken = System.nanoTime() - real;
    long cpuTaken = threads.getCurrentThreadCpuTime() - cpu;
    boolean endedAtOnce = result.isDone();
    result.whenComplete((response, failure) -> {
      long now = clock.nanoTime();
      if (start >= downAt && start < upAt) outageCallNanos += now - start;
      if (failure instanceof CircuitOpenException) {
        failedFast++;
        if (endedAtOnce) {
          failFastRealNanos.add(realTaken);
          failFastCpuNanos.add(cpuTaken);
          failFastVirtualMaxNanos = Math.max(failFastVirtualMaxNanos, now - start);
        }
        // Otherwise the call had an attempt out and was waiting to retry when the circuit opened
        // (the retry budget's floor lets a few retries a second through an outage): its retry
        // was refused when due, which is not a fail-fast.
      } else if (response != null && response.status == 200) {
        succeeded++;
        if (start >= upAt && firstSuccessAfterUp < 0) firstSuccessAfterUp = now - upAt;
      }
    });
  }

  private CompletableFuture<FakeResponse> attempt() {
    long sent = clock.nanoTime();
    attempts.add(sent);
    if (breaker != null
        && breaker.circuitBreaker(HOST).map(b -> b.getState() == State.HALF_OPEN).orElse(false)) {
      probes.add(sent);
    }
    CompletableFuture<FakeResponse> answer = new CompletableFuture<>();
    boolean isDown = sent >= downAt && sent < upAt;
    if (isDown && down == Down.TIMEOUT) {
      clock.schedule(Duration.ofNanos(timeout),
          () -> answer.completeExceptionally(new SocketTimeoutException("timeout")));
    } else {
      FakeResponse response = FakeResponse.of(isDown ? 503 : 200);
      clock.schedule(Duration.ofNanos(latency), () -> answer.complete(response));
    }
    return answer;
  }

  long attemptsDuringOutage() {
    return attempts.stream().filter(t -> t >= downAt && t < upAt).count();
  }

  long attemptsDuringOutageAfterTrip() {
    return attempts.stream().filter(t -> t >= trippedAt && t < upAt).count();
  }

  long probesDuringOutage() {
    return probes.stream().filter(t -> t >= downAt && t < upAt).count();
  }

  /** The shortest time between two probes; Long.MAX_VALUE with fewer than two. */
  long shortestProbeGap() {
    long gap = Long.MAX_VALUE;
    for (int i = 1; i < probes.size(); i++) gap = Math.min(gap, probes.get(i) - probes.get(i - 1));
    return gap;
  }

  /** The given percentile of the real time that failing fast took, in nanoseconds. */
  long failFastRealPercentile(double p) {
    return percentile(failFastRealNanos, p);
  }

  long failFastCpuPercentile(double p) {
    return percentile(failFastCpuNanos, p);
  }

  private static long percentile(List<Long> samples, double p) {
    long[] sorted = samples.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    if (sorted.length == 0) return -1;
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  }

  String summary(String label) {
    return String.format("%s: calls=%d ok=%d attemptsDuringOutage=%d tripAfter=%s"
            + " probesDuringOutage=%d failedFast=%d failFastP99Real=%.1fus failFastP99Cpu=%.1fus"
            + " callTimeInOutage=%.0fs recovery=%dms",
        label, calls, succeeded, attemptsDuringOutage(),
        trippedAt < 0 ? "-" : (trippedAt - downAt) / MS + "ms", probesDuringOutage(), failedFast,
        failFastRealPercentile(0.99) / 1000.0, failFastCpuPercentile(0.99) / 1000.0,
        outageCallNanos / 1e9, firstSuccessAfterUp / MS);
  }
}
