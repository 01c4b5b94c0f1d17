package dev.stoic.internal;

import dev.stoic.RetryEvent;
import dev.stoic.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One attempt as the executor hands it to an adapter: its number, the headers to set on the
 * request, the time it may take. The adapter reports back whether the request body was written.
 * It also carries the call's record so far (attempts, waits, keys, history), copied forward into
 * the next attempt's context: a call that succeeds at once allocates this one object, with no
 * reference to any other per-call object, so escape analysis can remove it.
 *
 * <p>Not API. Safe to use from the thread that runs the attempt and the one that completes it.
 */
public final class AttemptContext {
  final RetryExecutor executor;
  final CallInfo call;
  final long startNanos;
  /** Absolute clock time by which the call must end, or Long.MAX_VALUE. */
  final long deadlineNanos;
  final String autoKey;
  /** 1 for the first attempt; 0 before it (the throttle's wait). */
  final int attempt;
  private final String idempotencyHeader;
  private final String authorizationForAttempt;
  private final long timeoutNanos;
  private volatile boolean bodyWritten;
  volatile Decision earlyDecision;

  // The call's running record: written by the executor, copied forward by next().
  long previousWaitNanos;
  String authorization;
  boolean credentialsRefreshed;
  Decision lastDecision;
  private List<RetryEvent> history;
  private List<Throwable> failures;

  /** The call before its first attempt. */
  AttemptContext(RetryExecutor executor, CallInfo call, long startNanos) {
    RetryPolicy policy = executor.policy;
    this.executor = executor;
    this.call = call;
    this.startNanos = startNanos;
    long limit = Long.MAX_VALUE;
    if (policy.deadline() != null) limit = policy.deadline().toNanos();
    if (call.clientTimeoutNanos > 0) limit = Math.min(limit, call.clientTimeoutNanos);
    this.deadlineNanos = limit == Long.MAX_VALUE ? Long.MAX_VALUE : startNanos + limit;
    this.autoKey = needsAutoKey(policy, call) ? policy.idempotencyKey().newKeyValue() : null;
    this.attempt = 0;
    this.idempotencyHeader = policy.idempotencyKey().headerName();
    this.authorizationForAttempt = null;
    this.timeoutNanos = 0;
  }

  private AttemptContext(AttemptContext previous, long nowNanos) {
    RetryPolicy policy = previous.executor.policy;
    this.executor = previous.executor;
    this.call = previous.call;
    this.startNanos = previous.startNanos;
    this.deadlineNanos = previous.deadlineNanos;
    this.autoKey = previous.autoKey;
    this.attempt = previous.attempt + 1;
    this.idempotencyHeader = previous.idempotencyHeader;
    this.authorizationForAttempt = previous.authorization;
    long timeout = 0;
    if (policy.attemptTimeout() != null) timeout = policy.attemptTimeout().toNanos();
    if (deadlineNanos != Long.MAX_VALUE) {
      long left = Math.max(1, deadlineNanos - nowNanos);
      timeout = timeout == 0 ? left : Math.min(timeout, left);
    }
    this.timeoutNanos = timeout;
    this.previousWaitNanos = previous.previousWaitNanos;
    this.authorization = previous.authorization;
    this.credentialsRefreshed = previous.credentialsRefreshed;
    this.lastDecision = previous.lastDecision;
    this.history = previous.history;
    this.failures = previous.failures;
  }

  /** The context of the next attempt, carrying this call's record forward. */
  AttemptContext next(long nowNanos) {
    return new AttemptContext(this, nowNanos);
  }

  private static boolean needsAutoKey(RetryPolicy policy, CallInfo call) {
    return policy.idempotencyKey().autoGenerates()
        && call.callerIdempotencyKey == null
        && !RetryPolicy.isIdempotent(call.method);
  }

  /** 1 for the first attempt. */
  public int number() {
    return attempt;
  }

  /** The idempotency key header to add, or null when the request needs none. */
  public String idempotencyHeader() {
    return autoKey == null ? null : idempotencyHeader;
  }

  /** The generated idempotency key to add, or null. The same on every attempt of a call. */
  public String idempotencyKey() {
    return autoKey;
  }

  /** The refreshed {@code Authorization} value to set, or null to keep the request's own. */
  public String authorization() {
    return authorizationForAttempt;
  }

  /**
   * The time this attempt may take: the smaller of the policy's attempt timeout and the time left
   * before the deadline; null when neither applies.
   */
  public Duration timeout() {
    return timeoutNanos > 0 ? Duration.ofNanos(timeoutNanos) : null;
  }

  /** Records that the request body started to go out; a one-shot body is then never re-sent. */
  public void markBodyWritten() {
    bodyWritten = true;
  }

  /**
   * Decides this attempt's fate from its status and headers before the body is read, and returns
   * true if a retry will follow (so the body should be discarded, not handed to the caller). The
   * decision is made once and stands when the attempt completes.
   */
  public boolean decide(int status, HeaderLookup headers) {
    Decision decision = executor.decideHeaders(this, status, headers);
    earlyDecision = decision;
    return decision.action == dev.stoic.RetryEvent.Action.RETRY;
  }

  boolean bodyWritten() {
    return bodyWritten;
  }

  /**
   * True when a repeat of this request is harmless: an idempotent method or an idempotency key.
   * Adapters use it to turn off a client's own silent re-sending for requests where it is not.
   */
  public boolean safeToRepeat() {
    return call.callerIdempotencyKey != null || autoKey != null
        || RetryPolicy.isIdempotent(call.method);
  }

  boolean hasKey() {
    return call.callerIdempotencyKey != null || autoKey != null;
  }

  /** Nanoseconds left before the deadline, or Long.MAX_VALUE without one. */
  long remainingNanos(long nowNanos) {
    return deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineNanos - nowNanos;
  }

  void record(RetryEvent event) {
    if (history == null) history = new ArrayList<>(4);
    history.add(event);
  }

  void recordFailure(Throwable failure) {
    if (failures == null) failures = new ArrayList<>(4);
    failures.add(failure);
  }

  List<RetryEvent> history() {
    return history == null ? List.of() : history;
  }

  List<Throwable> failures() {
    return failures == null ? List.of() : failures;
  }
}
