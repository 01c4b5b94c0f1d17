package dev.stoic.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.Hedging;
import dev.stoic.ObservedCall;
import dev.stoic.RetryBudget;
import dev.stoic.RetryPolicy;
import dev.stoic.Throttle;
import dev.stoic.ThrottledException;
import dev.stoic.engine.RetryExecutor;
import dev.stoic.spi.CallInfo;
import dev.stoic.testing.Budgets;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.ScriptedTransport.Mode;
import dev.stoic.testing.ScriptedTransport;
import dev.stoic.testing.VirtualClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The meters on a {@link SimpleMeterRegistry}, in virtual time: exact counts and exact durations,
 * sync and async alike. Each attempt takes 30 ms of virtual time.
 */
class StoicMetricsTest {
  static final String HOST = "api.example.com";

  final VirtualClock clock = new VirtualClock();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  RetryPolicy.Builder policy() {
    return RetryPolicy.builder()
        .clock(clock)
        .random(() -> 0.25)
        .backoff(Backoff.fixed(Duration.ofMillis(100)))
        .observer(StoicMetrics.create(registry));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aCallRetriedForAHintAndAnExceptionIsTimedCountedAndItsWaitsRecorded(Mode mode)
      throws Exception {
    run(mode, policy().build(), "GET",
        FakeResponse.of(503, "Retry-After", "2"),
        new SocketTimeoutException("Read timed out"),
        FakeResponse.of(200));

    Timer call = timer("stoic.calls", "outcome", "success", "status_class", "2xx");
    assertEquals(1, call.count());
    assertEquals(2240, call.totalTime(TimeUnit.MILLISECONDS), 1e-6); // 3 x 30 ms + 2.05 s + 100 ms

    assertTimer("stoic.attempts", 1, 30, "outcome", "retry", "status_class", "5xx");
    assertTimer("stoic.attempts", 1, 30, "outcome", "retry", "status_class", "none");
    assertTimer("stoic.attempts", 1, 30, "outcome", "success", "status_class", "2xx");

    assertEquals(1, counter("stoic.retries", "reason", "hint").count());
    assertEquals(1, counter("stoic.retries", "reason", "exception").count());
    // Retry-After 2 s plus 0.25 x 200 ms of spread; the hint added 1.95 s to the 100 ms backoff.
    assertTimer("stoic.waits", 1, 2050, "reason", "hint");
    assertTimer("stoic.waits", 1, 100, "reason", "exception");
    assertEquals(1.95, counter("stoic.waits.hinted").count(), 1e-9);

    assertNull(registry.find("stoic.giveups").meter(), "nothing gave up");
    assertEquals(0, counter("stoic.budget.refusals").count());
    assertEquals(0, counter("stoic.throttle.waits").count());
    assertEquals(0, counter("stoic.client.resends").count());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRetryTheBudgetRefusesIsABudgetGiveUp(Mode mode) throws Exception {
    // No floor, retries to the host failing, and the bucket drained by an earlier call.
    RetryBudget budget = RetryBudget.perHost(1, 1, 0).minRetriesPerSecond(0);
    Budgets.failedRetries(budget, HOST, 100);
    Budgets.acquireRetry(budget, HOST);
    run(mode, policy().retryBudget(budget).build(), "GET", FakeResponse.of(503));

    assertEquals(1, counter("stoic.budget.refusals").count());
    assertEquals(1, counter("stoic.giveups", "reason", "budget").count());
    assertTimer("stoic.calls", 1, 30, "outcome", "failure", "status_class", "5xx");
    assertTimer("stoic.attempts", 1, 30, "outcome", "failure", "status_class", "5xx");
    assertNull(registry.find("stoic.retries").meter());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theThrottlesWaitsAreCountedAndTimedAndItsRefusalIsAGiveUp(Mode mode) throws Exception {
    long[] permits = {200_000_000L, 0, -1};
    AtomicInteger asked = new AtomicInteger();
    Throttle throttle = host -> permits[asked.getAndIncrement()];
    assertThrows(ThrottledException.class, () -> run(mode, policy().throttle(throttle).build(),
        "GET", FakeResponse.of(503), FakeResponse.of(503)));

    assertEquals(1, counter("stoic.throttle.waits").count(), "the permit that came at once is no wait");
    assertTimer("stoic.waits", 1, 200, "reason", "throttle");
    assertEquals(1, counter("stoic.giveups", "reason", "throttle").count());
    // 200 ms for the permit, then two attempts of 30 ms with 100 ms between them and after.
    assertTimer("stoic.calls", 1, 460, "outcome", "failure", "status_class", "none");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void giveUpsAreCountedByWhyTheCallStopped(Mode mode) throws Exception {
    run(mode, policy().maxAttempts(2).build(), "GET", FakeResponse.of(503), FakeResponse.of(503));
    run(mode, policy().build(), "POST", FakeResponse.of(503));
    run(mode, policy().build(), "GET", FakeResponse.of(404));
    run(mode, policy().build(), "GET", FakeResponse.of(503, "Retry-After", "600"));

    assertEquals(1, counter("stoic.giveups", "method", "GET", "reason", "attempts").count());
    assertEquals(1, counter("stoic.giveups", "method", "POST", "reason", "unsafe").count());
    assertEquals(1, counter("stoic.giveups", "method", "GET", "reason", "status").count());
    assertEquals(1, counter("stoic.giveups", "method", "GET", "reason", "hint").count());
    assertEquals(2, timer("stoic.calls", "method", "GET", "outcome", "failure", "status_class", "5xx")
        .count());
    assertEquals(1, timer("stoic.calls", "method", "GET", "outcome", "failure", "status_class", "4xx")
        .count());
  }

  @Test
  void methodsHttpDoesNotDefineShareOneTag() throws Exception {
    run(Mode.SYNC, policy().build(), "get", FakeResponse.of(200));
    run(Mode.SYNC, policy().build(), "PURGE", FakeResponse.of(200));
    assertEquals(2, timer("stoic.calls", "method", "_OTHER").count());
  }

  @Test
  void callsToOneHostAndMethodShareTheirMetersAndNeverAskForTheUrl() {
    StoicMetrics metrics = StoicMetrics.create(registry);
    assertSame(metrics.callStarted(call("GET", "https://a.example/1", "a.example")),
        metrics.callStarted(call("GET", "https://a.example/2", "a.example")));
  }

  @Test
  void countsAreCountersAndTimesAreTimersNeverGauges() throws Exception {
    run(Mode.SYNC, policy().build(), "GET", FakeResponse.of(503), FakeResponse.of(200));
    List<Meter> meters = registry.getMeters();
    assertFalse(meters.isEmpty());
    for (Meter meter : meters) {
      assertFalse(meter instanceof Gauge, meter.getId().toString());
      String name = meter.getId().getName();
      if (name.equals("stoic.calls") || name.equals("stoic.attempts") || name.equals("stoic.waits")) {
        assertEquals(Timer.class, meterType(meter), name);
      } else {
        assertEquals(Counter.class, meterType(meter), name);
      }
    }
  }

  private static ObservedCall call(String method, String url, String host) {
    return new ObservedCall() {
      @Override
      public String method() {
        return method;
      }

      @Override
      public String host() {
        return host;
      }

      @Override
      public String url() {
        throw new AssertionError("metrics never need the URL");
      }
    };
  }

  private static Class<?> meterType(Meter meter) {
    return meter instanceof Timer ? Timer.class : meter instanceof Counter ? Counter.class : Meter.class;
  }

  private void assertTimer(String name, long count, double totalMillis, String... tags) {
    Timer timer = timer(name, tags);
    assertEquals(count, timer.count(), name);
    assertEquals(totalMillis, timer.totalTime(TimeUnit.MILLISECONDS), 1e-6, name);
  }

  private Timer timer(String name, String... tags) {
    Timer timer = registry.find(name).tag("host", HOST).tags(tags).timer();
    if (timer == null) throw new AssertionError("no timer " + name + " " + List.of(tags) + " in "
        + registry.getMetersAsString());
    return timer;
  }

  @Test
  void aHedgeIsCountedAndItsAttemptTimedFromItsOwnStart() throws Exception {
    RetryPolicy policy = policy().hedging(Hedging.after(Duration.ofMillis(200))).build();
    List<CompletableFuture<FakeResponse>> attempts = new ArrayList<>();
    CompletableFuture<FakeResponse> call = new RetryExecutor(policy).executeAsync(
        CallInfo.builder("GET", "https://" + HOST + "/x").build(),
        context -> {
          CompletableFuture<FakeResponse> attempt = new CompletableFuture<>();
          attempts.add(attempt);
          return attempt;
        },
        FakeResponse.ACCESS);
    clock.advance(Duration.ofMillis(200));
    clock.advance(Duration.ofMillis(30));
    attempts.get(1).complete(FakeResponse.of(200));
    assertEquals(200, call.get().status);
    assertTrue(attempts.get(0).isCancelled());

    assertEquals(1, counter("stoic.hedges").count());
    assertTimer("stoic.attempts", 1, 30, "outcome", "success", "status_class", "2xx");
    assertTimer("stoic.calls", 1, 230, "outcome", "success", "status_class", "2xx");
  }

  private Counter counter(String name, String... tags) {
    Counter counter = registry.find(name).tag("host", HOST).tags(tags).counter();
    if (counter == null) throw new AssertionError("no counter " + name + " " + List.of(tags) + " in "
        + registry.getMetersAsString());
    return counter;
  }

  /** Plays {@code script}, 30 ms per attempt, sync or async; the last response or failure. */
  private FakeResponse run(Mode mode, RetryPolicy policy, String method, Object... script)
      throws Exception {
    ScriptedTransport transport = new ScriptedTransport(script);
    transport.eachAttempt = () -> {
      clock.advance(Duration.ofMillis(30));
    };
    return transport.run(mode, policy, CallInfo.builder(method, "https://" + HOST + "/orders").build());
  }
}
