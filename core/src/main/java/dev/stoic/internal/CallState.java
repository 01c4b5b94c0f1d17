package dev.stoic.internal;

import dev.stoic.RetryEvent;
import dev.stoic.RetryPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * The mutable record of one logical call: attempts so far, waits, keys, history.
 *
 * <p>Confined: the sync executor uses it from the calling thread; the async executor hands it from
 * one completion to the next, each happening-before the next through the future chain.
 */
final class CallState {
  final CallInfo call;
  final long startNanos;
  /** Absolute clock time by which the call must end, or Long.MAX_VALUE. */
  final long deadlineNanos;
  final String autoKey;
  int attempt;
  long previousWaitNanos;
  String authorization;
  boolean credentialsRefreshed;
  AttemptContext current;
  Decision lastDecision;
  private List<RetryEvent> history;
  private List<Throwable> failures;

  CallState(RetryPolicy policy, CallInfo call, long startNanos) {
    this.call = call;
    this.startNanos = startNanos;
    long limit = Long.MAX_VALUE;
    if (policy.deadline() != null) limit = policy.deadline().toNanos();
    if (call.clientTimeoutNanos > 0) limit = Math.min(limit, call.clientTimeoutNanos);
    this.deadlineNanos = limit == Long.MAX_VALUE ? Long.MAX_VALUE : startNanos + limit;
    this.autoKey = needsAutoKey(policy, call) ? policy.idempotencyKey().newKeyValue() : null;
  }

  private static boolean needsAutoKey(RetryPolicy policy, CallInfo call) {
    return policy.idempotencyKey().autoGenerates()
        && call.callerIdempotencyKey == null
        && !RetryPolicy.isIdempotent(call.method);
  }

  /** True when a repeat of this request is harmless: idempotent method or an idempotency key. */
  boolean safeToRepeat() {
    return call.callerIdempotencyKey != null || autoKey != null
        || RetryPolicy.isIdempotent(call.method);
  }

  boolean hasKey() {
    return call.callerIdempotencyKey != null || autoKey != null;
  }

  AttemptContext nextAttempt(RetryExecutor executor, long nowNanos) {
    RetryPolicy policy = executor.policy;
    attempt++;
    long timeout = 0;
    if (policy.attemptTimeout() != null) timeout = policy.attemptTimeout().toNanos();
    if (deadlineNanos != Long.MAX_VALUE) {
      long left = Math.max(1, deadlineNanos - nowNanos);
      timeout = timeout == 0 ? left : Math.min(timeout, left);
    }
    String header = policy.idempotencyKey().headerName();
    current = new AttemptContext(executor, this, attempt, header, autoKey, authorization, timeout);
    return current;
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
