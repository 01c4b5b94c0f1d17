package dev.stoic.engine;

import dev.stoic.http.FailureKind;

/**
 * What only some attempts need, kept apart from {@link AttemptContext} so that a call that
 * succeeds at once without a generated key or an observer allocates none of it: the attempt
 * before this one, a failure, the draw, the call's record carried from attempt to attempt
 * (waits, budget, credentials, shadow), the generated key and the observation.
 *
 * <p>Not API. Fields are read and written by the context and the attempt step, as the context's
 * own were.
 */
final class AttemptDetails {
  /** What an attempt without details reads as: nothing recorded. Never written. */
  static final AttemptDetails NONE = new AttemptDetails(null, null, null, null);

  /** The attempt before this one, or null: the call's history is this chain. */
  final AttemptContext previous;
  /** The idempotency key the policy generated for the call, or null. */
  final String autoKey;
  /** The refreshed {@code Authorization} this attempt sends, or null for the request's own. */
  final String authorizationForAttempt;
  /** Who watches the call (metrics, tracing, flight recording); null when nobody does. */
  final Observation observation;

  Throwable failure;
  FailureKind failureKind;
  /** The draw, once read; NaN before (a draw is in [0, 1)). */
  double draw = Double.NaN;

  // The call's running record: written by the step, copied forward to the next attempt.
  long previousWaitNanos;
  /** True when the retry budget paid for the retry that follows this attempt. */
  boolean budgetSpent;
  /** True when this attempt is a retry the budget paid for: its success refunds the cost. */
  boolean paidRetry;
  /** The {@code Authorization} the next attempt sends: this one's, or a refreshed one. */
  String authorization;
  boolean credentialsRefreshed;
  /** How the call stands against a shadowed candidate ({@link Shadow}). */
  byte shadowMark;

  AttemptDetails(AttemptContext previous, String autoKey, String authorizationForAttempt,
      Observation observation) {
    this.previous = previous;
    this.autoKey = autoKey;
    this.authorizationForAttempt = authorizationForAttempt;
    this.observation = observation;
    this.authorization = authorizationForAttempt;
  }
}
