package dev.stoic.micrometer;

import dev.stoic.CallObserver;
import dev.stoic.ObservedCall;
import dev.stoic.RetryObserver;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records Stoic's calls in a Micrometer {@link MeterRegistry}. It measures how long calls and
 * attempts take, how many retries were made and why, why calls gave up, how often the budget
 * refused a retry or the throttle made an attempt wait, how much of the waiting server hints asked
 * for, and how many requests the client re-sent on its own.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder()
 *     .observer(StoicMetrics.create(meterRegistry))
 *     .build();
 * }</pre>
 *
 * <table>
 *   <caption>Meters (Prometheus names in brackets)</caption>
 *   <tr><th>Name</th><th>Type</th><th>Tags</th><th>One per</th></tr>
 *   <tr><td>{@code stoic.calls} ({@code stoic_calls_seconds})</td><td>timer, histogram</td>
 *       <td>host, method, outcome, status_class</td><td>logical call, from start to the final
 *       decision</td></tr>
 *   <tr><td>{@code stoic.attempts} ({@code stoic_attempts_seconds})</td><td>timer, histogram</td>
 *       <td>host, method, outcome, status_class</td><td>attempt, from going out to its response
 *       headers or failure</td></tr>
 *   <tr><td>{@code stoic.retries} ({@code stoic_retries_total})</td><td>counter</td>
 *       <td>host, method, reason</td><td>retry decided</td></tr>
 *   <tr><td>{@code stoic.giveups} ({@code stoic_giveups_total})</td><td>counter</td>
 *       <td>host, method, reason</td><td>call that ended as a failure</td></tr>
 *   <tr><td>{@code stoic.budget.refusals} ({@code stoic_budget_refusals_total})</td>
 *       <td>counter</td><td>host, method</td><td>retry the retry budget refused</td></tr>
 *   <tr><td>{@code stoic.throttle.waits} ({@code stoic_throttle_waits_total})</td>
 *       <td>counter</td><td>host, method</td><td>attempt the throttle made wait</td></tr>
 *   <tr><td>{@code stoic.waits} ({@code stoic_waits_seconds})</td><td>timer</td>
 *       <td>host, method, reason</td><td>wait decided: before a retry (its reason) or for the
 *       throttle ({@code throttle})</td></tr>
 *   <tr><td>{@code stoic.waits.hinted} ({@code stoic_waits_hinted_seconds_total})</td>
 *       <td>counter, seconds</td><td>host, method</td><td>the part of a retry's wait that a
 *       server hint added beyond the backoff</td></tr>
 *   <tr><td>{@code stoic.client.resends} ({@code stoic_client_resends_total})</td>
 *       <td>counter</td><td>host, method</td><td>request the client re-sent within one attempt
 *       (OkHttp 5 only)</td></tr>
 *   <tr><td>{@code stoic.hedges} ({@code stoic_hedges_total})</td><td>counter</td>
 *       <td>host, method</td><td>hedge sent ({@link dev.stoic.Hedging}); its attempt is also
 *       in {@code stoic.attempts}</td></tr>
 * </table>
 *
 * <p>Tag values: {@code outcome} is {@code success} or {@code failure} for calls and {@code
 * success}, {@code retry} or {@code failure} for attempts; {@code status_class} is {@code 1xx} to
 * {@code 5xx}, {@code none} without a response, {@code other} for a code outside 100-599; {@code
 * reason} is a {@link dev.stoic.Decision.Cause} in lower case ({@code status}, {@code exception},
 * {@code hint}, {@code unsafe}, {@code budget}, {@code throttle}, {@code deadline}, {@code
 * attempts}, {@code cancel}, {@code other}); {@code method} is the request method when HTTP
 * defines it, else {@code _OTHER}. The two timers publish percentile histograms; turn them off,
 * or drop the {@code host} tag where hosts are many, with a Micrometer {@code MeterFilter}.
 *
 * <p>Meters are registered on first use and kept per host and method: recording a call then
 * costs two map reads. Thread-safe; one instance may serve many policies.
 */
public final class StoicMetrics implements RetryObserver {
  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, CallMeters>> byHost =
      new ConcurrentHashMap<>();

  private StoicMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Returns an observer that records into {@code registry}.
   *
   * @throws NullPointerException if {@code registry} is null
   */
  public static StoicMetrics create(MeterRegistry registry) {
    return new StoicMetrics(Objects.requireNonNull(registry, "registry == null"));
  }

  /** The meters for the call's host and method: shared by its calls, so nothing is made per call. */
  @Override
  public CallObserver callStarted(ObservedCall call) {
    String host = call.host();
    String methodTag = CallMeters.methodTag(call.method());
    ConcurrentHashMap<String, CallMeters> byMethod = byHost.get(host);
    if (byMethod == null) byMethod = byHost.computeIfAbsent(host, h -> new ConcurrentHashMap<>());
    CallMeters meters = byMethod.get(methodTag);
    if (meters != null) return meters;
    return byMethod.computeIfAbsent(methodTag, m -> new CallMeters(registry, host, m));
  }

  @Override
  public String toString() {
    return "StoicMetrics{" + registry.getClass().getSimpleName() + "}";
  }
}
