package dev.stoic.resilience4j;

import static dev.stoic.resilience4j.OutageSimulation.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.resilience4j.OutageSimulation.Down;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A host down for 30 s then back, 100 calls a second, in virtual time: what the breaker saves the
 * host during the outage, how fast calls fail while it is open, and how soon calls succeed once
 * the host is back. The figures are printed for the record; the goals are asserted.
 */
class CircuitBreakerOutageSimulationTest {
  static final Duration OPEN_INTERVAL = Duration.ofSeconds(5);

  static StoicCircuitBreaker breaker(OutageSimulation sim) {
    return StoicCircuitBreaker.builder()
        .clock(sim.clock)
        .window(Duration.ofSeconds(10))
        .minimumAttempts(10)
        .failureRateThreshold(50)
        .openInterval(OPEN_INTERVAL)
        .build();
  }

  @ParameterizedTest
  @EnumSource(Down.class)
  void aThirtySecondOutage(Down down) {
    OutageSimulation without = new OutageSimulation(down).run(null);
    OutageSimulation with = new OutageSimulation(down);
    with.run(breaker(with));
    String label = "[outage 30 s, virtual time, " + down + "] ";
    System.out.println(label + without.summary("without breaker"));
    System.out.println(label + with.summary("with breaker"));

    assertEquals(without.calls, with.calls);
    // Without a breaker every call of the outage sends at least its first attempt.
    assertTrue(without.attemptsDuringOutage() >= 3000, without.summary("without"));
    // With one: the attempts until the failure rate over the 10 s window reaches 50% (5 s of
    // faults after 10 s of successes), then probes only, at most one per open interval.
    assertTrue(with.trippedAt > with.downAt && with.trippedAt - with.downAt <= 6_000 * MS,
        with.summary("with"));
    assertEquals(with.probesDuringOutage(), with.attemptsDuringOutageAfterTrip(),
        with.summary("with"));
    long intervals = Duration.ofSeconds(30).dividedBy(OPEN_INTERVAL);
    assertTrue(with.probesDuringOutage() <= intervals, with.summary("with"));
    assertTrue(with.probesDuringOutage() >= 2, with.summary("with"));
    assertTrue(with.shortestProbeGap() >= OPEN_INTERVAL.toNanos(), with.summary("with"));
    assertTrue(with.attemptsDuringOutage() < without.attemptsDuringOutage() / 4,
        with.summary("with"));
    // Refused calls end at once: no virtual time passes, and the refusal costs well under 1 ms
    // (the goal is a p99 under 1 ms; asserted on CPU time, which a busy machine does not inflate).
    assertEquals(0, with.failFastVirtualMaxNanos);
    assertTrue(with.failFastCpuPercentile(0.99) < MS, with.summary("with"));
    assertTrue(with.failedFast > 2500, with.summary("with"));
    // Calls succeed again within one open interval of the host's return (plus the attempt that
    // was in flight when it came back, for a host that hangs).
    long bound = OPEN_INTERVAL.toNanos() + with.latency + (down == Down.TIMEOUT ? with.timeout : 0);
    assertTrue(with.firstSuccessAfterUp >= 0 && with.firstSuccessAfterUp <= bound,
        with.summary("with"));
    assertTrue(without.firstSuccessAfterUp >= 0 && without.firstSuccessAfterUp <= 20 * MS,
        without.summary("without"));
  }
}
