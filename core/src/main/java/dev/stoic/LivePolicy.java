package dev.stoic;

import dev.stoic.internal.LiveState;
import dev.stoic.internal.ShadowTally;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A policy a running client follows and that can be swapped: build the client with it, then
 * {@link #set} new routes or a new policy at any time, and {@link #shadow} a candidate to see what
 * it would do before switching to it. Policies stay immutable; each call keeps the policy it
 * started with from its first attempt to its last.
 *
 * <pre>{@code
 * LivePolicy live = LivePolicy.of(RetryPolicy.defaults());
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .addInterceptor(StoicInterceptor.create(live)).build();
 * live.shadow(live.policy().toBuilder().maxRetryAfter(Duration.ofMinutes(2)).build());
 * log.info(live.describe()); // what the candidate would have done, counted
 * live.promote();           // switch to it
 * }</pre>
 *
 * <p>What a swap keeps (docs/SEMANTICS.md, "Live policies"): a budget's per-host state when the new
 * budget is the same or has the same settings; a throttle's or breaker's when the new policy
 * holds the same instance ({@link RetryPolicy#toBuilder()} keeps it); hedge latencies when the
 * hedging settings are equal. Anything else starts fresh.
 *
 * <p>Thread-safe: swaps are atomic, and calls and swaps may run on any threads at once.
 */
public final class LivePolicy {
  static {
    LiveState.register(live -> ((LivePolicy) live).state.get());
  }

  private final AtomicReference<LiveState> state;
  private final AtomicLong swaps = new AtomicLong();

  private LivePolicy(RetryRoutes routes) {
    this.state = new AtomicReference<>(new LiveState(routes, null, null));
  }

  /** A live policy starting with {@code policy} for every request. */
  public static LivePolicy of(RetryPolicy policy) {
    return new LivePolicy(routesOf(policy));
  }

  /** A live policy starting with {@code routes}. */
  public static LivePolicy of(RetryRoutes routes) {
    return new LivePolicy(Objects.requireNonNull(routes, "routes == null"));
  }

  /** The routes calls starting now follow. */
  public RetryRoutes routes() {
    return (RetryRoutes) state.get().routes;
  }

  /** The policy for requests no route matches (for a live policy of one policy: that policy). */
  public RetryPolicy policy() {
    return routes().otherwise();
  }

  /** Calls starting from now follow {@code policy} for every request; calls running keep theirs. */
  public void set(RetryPolicy policy) {
    set(routesOf(policy));
  }

  /** Calls starting from now follow {@code routes}; calls running keep theirs. A shadow stays. */
  public void set(RetryRoutes routes) {
    Objects.requireNonNull(routes, "routes == null");
    state.updateAndGet(s -> new LiveState(routes, s.candidate, s.tally));
    swaps.incrementAndGet();
  }

  /** How many times {@link #set} or {@link #promote} swapped the routes. */
  public long swaps() {
    return swaps.get();
  }

  /**
   * Starts deciding every real outcome with {@code candidate} too, for every request, counting
   * where it disagrees; it never sends, waits or spends. Replaces an earlier candidate and its
   * counts.
   */
  public void shadow(RetryPolicy candidate) {
    shadow(routesOf(candidate));
  }

  /** As {@link #shadow(RetryPolicy)}, with candidate routes: each request is compared by route. */
  public void shadow(RetryRoutes candidate) {
    Objects.requireNonNull(candidate, "candidate == null");
    ShadowTally tally = new ShadowTally();
    state.updateAndGet(s -> new LiveState(s.routes, candidate, tally));
  }

  /** The candidate being shadowed, or null. */
  public RetryRoutes candidate() {
    return (RetryRoutes) state.get().candidate;
  }

  /** Stops the shadow: its counts are gone. */
  public void stopShadow() {
    state.updateAndGet(s -> new LiveState(s.routes, null, null));
  }

  /**
   * Makes the candidate live and stops the shadow, in one swap.
   *
   * @throws IllegalStateException if nothing is shadowed
   */
  public void promote() {
    LiveState before = state.getAndUpdate(
        s -> s.candidate == null ? s : new LiveState(s.candidate, null, null));
    if (before.candidate == null) throw new IllegalStateException("no candidate is shadowed");
    swaps.incrementAndGet();
  }

  /** What the candidate would have done differently so far, or null when nothing is shadowed. */
  public ShadowReport shadowReport() {
    ShadowTally tally = state.get().tally;
    return tally == null ? null : new ShadowReport(tally);
  }

  /**
   * The routes' settings ({@link RetryRoutes#describe()}), the number of swaps, and, with a shadow
   * on, the candidate's settings that differ and its report. For logs and support tickets.
   */
  public String describe() {
    LiveState s = state.get();
    StringBuilder out = new StringBuilder(4096);
    out.append("# live: ").append(swaps.get()).append(" swaps\n");
    String live = ((RetryRoutes) s.routes).describe();
    out.append(live);
    if (s.candidate != null) {
      out.append("# shadow: the candidate's settings that differ\n");
      for (String line : ((RetryRoutes) s.candidate).describe().split("\n")) {
        if (!live.contains(line + "\n")) out.append("shadow.").append(line).append('\n');
      }
      out.append(new ShadowReport(s.tally));
    }
    return out.toString();
  }

  private static RetryRoutes routesOf(RetryPolicy policy) {
    Objects.requireNonNull(policy, "policy == null");
    return RetryRoutes.builder().otherwise(policy).build();
  }

  @Override
  public String toString() {
    LiveState s = state.get(); // one read: a swap between reads would mix two states
    return "LivePolicy{" + s.routes + (s.candidate == null ? "" : ", shadow=" + s.candidate) + "}";
  }
}
