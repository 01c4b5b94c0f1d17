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
  /*
   * Kept to the fields a call that succeeds at once needs (80 bytes with compressed references):
   * what only some attempts need (a failure, the draw, the call's record after a retry, a
   * generated key, an observation) is in AttemptDetails, made when first needed.
   */
  final RetryExecutor executor;
  final CallInfo call;
  final long startNanos;
  /** 1 for the first attempt. */
  final int attempt;
  private volatile boolean bodyWritten;
  /** True if this attempt was sent while another attempt of the call was still running. */
  boolean hedge;
  private boolean sent;
  /**
   * The decision an adapter asked for from the head. Plain, like the status and response set with
   * it: the thread that completes the attempt reads them after the client's own hand-off (its
   * future), which orders them.
   */
  Decision earlyDecision;

  // What came back, set by the executor before it decides.
  private int status = -1;
  /** The response, or the HeaderLookup an adapter decided early from; null once let go. */
  private Object response;
  private ResponseAccess<Object> access;
  private ServerHints hints;
  /**
   * When the outcome came in, on the policy's clock: NOT_ENDED until it does, UNREAD once it has
   * but nobody has asked the time yet (see {@link #endedNanos()}).
   */
  private long endedNanos = NOT_ENDED;
  /** When this attempt went out, on the policy's clock; meaningful once {@link #sent}. */
  long sentNanos;

  /** What was decided after this attempt; null until then. */
  Decision decision;
  /** See {@link AttemptDetails}; null until needed. */
  private AttemptDetails details;

  private static final long NOT_ENDED = Long.MIN_VALUE;
  private static final long UNREAD = Long.MIN_VALUE + 1;

  /** The first attempt of a call. */
  AttemptContext(RetryExecutor executor, CallInfo call, long startNanos) {
    RetryPolicy policy = executor.policy;
    this.executor = executor;
    this.call = call;
    this.startNanos = startNanos;
    this.attempt = 1;
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
    this.executor = previous.executor;
    this.call = previous.call;
    this.startNanos = previous.startNanos;
    this.attempt = previous.attempt + 1;
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
   * Lets go of the response once it is decided and closed: nothing of it is needed any more, and
   * an async call waiting to retry would otherwise hold it (its headers, its request, its
   * client's exchange) for the whole wait. The hints go too (about 100 B per waiting call): they
   * are read while deciding, by the policy, the throttle and a shadow, and never after.
   */
  void letGo() {
    response = null;
    access = null;
    hints = null;
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

  /** This attempt's details, made on first use. */
  AttemptDetails details() {
    AttemptDetails d = details;
    if (d == null) {
      d = new AttemptDetails(null, null, null, null);
      details = d;
    }
    return d;
  }

  /** Who watches this call (metrics, tracing, flight recording); null when nobody does. */
  Observation observation() {
    AttemptDetails d = details;
    return d == null ? null : d.observation;
  }

  /** True when this attempt is a retry the budget paid for: its success refunds the cost. */
  boolean paidRetry() {
    AttemptDetails d = details;
    return d != null && d.paidRetry;
  }

  /** How the call stands against a shadowed candidate ({@link Shadow}); 0 at first. */
  byte shadowMark() {
    AttemptDetails d = details;
    return d == null ? 0 : d.shadowMark;
  }

  private String autoKey() {
    AttemptDetails d = details;
    return d == null ? null : d.autoKey;
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
    AttemptDetails d = details;
    if (d == null && countHeader == null) return HeaderEdits.NONE;
    String autoKey = d == null ? null : d.autoKey;
    String authorization = d == null ? null : d.authorizationForAttempt;
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
    AttemptDetails d = details;
    return d == null ? null : d.authorizationForAttempt;
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
  @SuppressWarnings("unchecked")
  public boolean decide(int status, HeaderLookup headers) {
    this.status = status;
    this.response = headers;
    this.access = (ResponseAccess<Object>) (ResponseAccess<?>) LOOKUP;
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
    AttemptDetails d = details();
    d.failure = failure;
    d.failureKind = kind;
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
    AttemptDetails d = details;
    return d == null ? null : d.failure;
  }

  @Override
  public FailureKind failureKind() {
    AttemptDetails d = details;
    return d == null ? null : d.failureKind;
  }

  /**
   * Parsed on first read and kept, so the decision and the throttle share one parse. Headers are
   * read as of the clock's time when first asked, which is when the response is decided on.
   */
  @Override
  public ServerHints hints() {
    ServerHints parsed = hints;
    if (parsed != null) return parsed;
    if (failure() != null) return ServerHints.NONE;
    // Read through the response: see values(String).
    parsed = ServerHints.of(this, executor.clock.instant(), executor.policy.hintHeaders());
    hints = parsed;
    return parsed;
  }

  /**
   * The response's header {@code name}, for the hints: this context is their lookup, rather than
   * an object made per response. Once the next attempt's context is made, this one's response is
   * let go and reads as having no headers.
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
    return call.callerIdempotencyKey() != null || autoKey() != null;
  }

  @Override
  public boolean credentialsRefreshed() {
    AttemptDetails d = details;
    return d != null && d.credentialsRefreshed;
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
    AttemptDetails d = details;
    return d == null ? 0 : d.previousWaitNanos;
  }

  /**
   * The policy's random source is drawn on first read only, and the value kept: a decision that
   * needs no jitter consumes no draw, so a test's fixed sequence of draws maps to its retries.
   */
  @Override
  public double draw() {
    AttemptDetails d = details();
    double drawn = d.draw;
    if (Double.isNaN(drawn)) {
      drawn = executor.policy.random().getAsDouble();
      d.draw = drawn;
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
    AttemptDetails d = details;
    return d == null ? null : d.previous;
  }

  /** Reads the headers of an attempt an adapter decided from a lookup rather than a response. */
  private static final ResponseAccess<HeaderLookup> LOOKUP = new ResponseAccess<>() {
    @Override
    public int status(HeaderLookup headers) {
      throw new UnsupportedOperationException("only the headers are known");
    }

    @Override
    public List<String> headers(HeaderLookup headers, String name) {
      return headers.values(name);
    }

    @Override
    public void discard(HeaderLookup headers) {} // the adapter closes the response
  };

  @Override
  public String toString() {
    return "attempt " + attempt + " of " + call.method() + " " + executor.policy.redaction().url(call.url());
  }
}
