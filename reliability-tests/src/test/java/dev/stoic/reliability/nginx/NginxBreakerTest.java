package dev.stoic.reliability.nginx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.CircuitOpenException;
import dev.stoic.RetryEvent;
import dev.stoic.RetryPolicy;
import dev.stoic.jdk.StoicHttpClient;
import dev.stoic.reliability.process.BackendProcess;
import dev.stoic.reliability.testing.Report;
import dev.stoic.resilience4j.StoicCircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The circuit breaker against a real outage: nginx in front of a backend in its own process,
 * async calls through {@link StoicHttpClient} at a fixed open-loop rate, healthy traffic, then
 * the backend killed (nginx answers 502 at once) and started again. Side by side in one run: no
 * breaker, the breaker with its rate window only (the 0.2 trigger), and the default breaker (5
 * server faults in a row, or the window). Figures: the share of the outage's calls whose requests
 * reached nginx for the dead backend, probes aside; how long after the circuit opened the calls
 * waiting in it ended; how soon calls succeeded again once the backend was back; calls past
 * their deadline. Runs in the {@code nginx} profile; figures to target/reliability-report.txt.
 */
@Tag("nginx")
@Timeout(300)
class NginxBreakerTest {
  static final int RATE = 200;
  static final Duration HEALTHY = Duration.ofSeconds(3);
  static final Duration OUTAGE = Duration.ofSeconds(3);
  static final Duration AFTER = Duration.ofMillis(2500);
  static final Duration OPEN_INTERVAL = Duration.ofSeconds(1);
  static final Duration DEADLINE = Duration.ofSeconds(3);

  /** What one run saw; times in System.nanoTime(). */
  static final class Run {
    final AtomicInteger outageCalls = new AtomicInteger();
    final AtomicInteger reachedDeadBackend = new AtomicInteger();
    final AtomicInteger probes = new AtomicInteger();
    final AtomicInteger pastDeadline = new AtomicInteger();
    final AtomicInteger failedAfterRecovery = new AtomicInteger();
    final List<Long> opens = new CopyOnWriteArrayList<>();
    /** For calls waiting when the circuit opened: µs from the opening to their end. */
    final Queue<Long> wokenMicros = new ConcurrentLinkedQueue<>();
    /** For calls refused as they started: µs from their start to their end. */
    final Queue<Long> refusedMicros = new ConcurrentLinkedQueue<>();
    final AtomicLong firstSuccessAfterReturn = new AtomicLong(Long.MAX_VALUE);
    /** When the last call that failed started: from then on, every call succeeded. */
    final AtomicLong lastFailedStart = new AtomicLong(Long.MIN_VALUE);
    volatile long killedAt = Long.MAX_VALUE;
    volatile long returnedAt = Long.MAX_VALUE;
    long maxCallMicros;
  }

  @Test
  void theDefaultBreakerKeepsAlmostEveryRequestOffTheDeadBackendAndEndsWaitingCallsAtOnce()
      throws Exception {
    int backendPort = Nginx.freePort();
    Run none;
    Run window;
    Run consecutive;
    try (Nginx nginx = Nginx.start(1000, backendPort)) {
      none = outage(nginx, backendPort, null, "no breaker");
      window = outage(nginx, backendPort, StoicCircuitBreaker.builder()
          .openInterval(OPEN_INTERVAL).consecutiveFaults(0).build(), "rate window only (0.2)");
      consecutive = outage(nginx, backendPort, StoicCircuitBreaker.builder()
          .openInterval(OPEN_INTERVAL).build(), "default (5 in a row, or the window)");
    }
    assertTrue(share(none) > 0.5, "without a breaker the outage reaches the backend: "
        + share(none));
    double share = share(consecutive);
    assertTrue(share < 0.05, "share of the outage's calls reaching the dead backend: " + share);
    assertTrue(share < share(window), "fewer than with the rate window alone: " + share(window));
    assertEquals(0, consecutive.pastDeadline.get(), "calls past their deadline");
    // One open interval, plus a probe sent just before the backend returned and the new backend
    // process's first (cold) answers: measured at about one interval, bounded here by two.
    assertEquals(0, consecutive.failedAfterRecovery.get(),
        "calls failed two open intervals after the backend returned");
    assertTrue(consecutive.firstSuccessAfterReturn.get() != Long.MAX_VALUE, "recovered");
  }

  static double share(Run run) {
    return Math.max(0, run.reachedDeadBackend.get() - run.probes.get())
        / (double) run.outageCalls.get();
  }

  static Run outage(Nginx nginx, int backendPort, StoicCircuitBreaker breaker, String name)
      throws Exception {
    Run run = new Run();
    RetryPolicy.Builder policy = RetryPolicy.builder().deadline(DEADLINE)
        .listener(event -> attempt(run, event));
    if (breaker != null) policy.throttle(breaker);
    HttpClient client = StoicHttpClient.wrap(HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1).build(), policy.build());
    URI uri = URI.create(nginx.url("/backend/items"));
    ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
    List<CompletableFuture<?>> calls = new CopyOnWriteArrayList<>();
    BackendProcess backend = BackendProcess.start(backendPort, 0, 0, 0);
    try {
      AtomicInteger sent = new AtomicInteger();
      ticks.scheduleAtFixedRate(() -> calls.add(call(run, client, uri, sent.incrementAndGet())),
          0, 1_000_000 / RATE, TimeUnit.MICROSECONDS);
      Thread.sleep(HEALTHY.toMillis());
      if (breaker != null) {
        breaker.circuitBreaker("127.0.0.1").orElseThrow().getEventPublisher()
            .onStateTransition(e -> transition(run, e.getStateTransition().getToState()));
      }
      run.killedAt = System.nanoTime();
      backend.kill();
      Thread.sleep(OUTAGE.toMillis());
      backend = BackendProcess.start(backendPort, 0, 0, 0);
      run.returnedAt = System.nanoTime();
      Thread.sleep(AFTER.toMillis());
    } finally {
      ticks.shutdownNow();
      ticks.awaitTermination(5, TimeUnit.SECONDS);
      CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0]))
          .handle((ok, failure) -> null).get(DEADLINE.toSeconds() + 5, TimeUnit.SECONDS);
      backend.close();
    }
    Report.line(String.format(Locale.ROOT, "breaker %s: %d calls in the %d s outage, %d requests"
        + " reached the dead backend (%d probes): %.1f%% probes aside; calls waiting at the"
        + " opening ended %s after it; refused calls %s after they started; first success"
        + " %d ms and every call from %d ms after the backend returned; longest call %d ms, %d"
        + " past the %d s deadline",
        name, run.outageCalls.get(), OUTAGE.toSeconds(), run.reachedDeadBackend.get(),
        run.probes.get(), 100 * share(run), micros(run.wokenMicros), micros(run.refusedMicros),
        run.firstSuccessAfterReturn.get() == Long.MAX_VALUE ? -1
            : (run.firstSuccessAfterReturn.get() - run.returnedAt) / 1_000_000,
        Math.max(0, run.lastFailedStart.get() - run.returnedAt) / 1_000_000,
        run.maxCallMicros / 1000, run.pastDeadline.get(), DEADLINE.toSeconds()));
    return run;
  }

  static CompletableFuture<?> call(Run run, HttpClient client, URI uri, int n) {
    long start = System.nanoTime();
    boolean inOutage = start >= run.killedAt && start < run.returnedAt;
    if (inOutage) run.outageCalls.incrementAndGet();
    return client.sendAsync(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString())
        .whenComplete((response, failure) -> ended(run, start, response == null ? -1
            : response.statusCode(), failure));
  }

  static synchronized void ended(Run run, long start, int status, Throwable failure) {
    long end = System.nanoTime();
    long micros = (end - start) / 1_000;
    run.maxCallMicros = Math.max(run.maxCallMicros, micros);
    if (micros > DEADLINE.toNanos() / 1_000) run.pastDeadline.incrementAndGet();
    long returned = run.returnedAt;
    if (status == 200 && end >= returned) {
      run.firstSuccessAfterReturn.accumulateAndGet(end, Math::min);
    }
    if (status != 200) run.lastFailedStart.accumulateAndGet(start, Math::max);
    if (returned != Long.MAX_VALUE && start >= returned + 2 * OPEN_INTERVAL.toNanos()
        && status != 200) {
      run.failedAfterRecovery.incrementAndGet();
    }
    Throwable cause = failure;
    while (cause != null && !(cause instanceof CircuitOpenException)) cause = cause.getCause();
    if (cause == null) return;
    long opened = Long.MIN_VALUE;
    for (long at : run.opens) {
      if (at <= end && at > opened) opened = at;
    }
    if (opened > start) {
      run.wokenMicros.add((end - opened) / 1_000);
    } else {
      run.refusedMicros.add(micros);
    }
  }

  static void attempt(Run run, RetryEvent event) {
    long now = System.nanoTime();
    // Until the backend is back (an answer just after its return may have been sent before).
    long returned = run.returnedAt;
    if (event.status() == 502 && now >= run.killedAt
        && (returned == Long.MAX_VALUE || now < returned + 50_000_000L)) {
      run.reachedDeadBackend.incrementAndGet();
    }
  }

  static void transition(Run run, State to) {
    long now = System.nanoTime();
    if (to == State.OPEN) run.opens.add(now);
    if (to == State.HALF_OPEN && now >= run.killedAt && now < run.returnedAt) {
      run.probes.incrementAndGet();
    }
  }

  static String micros(Queue<Long> samples) {
    long[] sorted = samples.stream().mapToLong(Long::longValue).sorted().toArray();
    if (sorted.length == 0) return "(none)";
    return String.format(Locale.ROOT, "p50 %.2f ms, p99 %.2f ms, max %.2f ms (n=%d)",
        Report.rank(sorted, 50) / 1000.0, Report.rank(sorted, 99) / 1000.0,
        sorted[sorted.length - 1] / 1000.0, sorted.length);
  }
}
