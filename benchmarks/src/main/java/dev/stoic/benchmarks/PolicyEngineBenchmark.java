package dev.stoic.benchmarks;

import dev.stoic.Backoff;
import dev.stoic.RetryBudget;
import dev.stoic.RetryClock;
import dev.stoic.RetryPolicy;
import dev.stoic.engine.RetryExecutor;
import dev.stoic.spi.CallInfo;
import dev.stoic.spi.Cancellation;
import dev.stoic.spi.SyncAttempt;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The cost of the core engine on one logical call, through {@link RetryExecutor#execute}: the one
 * loop every adapter runs. Attempts return canned responses, so no I/O is measured; the clock is
 * {@link FrozenClock}, so no wait is either. What remains is the engine's own work: call state,
 * attempt context, decisions, Retry-After parsing, events, budget.
 *
 * <p>Every benchmark is one whole logical call:
 *
 * <ul>
 *   <li>{@code success*}: the single attempt returns 200. The goal is under 100 ns and no
 *       allocation (run with {@code -prof gc}: {@code gc.alloc.rate.norm} should be 0 B/op).
 *   <li>{@code retryOn503*}: 503 with {@code Retry-After: 0}, then 200; {@link Backoff#none()}.
 *   <li>{@code retryOnReadTimeout}: the first attempt throws {@code SocketTimeoutException: Read
 *       timed out}, the second returns 200; {@link Backoff#none()}.
 * </ul>
 *
 * <p>Policies use a fixed random draw, no listeners, and {@link RetryBudget#unlimited()}, which
 * keeps the budget out of the numbers; {@code successDefaultBudget} and {@code
 * retryOn503WithBudget} show its cost. Each path is checked once before measuring and after every
 * iteration, so a benchmark that stopped doing what its name says (a retry refused by a drained
 * budget, say) fails instead of reporting the wrong thing fast.
 *
 * <p>Adapters get benchmark classes of their own beside this one; this class stays transport-free.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class PolicyEngineBenchmark {
  private static final String METHOD = "GET";
  private static final String URL = "https://api.example.com/v1/orders/42?expand=items";
  private static final String HOST = "api.example.com";

  private static final CannedResponse OK = CannedResponse.of(200);
  private static final CannedResponse UNAVAILABLE = CannedResponse.of(503, "Retry-After", "0");

  /*
   * Made once and thrown on every call: building an exception (mostly filling in its stack trace)
   * is the transport's cost, not the engine's. The engine never mutates a failure it retries.
   */
  private static final SocketTimeoutException READ_TIMEOUT =
      new SocketTimeoutException("Read timed out");

  private static final SyncAttempt<CannedResponse> SUCCEEDS = context -> OK;
  private static final SyncAttempt<CannedResponse> UNAVAILABLE_THEN_OK =
      context -> context.number() == 1 ? UNAVAILABLE : OK;
  private static final SyncAttempt<CannedResponse> TIMES_OUT_THEN_OK =
      context -> {
        if (context.number() == 1) throw READ_TIMEOUT;
        return OK;
      };
  private static final Cancellation NOT_CANCELLED = () -> false;

  /** Frozen clock, unlimited budget: the engine alone. */
  private RetryExecutor engine;
  /** As {@link #engine}, with the budget a policy gets by default: {@link RetryBudget#perHost()}. */
  private RetryExecutor defaultBudget;
  /**
   * As {@link #engine}, with a per-host budget of the default's capacity and cost whose refill
   * equals the cost. A benchmark that retries on every call would drain the default bucket
   * (refill 0.1 per success, cost 1 per retry) within about 22 calls, after which the retry is
   * refused and the call ends at the 503: a different path. With refill = cost the bucket stays
   * full, and every call does what a healthy default budget does: one map lookup and one
   * compare-and-set to take a token for the retry, one map lookup and one to give it back.
   */
  private RetryExecutor retryBudget;
  /** As {@link #engine}, on the real clock: what reading {@code System.nanoTime()} adds. */
  private RetryExecutor systemClock;

  private CallInfo call;
  /* Not constants, so that building a CallInfo per call cannot be folded away. */
  private String method = METHOD;
  private String url = URL;
  private String host = HOST;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) throws Exception {
    RetryPolicy base =
        RetryPolicy.builder()
            .backoff(Backoff.none())
            .clock(FrozenClock.INSTANCE)
            .random(() -> 0.5)
            .retryBudget(RetryBudget.unlimited())
            .build();
    engine = new RetryExecutor(base);
    defaultBudget = new RetryExecutor(base.toBuilder().retryBudget(RetryBudget.perHost()).build());
    retryBudget = new RetryExecutor(base.toBuilder().retryBudget(RetryBudget.perHost(20, 1, 1)).build());
    systemClock = new RetryExecutor(base.toBuilder().clock(RetryClock.system()).build());
    call = CallInfo.builder(METHOD, URL).host(HOST).build();
    checkPath(params);
  }

  /**
   * Fails the run if the benchmark being run no longer ends in 200 (every path here does). It runs
   * that benchmark's own method and nothing else: calling the executor with another path's attempt
   * would pollute the type profiles the JIT compiled the measured path with.
   */
  @TearDown(Level.Iteration)
  public void checkPath(BenchmarkParams params) throws Exception {
    String benchmark = params.getBenchmark();
    String name = benchmark.substring(benchmark.lastIndexOf('.') + 1);
    Object response = PolicyEngineBenchmark.class.getMethod(name).invoke(this);
    if (((CannedResponse) response).status != 200) {
      throw new IllegalStateException(
          name + ": the call ended with " + response + " (was the retry refused?)");
    }
  }

  /** The success path: one attempt, 200, returned. */
  @Benchmark
  public CannedResponse success() throws IOException, InterruptedException {
    return engine.execute(call, SUCCEEDS, CannedResponse.ACCESS, NOT_CANCELLED);
  }

  /** The success path with the default per-host budget, which credits every success. */
  @Benchmark
  public CannedResponse successDefaultBudget() throws IOException, InterruptedException {
    return defaultBudget.execute(call, SUCCEEDS, CannedResponse.ACCESS, NOT_CANCELLED);
  }

  /** The success path on the real clock: one {@code System.nanoTime()} read per call, the start. */
  @Benchmark
  public CannedResponse successSystemClock() throws IOException, InterruptedException {
    return systemClock.execute(call, SUCCEEDS, CannedResponse.ACCESS, NOT_CANCELLED);
  }

  /**
   * The success path plus the {@link CallInfo} an adapter builds for every call (with the host
   * given, as OkHttp's and the JDK's request URLs have it parsed already).
   */
  @Benchmark
  public CannedResponse successBuildingCallInfo() throws IOException, InterruptedException {
    CallInfo perCall = CallInfo.builder(method, url).host(host).build();
    return engine.execute(perCall, SUCCEEDS, CannedResponse.ACCESS, NOT_CANCELLED);
  }

  /** 503 with {@code Retry-After: 0}, a retry with no wait, then 200. */
  @Benchmark
  public CannedResponse retryOn503() throws IOException, InterruptedException {
    return engine.execute(call, UNAVAILABLE_THEN_OK, CannedResponse.ACCESS, NOT_CANCELLED);
  }

  /** As {@link #retryOn503}, paying a per-host budget for the retry and crediting the success. */
  @Benchmark
  public CannedResponse retryOn503WithBudget() throws IOException, InterruptedException {
    return retryBudget.execute(call, UNAVAILABLE_THEN_OK, CannedResponse.ACCESS, NOT_CANCELLED);
  }

  /** A read timeout on the first attempt, a retry with no wait, then 200. */
  @Benchmark
  public CannedResponse retryOnReadTimeout() throws IOException, InterruptedException {
    return engine.execute(call, TIMES_OUT_THEN_OK, CannedResponse.ACCESS, NOT_CANCELLED);
  }
}
