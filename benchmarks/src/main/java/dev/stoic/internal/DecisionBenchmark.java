package dev.stoic.internal;

import dev.stoic.FailureKind;
import dev.stoic.RetryBudget;
import dev.stoic.RetryEvent.Action;
import dev.stoic.RetryPolicy;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One decision of the policy engine, on its own: what {@link DecisionEngine} says about the first
 * attempt's outcome. No call runs around it, so this is the floor under every adapter.
 *
 * <p>This class lives in core's internal package (in the benchmarks jar) because the engine's
 * decision methods are package-private: no public entry point makes exactly one decision. The
 * policy is the default one (system clock, default backoff and jitter) with {@link
 * RetryBudget#unlimited()} for the retry decisions, which would otherwise drain the default budget.
 *
 * <ul>
 *   <li>{@code response200}: a 200, in the engine: the success decision.
 *   <li>{@code response200InExecutor}: a 200 as the executor decides it in a call: the engine, the
 *       default budget's credit for the success, and the event fast path (nobody listens).
 *   <li>{@code response503RetryAfter}: a 503 with {@code Retry-After: 1}: a retry in 1 s or a little
 *       more (the hint plus its spread).
 *   <li>{@code readTimeout}: {@code SocketTimeoutException: Read timed out} on a GET: classified,
 *       then a retry after the default backoff.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class DecisionBenchmark {
  private static final HeaderLookup NO_HEADERS = name -> List.of();
  private static final SocketTimeoutException READ_TIMEOUT =
      new SocketTimeoutException("Read timed out");

  private final Map<String, List<String>> retryAfter = Map.of("Retry-After", List.of("1"));
  private final HeaderLookup retryAfterHeaders = name -> retryAfter.getOrDefault(name, List.of());

  private DecisionEngine engine;
  private AttemptContext firstAttempt;
  private RetryExecutor defaultExecutor;
  private AttemptContext firstAttemptDefaultBudget;
  private final Canned ok = new Canned(200);

  @Setup
  public void setUp() {
    CallInfo call = CallInfo.builder("GET", "https://api.example.com/v1/orders/42?expand=items")
        .host("api.example.com")
        .build();
    RetryExecutor executor = new RetryExecutor(
        RetryPolicy.builder().retryBudget(RetryBudget.unlimited()).build());
    engine = executor.engine;
    firstAttempt = new AttemptContext(executor, call, System.nanoTime()).next(System.nanoTime());
    defaultExecutor = new RetryExecutor(RetryPolicy.builder().build());
    firstAttemptDefaultBudget =
        new AttemptContext(defaultExecutor, call, System.nanoTime()).next(System.nanoTime());

    expect(response200(), Action.RETURN);
    expect(response200InExecutor(), Action.RETURN);
    expect(response503RetryAfter(), Action.RETRY);
    expect(readTimeout(), Action.RETRY);
    if (response503RetryAfter().waitNanos < TimeUnit.SECONDS.toNanos(1)) {
      throw new IllegalStateException("Retry-After: 1 was not honoured");
    }
  }

  private static void expect(Decision decision, Action action) {
    if (decision.action != action) {
      throw new IllegalStateException("expected " + action + ", decided " + decision);
    }
  }

  @Benchmark
  public Decision response200() {
    return engine.decideResponse(firstAttempt, 200, NO_HEADERS);
  }

  @Benchmark
  public Decision response200InExecutor() {
    return defaultExecutor.decideResponse(firstAttemptDefaultBudget, ok, Canned.ACCESS);
  }

  @Benchmark
  public Decision response503RetryAfter() {
    return engine.decideResponse(firstAttempt, 503, retryAfterHeaders);
  }

  @Benchmark
  public Decision readTimeout() {
    FailureKind kind = FailureClassifier.classify(READ_TIMEOUT);
    return engine.decideFailure(firstAttempt, READ_TIMEOUT, kind);
  }

  /** A status with no headers, read without allocating. */
  private static final class Canned {
    static final ResponseAccess<Canned> ACCESS = new ResponseAccess<>() {
      @Override
      public int status(Canned response) {
        return response.status;
      }

      @Override
      public List<String> headers(Canned response, String name) {
        return List.of();
      }

      @Override
      public void discard(Canned response) {}
    };

    final int status;

    Canned(int status) {
      this.status = status;
    }
  }
}
