package dev.stoic.engine;

import dev.stoic.Decision;
import dev.stoic.Outcome;
import dev.stoic.RetryPolicy;
import dev.stoic.http.HeaderLookup;
import dev.stoic.http.Methods;
import dev.stoic.spi.Attempt;
import dev.stoic.spi.CallInfo;
import dev.stoic.spi.HeaderEdits;
import dev.stoic.spi.ResponseAccess;
import java.time.Duration;

/**
 * One attempt of a logical call. To the adapter it is the {@link Attempt}: the headers to set and
 * the time the attempt may take; the adapter reports back when the request body starts to go out
 * and may ask for the decision from the response's head. To the policy it is the attempt's
 * {@link Outcome} ({@link AttemptOutcome}, which it extends: one object, not two).
 *
 * <p>It carries the call's record so far (waits, credentials, history), copied forward into the
 * next attempt's context: a call that succeeds at once allocates this one object.
 *
 * <p>Not API. Safe to use from the thread that runs the attempt and the one that completes it.
 */
public final class AttemptContext extends AttemptOutcome implements Attempt {
  /** True if this attempt was sent while another attempt of the call was still running. */
  boolean hedge;
  /**
   * The decision an adapter asked for from the head. Plain, like the status and response set with
   * it: the thread that completes the attempt reads them after the client's own hand-off (its
   * future), which orders them.
   */
  Decision earlyDecision;
  /** What was decided after this attempt; null until then. */
  Decision decision;

  /** The first attempt of a call. */
  AttemptContext(RetryExecutor executor, CallInfo call, long startNanos) {
    super(executor, call, startNanos, 1);
    RetryPolicy policy = executor.policy;
    String autoKey = needsAutoKey(policy, call) ? policy.idempotencyKey().newKeyValue() : null;
    Observation observation = Observation.start(policy, executor.observers, call);
    if (autoKey != null || observation != null) {
      details = new AttemptDetails(null, autoKey, null, observation);
    }
  }

  /**
   * The attempt after {@code previous}, carrying the record of {@code decided}: the same context
   * for a call's one attempt at a time; for a hedged call the one whose outcome led to this
   * attempt, while {@code previous} is the last one sent (the history runs through it).
   */
  private AttemptContext(AttemptContext previous, AttemptContext decided, long waitNanos) {
    super(previous.executor, previous.call, previous.startNanos, previous.attempt + 1);
    AttemptDetails from = decided.details;
    AttemptDetails d = new AttemptDetails(previous, previous.autoKey(),
        from == null ? null : from.authorization, previous.observation());
    d.previousWaitNanos = waitNanos;
    if (from != null) {
      d.paidRetry = from.budgetSpent;
      d.credentialsRefreshed = from.credentialsRefreshed;
      d.shadowMark = from.shadowMark;
    }
    this.details = d;
  }

  /** The context of the next attempt, after a wait of {@code waitNanos}; the record goes forward. */
  AttemptContext next(long waitNanos) {
    AttemptContext next = new AttemptContext(this, this, waitNanos);
    letGo();
    return next;
  }

  /**
   * The context of an attempt of a hedged call, sent after {@code this} (the last one sent) as
   * {@code decided}'s outcome asked, or as a hedge when {@code decided} is still running. Earlier
   * attempts may still be running, so nothing of theirs is cleared.
   */
  AttemptContext nextOf(AttemptContext decided, long waitNanos) {
    return new AttemptContext(this, decided, waitNanos);
  }

  private static boolean needsAutoKey(RetryPolicy policy, CallInfo call) {
    return policy.idempotencyKey().autoGenerates()
        && call.callerIdempotencyKey() == null
        && !Methods.isIdempotent(call.method());
  }

  // ---- For the adapter: the Attempt (see its documentation), and what tests read ----

  @Override
  public int number() {
    return attempt;
  }

  @Override
  public HeaderEdits headerEdits(HeaderLookup request) {
    String countHeader = executor.policy.attemptCountHeader();
    if (countHeader != null && !request.values(countHeader).isEmpty()) countHeader = null;
    AttemptDetails d = read();
    String autoKey = d.autoKey;
    String authorization = d.authorizationForAttempt;
    if (autoKey == null && countHeader == null && authorization == null) return HeaderEdits.NONE;
    return HeaderEdits.of(idempotencyHeader(), autoKey,
        countHeader, countHeader == null ? null : attemptCountValue(),
        "Authorization", authorization);
  }

  @Override
  public boolean mayOverlap() {
    return executor.hedges(call);
  }

  /** The idempotency key header to add, or null when the request needs none. */
  public String idempotencyHeader() {
    return autoKey() == null ? null : executor.policy.idempotencyKey().headerName();
  }

  /** The generated idempotency key to add, or null. The same on every attempt of a call. */
  public String idempotencyKey() {
    return autoKey();
  }

  /**
   * The header that tells the server which attempt this is, or null when the policy sends none.
   * Adapters add it unless the caller's request already has it.
   */
  public String attemptCountHeader() {
    return executor.policy.attemptCountHeader();
  }

  /** The value of {@link #attemptCountHeader()} for this attempt. */
  public String attemptCountValue() {
    return executor.policy.attemptCountValue(attempt);
  }

  /** The refreshed {@code Authorization} value to set, or null to keep the request's own. */
  public String authorization() {
    return read().authorizationForAttempt;
  }

  @Override
  public Duration timeout() {
    long timeout = sent ? executor.attemptTimeoutNanos(deadlineNanos(), sentNanos) : 0;
    return timeout > 0 ? Duration.ofNanos(timeout) : null;
  }

  @Override
  public boolean observed() {
    return observation() != null;
  }

  @Override
  public void requestSent() {
    Observation o = observation();
    if (o != null) o.requestSent();
  }

  /**
   * Fixes this attempt's time limit as it goes out, after any throttle wait, and tells the
   * observers. The attempt must then be sent, and {@link #handedOver()} called once the client
   * has it.
   */
  void starting() {
    // The first attempt goes out as the call starts unless a throttle held it: the call's start
    // is its start, and the clock is not read again (a read costs about 20 ns).
    starting(attempt == 1 && executor.policy.throttle() == null
        ? startNanos : executor.clock.nanoTime());
  }

  /** As {@link #starting()}, at {@code nowNanos}. */
  private void starting(long nowNanos) {
    sentNanos = nowNanos;
    sent = true;
    Observation observation = observation();
    if (observation != null) {
      if (hedge) observation.hedgeSent(attempt);
      observation.attemptStarted(attempt, nowNanos);
    }
  }

  /** The attempt has been handed to the client (sent, or started asynchronously). */
  void handedOver() {
    Observation observation = observation();
    if (observation != null) observation.handedOver();
  }

  @Override
  public void markBodyWritten() {
    bodyWritten = true;
  }

  @Override
  public boolean decide(int status, HeaderLookup headers) {
    headIn(status, headers);
    return decided();
  }

  private boolean decided() {
    Decision decision = executor.decideResponse(this);
    earlyDecision = decision;
    return decision.action() == Decision.Action.RETRY;
  }

  @Override
  public <H> boolean decide(H head, ResponseAccess<H> access) {
    // Kept as the response is: hints() reads from it when asked, as from the final response.
    headIn(access.status(head), head, access);
    return decided();
  }

  @Override
  public boolean hedge() {
    return hedge;
  }

  @Override
  public boolean safeToRepeat() {
    return hasIdempotencyKey() || Methods.isIdempotent(call.method());
  }

  @Override
  public String toString() {
    return "attempt " + attempt + " of " + call.method() + " "
        + executor.policy.redaction().url(call.url());
  }
}
