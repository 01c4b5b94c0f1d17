package dev.stoic;

import dev.stoic.http.FailureKind;
import dev.stoic.http.ServerHints;

/**
 * What one attempt ended with, as {@link RetryPolicy#decide(Outcome)} reads it. It holds what came
 * back, what the request was, and the call's record so far, including the current time's part
 * (elapsed time) and the random draw for jitter. The decision reads nothing else, so the same
 * outcome always gets the same decision.
 *
 * <pre>{@code
 * Outcome outcome = Outcome.status(503)
 *     .method("POST")
 *     .header("Retry-After", "5")
 *     .idempotencyKey(true)
 *     .attempt(2)
 *     .build();
 * Decision decision = policy.decide(outcome);
 * }</pre>
 *
 * <p>Build one with {@link #status(int)} or {@link #failure(Throwable)}. Stoic's executor has its
 * own implementation that hands the decision the live attempt without copying it; other
 * implementations must return the same values for as long as a decision reads them.
 */
public interface Outcome {
  /** The attempt this outcome ends, 1 for the first. */
  int attempt();

  /** The request method as sent; case matters ("get" is not GET). */
  String method();

  /** The response status as received (any int from a misbehaving client); -1 after a failure. */
  int status();

  /** The failure, or null when a response came back. */
  Throwable failure();

  /** How the failure is classified, or null when a response came back. */
  FailureKind failureKind();

  /** The response's hints ({@code Retry-After}, rate-limit fields); {@link ServerHints#NONE} for a failure. */
  ServerHints hints();

  /** True once any of the request body may have gone out. */
  boolean bodySent();

  /** False for a one-shot body, which is never sent twice. */
  boolean bodyReplayable();

  /** True when the request carries an idempotency key (the caller's or a generated one). */
  boolean hasIdempotencyKey();

  /** True when this call already retried once with fresh credentials. */
  boolean credentialsRefreshed();

  /** Nanoseconds since the call started, when this attempt ended. */
  long elapsedNanos();

  /**
   * Nanoseconds this attempt took, from sending its request to its answer or failure; 0 when not
   * known. Under a deadline, a retry is scheduled only if at least this long, and at least 10 ms,
   * is left once its wait is over (docs/SEMANTICS.md, "Deadline").
   */
  default long attemptNanos() {
    return 0;
  }

  /**
   * A limit the client puts on the whole call (OkHttp's call timeout) in nanoseconds from its
   * start, or 0 for none. The policy's own deadline applies as well.
   */
  long callTimeoutNanos();

  /** The wait before this attempt, in nanoseconds; 0 before the second attempt. */
  long previousWaitNanos();

  /** A random draw in [0, 1) for jitter. */
  double draw();

  /** Starts an outcome where the server answered with {@code status}. */
  static OutcomeBuilder status(int status) {
    return new OutcomeBuilder(status, null);
  }

  /**
   * Starts an outcome where the attempt failed with {@code failure}, classified by {@link
   * FailureKind#of}.
   *
   * @throws NullPointerException if {@code failure} is null
   */
  static OutcomeBuilder failure(Throwable failure) {
    java.util.Objects.requireNonNull(failure, "failure == null");
    return new OutcomeBuilder(-1, failure);
  }
}
