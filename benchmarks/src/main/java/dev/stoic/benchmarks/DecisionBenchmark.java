package dev.stoic.benchmarks;

import dev.stoic.Decision;
import dev.stoic.Outcome;
import dev.stoic.RetryBudget;
import dev.stoic.Decision.Action;
import dev.stoic.RetryPolicy;
import dev.stoic.http.FailureKind;
import dev.stoic.http.HeaderLookup;
import dev.stoic.http.ServerHints;
import java.net.SocketTimeoutException;
import java.time.Instant;
import java.util.List;
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
 * One decision, through the public pure function {@link RetryPolicy#decide}: the floor under
 * every adapter, since the executor calls the same method.
 *
 * <ul>
 *   <li>{@code response200}: a 200 on a first attempt.
 *   <li>{@code response503RetryAfter}: a 503 with {@code Retry-After: 1}, the header parsed in
 *       the operation (fresh hints each time, as each response has its own): a retry in 1 s plus
 *       its spread.
 *   <li>{@code readTimeout}: {@code SocketTimeoutException: Read timed out} on a GET, classified in
 *       the operation, then a retry after the default backoff.
 * </ul>
 *
 * <p>The policy is the default one with {@link RetryBudget#unlimited()}: the decision never reads
 * the budget (the executor spends it afterwards), so this only keeps the setup honest.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class DecisionBenchmark {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private static final HeaderLookup NO_HEADERS = name -> List.of();
  private static final List<String> ONE_SECOND = List.of("1");
  private static final HeaderLookup RETRY_AFTER_1 =
      name -> "Retry-After".equalsIgnoreCase(name) ? ONE_SECOND : List.of();
  private static final SocketTimeoutException READ_TIMEOUT =
      new SocketTimeoutException("Read timed out");

  private RetryPolicy policy;
  private final Attempt ok = new Attempt(200, null);
  private final Attempt unavailable = new Attempt(503, null);
  private final Attempt timedOut = new Attempt(-1, READ_TIMEOUT);

  @Setup
  public void setUp() {
    policy = RetryPolicy.builder().retryBudget(RetryBudget.unlimited()).build();
    ok.hints = ServerHints.of(NO_HEADERS, NOW);
    expect(response200(), Action.RETURN);
    expect(response503RetryAfter(), Action.RETRY);
    expect(readTimeout(), Action.RETRY);
    if (response503RetryAfter().waitNanos() < TimeUnit.SECONDS.toNanos(1)) {
      throw new IllegalStateException("Retry-After: 1 was not honoured");
    }
  }

  private static void expect(Decision decision, Action action) {
    if (decision.action() != action) {
      throw new IllegalStateException("expected " + action + ", decided " + decision);
    }
  }

  @Benchmark
  public Decision response200() {
    return policy.decide(ok);
  }

  @Benchmark
  public Decision response503RetryAfter() {
    unavailable.hints = ServerHints.of(RETRY_AFTER_1, NOW);
    return policy.decide(unavailable);
  }

  @Benchmark
  public Decision readTimeout() {
    timedOut.kind = FailureKind.of(READ_TIMEOUT);
    return policy.decide(timedOut);
  }

  /** A first attempt of a GET, as the executor's own outcome presents it: no copy, no builder. */
  private static final class Attempt implements Outcome {
    final int status;
    final Throwable failure;
    FailureKind kind;
    ServerHints hints = ServerHints.NONE;

    Attempt(int status, Throwable failure) {
      this.status = status;
      this.failure = failure;
    }

    @Override public int attempt() { return 1; }
    @Override public String method() { return "GET"; }
    @Override public int status() { return status; }
    @Override public Throwable failure() { return failure; }
    @Override public FailureKind failureKind() { return kind; }
    @Override public ServerHints hints() { return hints; }
    @Override public boolean bodySent() { return false; }
    @Override public boolean bodyReplayable() { return true; }
    @Override public boolean hasIdempotencyKey() { return false; }
    @Override public boolean credentialsRefreshed() { return false; }
    @Override public long elapsedNanos() { return 0; }
    @Override public long callTimeoutNanos() { return 0; }
    @Override public long previousWaitNanos() { return 0; }
    @Override public double draw() { return 0.5; }
  }
}
