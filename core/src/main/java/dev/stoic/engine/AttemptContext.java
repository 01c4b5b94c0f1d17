package dev.stoic.engine;

import dev.stoic.Decision;
import dev.stoic.Outcome;
import dev.stoic.RetryPolicy;
import dev.stoic.http.FailureKind;
import dev.stoic.http.HeaderLookup;
import dev.stoic.http.Methods;
import dev.stoic.http.ServerHints;
import dev.stoic.spi.Attempt;
import dev.stoic.spi.CallInfo;
import dev.stoic.spi.HeaderEdits;
import dev.stoic.spi.ResponseAccess;
import java.time.Duration;
import java.util.List;

/**
 * One attempt of a logical call. To the adapter it is the {@link Attempt}: the headers to set and
 * the time the attempt may take; the adapter reports back when the request body starts to go out. To
 * the policy it is the attempt's {@link Outcome}: the executor fills in what came back and hands
 * it to {@link RetryPolicy#decide} as it is, without copying.
 *
 * <p>It carries the call's record so far (waits, credentials, history), copied forward into the
 * next attempt's context: a call that succeeds at once allocates this one object.
 *
 * <p>Not API. Safe to use from the thread that runs the attempt and the one that completes it.
 */
public final class AttemptContext implements Attempt, Outcome, HeaderLookup {
  final RetryExecutor executor;
  final CallInfo call;
  final long startNanos;
  final String autoKey;
  /** 1 for the first attempt. */
  final int attempt;
  private final String authorizationForAttempt;
  private volatile boolean bodyWritten;
  volatile Decision earlyDecision;

  // What came back, set by the executor before it decides.
  private int status = -1;
  private Throwable failure;
  private FailureKind failureKind;
  private Object response;
  private ResponseAccess<Object> access;
  private HeaderLookup headers;
  private ServerHints hints;
  /**
   * When the outcome came in, on the policy's clock: NOT_ENDED until it does, UNREAD once it has
   * but nobody has asked the time yet (see {@link #endedNanos()}).
   */
  private long endedNanos = NOT_ENDED;
  /** The draw, once read; NaN before (a draw is in [0, 1)). */
  private double draw = Double.NaN;

  /** What was decided after this attempt; null until then. */
  Decision decision;
  /** The attempt before this one, or null: the call's history is this chain. */
  private final AttemptContext previous;

  // The call's running record: written by the executor, copied forward by next().
  long previousWaitNanos;
  /** True when the retry budget paid for the retry that follows this attempt. */
  boolean budgetSpent;
  /** True when this attempt is a retry the budget paid for: its success refunds the cost. */
  boolean paidRetry;
  String authorization;
  boolean credentialsRefreshed;
  /** How the call stands against a shadowed candidate ({@link Shadow}); copied forward. */
  byte shadowMark;
  /** Who watches this call (metrics, tracing, flight recording); null when nobody does. */
  Observation observation;
  /** True if this attempt was sent while another attempt of the call was still running. */
  boolean hedge;
  /** When this attempt went out, on the policy's clock; meaningful once {@link #sent}. */
  long sentNanos;
  private boolean sent;

  private static final long NOT_ENDED = Long.MIN_VALUE;
  private static final long UNREAD = Long.MIN_VALUE + 1;

  /** The first attempt of a call. */
  AttemptContext(RetryExecutor executor, CallInfo call, long startNanos) {
    RetryPolicy policy = executor.policy;
    this.executor = executor;
    this.call = call;
    this.startNanos = startNanos;
    this.autoKey = needsAutoKey(policy, call) ? policy.idempotencyKey().newKeyValue() : null;
    this.attempt = 1;
    this.authorizationForAttempt = null;
    this.previous = null;
    this.observation = Observation.start(policy, executor.observers, call);
  }

  /**
   * The attempt after {@code previous}, carrying the record of {@code decided}: the same context
   * for a call's one attempt at a time; for a hedged call the one whose outcome led to this
   * attempt, while {@code previous} is the last one sent (the history runs through it).
   */
  private AttemptContext(AttemptContext previous, AttemptContext decided) {
    this.executor = previous.executor;
    this.call = previous.call;
    this.startNanos = previous.startNanos;
    this.autoKey = previous.autoKey;
    this.attempt = previous.attempt + 1;
    this.authorizationForAttempt = decided.authorization;
    this.previousWaitNanos = decided.previousWaitNanos;
    this.paidRetry = decided.budgetSpent;
    this.authorization = decided.authorization;
    this.credentialsRefreshed = decided.credentialsRefreshed;
    this.shadowMark = decided.shadowMark;
    this.previous = previous;
    this.observation = previous.observation;
  }

  /** The context of the next attempt, after a wait of {@code waitNanos}; the record goes forward. */
  AttemptContext next(long waitNanos) {
    AttemptContext next = new AttemptContext(this, this);
    next.previousWaitNanos = waitNanos;
    letGo();
    return next;
  }

  /**
   * Lets go of the response once it is decided and closed: nothing of it is needed any more, and
   * an async call waiting to retry would otherwise hold it (its headers, its request, its
   * client's exchange) for the whole wait. Hints already read stay.
   */
  void letGo() {
    response = null;
    access = null;
    headers = null;
  }

  /**
   * The context of an attempt of a hedged call, sent after {@code this} (the last one sent) as
   * {@code decided}'s outcome asked, or as a hedge when {@code decided} is still running. Earlier
   * attempts may still be running, so nothing of theirs is cleared.
   */
  AttemptContext nextOf(AttemptContext decided, long waitNanos) {
    AttemptContext next = new AttemptContext(this, decided);
    next.previousWaitNanos = waitNanos;
    return next;
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
    if (autoKey == null && countHeader == null && authorizationForAttempt == null) {
      return HeaderEdits.NONE;
    }
    return HeaderEdits.of(idempotencyHeader(), autoKey,
        countHeader, countHeader == null ? null : attemptCountValue(),
        "Authorization", authorizationForAttempt);
  }

  @Override
  public boolean mayOverlap() {
    return executor.hedges(call);
  }

  /** The idempotency key header to add, or null when the request needs none. */
  public String idempotencyHeader() {
    return autoKey == null ? null : executor.policy.idempotencyKey().headerName();
  }

  /** The generated idempotency key to add, or null. The same on every attempt of a call. */
  public String idempotencyKey() {
    return autoKey;
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
    return authorizationForAttempt;
  }

  @Override
  public Duration timeout() {
    long timeout = sent ? executor.attemptTimeoutNanos(deadlineNanos(), sentNanos) : 0;
    return timeout > 0 ? Duration.ofNanos(timeout) : null;
  }

  /** Absolute clock time by which the call must end, or Long.MAX_VALUE (see RetryExecutor). */
  long deadlineNanos() {
    return executor.deadlineNanos(call, startNanos);
  }

  @Override
  public boolean observed() {
    return observation != null;
  }

  @Override
  public void requestSent() {
    Observation o = observation;
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
    if (observation != null) {
      if (hedge) observation.hedgeSent(attempt);
      observation.attemptStarted(attempt, nowNanos);
    }
  }

  /** The attempt has been handed to the client (sent, or started asynchronously). */
  void handedOver() {
    if (observation != null) observation.handedOver();
  }

  @Override
  public void markBodyWritten() {
    bodyWritten = true;
  }

  @Override
  public boolean decide(int status, HeaderLookup headers) {
    this.status = status;
    this.headers = headers;
    return decided();
  }

  private boolean decided() {
    ended();
    Decision decision = executor.decideResponse(this);
    earlyDecision = decision;
    return decision.action() == Decision.Action.RETRY;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <H> boolean decide(H head, ResponseAccess<H> access) {
    // Kept as the response is: hints() reads from it when asked, as from the final response.
    this.status = access.status(head);
    this.response = head;
    this.access = (ResponseAccess<Object>) access;
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

  // ---- Filled in by the executor ----

  @SuppressWarnings("unchecked")
  <R> void responded(R response, ResponseAccess<R> access, int status) {
    this.response = response;
    this.access = (ResponseAccess<Object>) access;
    this.status = status;
    ended();
  }

  void failed(Throwable failure, FailureKind kind, long nowNanos) {
    this.failure = failure;
    this.failureKind = kind;
    this.status = -1;
    endedAt(nowNanos);
  }

  /**
   * Every way an attempt's outcome comes in (early from its headers, with its response, with a
   * failure) passes here, so the decision reads the time of the moment it is made.
   */
  private void endedAt(long nowNanos) {
    endedNanos = nowNanos;
  }

  /**
   * The outcome is in, and its time is read when first asked ({@link #endedNanos()}): a success
   * that nobody watches and no deadline limits never reads the clock for it. Whoever asks does so
   * while deciding or reporting this outcome, before any wait; {@link AttemptStep#report} asks for
   * every attempt a retry follows, so the history holds each attempt's own time.
   */
  private void ended() {
    if (endedNanos == NOT_ENDED) endedNanos = UNREAD;
  }

  /** When the outcome came in, reading the clock the first time it is asked; NOT_ENDED before. */
  long endedNanos() {
    long ended = endedNanos;
    if (ended == UNREAD) {
      ended = executor.clock.nanoTime();
      endedNanos = ended;
    }
    return ended;
  }

  // ---- The Outcome the policy decides on ----

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public String method() {
    return call.method();
  }

  @Override
  public int status() {
    return status;
  }

  @Override
  public Throwable failure() {
    return failure;
  }

  @Override
  public FailureKind failureKind() {
    return failureKind;
  }

  /**
   * Parsed on first read and kept, so the decision and the throttle share one parse. Headers are
   * read as of the clock's time when first asked, which is when the response is decided on.
   */
  @Override
  public ServerHints hints() {
    ServerHints parsed = hints;
    if (parsed != null) return parsed;
    if (failure != null) return ServerHints.NONE;
    HeaderLookup lookup = headers;
    if (lookup == null) lookup = this; // read through the response: see values(String)
    parsed = ServerHints.of(lookup, executor.clock.instant(), executor.policy.hintHeaders());
    hints = parsed;
    return parsed;
  }

  /**
   * The response's header {@code name}, for the hints when no lookup came with the headers: this
   * context is that lookup, rather than an object made per response. Once the next attempt's
   * context is made, this one's response is let go and reads as having no headers.
   */
  @Override
  public List<String> values(String name) {
    Object r = response;
    ResponseAccess<Object> a = access;
    return a == null ? List.of() : a.headers(r, name);
  }

  @Override
  public boolean bodySent() {
    return bodyWritten;
  }

  @Override
  public boolean bodyReplayable() {
    return call.bodyReplayable();
  }

  @Override
  public boolean hasIdempotencyKey() {
    return call.callerIdempotencyKey() != null || autoKey != null;
  }

  @Override
  public boolean credentialsRefreshed() {
    return credentialsRefreshed;
  }

  @Override
  public long elapsedNanos() {
    long ended = endedNanos();
    return ended == NOT_ENDED ? 0 : ended - startNanos;
  }

  @Override
  public long attemptNanos() {
    long ended = endedNanos();
    return sent && ended != NOT_ENDED ? Math.max(0, ended - sentNanos) : 0;
  }

  @Override
  public long callTimeoutNanos() {
    return call.clientTimeoutNanos();
  }

  @Override
  public long previousWaitNanos() {
    return previousWaitNanos;
  }

  /**
   * The policy's random source is drawn on first read only, and the value kept: a decision that
   * needs no jitter consumes no draw, so a test's fixed sequence of draws maps to its retries.
   */
  @Override
  public double draw() {
    double drawn = draw;
    if (Double.isNaN(drawn)) {
      drawn = executor.policy.random().getAsDouble();
      draw = drawn;
    }
    return drawn;
  }

  // ---- The record ----

  /** Nanoseconds left before the deadline, or Long.MAX_VALUE without one. */
  long remainingNanos(long nowNanos) {
    long deadline = deadlineNanos();
    return deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - nowNanos;
  }

  /** The attempt before this one, or null. */
  AttemptContext previous() {
    return previous;
  }

  @Override
  public String toString() {
    return "attempt " + attempt + " of " + call.method() + " " + executor.policy.redaction().url(call.url());
  }
}
