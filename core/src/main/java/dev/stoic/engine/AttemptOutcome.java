package dev.stoic.engine;

import dev.stoic.Outcome;
import dev.stoic.http.FailureKind;
import dev.stoic.http.HeaderLookup;
import dev.stoic.http.ServerHints;
import dev.stoic.spi.CallInfo;
import dev.stoic.spi.ResponseAccess;
import java.util.List;

/**
 * An attempt as the policy sees it: the {@link Outcome} the executor fills in and hands to
 * {@link dev.stoic.RetryPolicy#decide} as it is, without copying, and the call's record that
 * comes with it. {@link AttemptContext} adds the adapter's side; the two are one object, so a
 * call that succeeds at once allocates one.
 *
 * <p>Not API. Safe to use from the thread that runs the attempt and the one that completes it.
 */
abstract class AttemptOutcome implements Outcome, HeaderLookup {
  /*
   * Kept to the fields a call that succeeds at once needs (80 bytes with compressed references,
   * with AttemptContext's): what only some attempts need (a failure, the draw, the call's record
   * after a retry, a generated key, an observation) is in AttemptDetails, made when first needed.
   */
  final RetryExecutor executor;
  final CallInfo call;
  final long startNanos;
  /** 1 for the first attempt. */
  final int attempt;
  /** See {@link AttemptDetails}; null until needed. */
  AttemptDetails details;
  volatile boolean bodyWritten;
  /** True once the attempt went out; {@link #sentNanos} is then its time. */
  boolean sent;
  /** When this attempt went out, on the policy's clock; meaningful once {@link #sent}. */
  long sentNanos;

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

  private static final long NOT_ENDED = Long.MIN_VALUE;
  private static final long UNREAD = Long.MIN_VALUE + 1;

  AttemptOutcome(RetryExecutor executor, CallInfo call, long startNanos, int attempt) {
    this.executor = executor;
    this.call = call;
    this.startNanos = startNanos;
    this.attempt = attempt;
  }

  // ---- The record, in the details ----

  /**
   * This attempt's details for reading: {@link AttemptDetails#NONE} until they are made, which
   * reads as nothing recorded.
   */
  AttemptDetails read() {
    AttemptDetails d = details;
    return d == null ? AttemptDetails.NONE : d;
  }

  /** This attempt's details for writing, made on first use. */
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
    return read().observation;
  }

  /** True when this attempt is a retry the budget paid for: its success refunds the cost. */
  boolean paidRetry() {
    return read().paidRetry;
  }

  /** How the call stands against a shadowed candidate ({@link Shadow}); 0 at first. */
  byte shadowMark() {
    return read().shadowMark;
  }

  /** The idempotency key the policy generated for the call, or null. */
  String autoKey() {
    return read().autoKey;
  }

  /** The attempt before this one, or null. */
  AttemptContext previous() {
    return read().previous;
  }

  /** Absolute clock time by which the call must end, or Long.MAX_VALUE (see RetryExecutor). */
  long deadlineNanos() {
    return executor.deadlineNanos(call, startNanos);
  }

  /** Nanoseconds left before the deadline, or Long.MAX_VALUE without one. */
  long remainingNanos(long nowNanos) {
    long deadline = deadlineNanos();
    return deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - nowNanos;
  }

  // ---- Filled in as the outcome comes in ----

  /** The status and headers an adapter read before the body, {@code head} read through {@code access}. */
  @SuppressWarnings("unchecked")
  <H> void headIn(int status, H head, ResponseAccess<H> access) {
    this.status = status;
    this.response = head;
    this.access = (ResponseAccess<Object>) access;
    ended();
  }

  /** As {@link #headIn}, from a lookup of the headers. */
  @SuppressWarnings("unchecked")
  void headIn(int status, HeaderLookup headers) {
    headIn(status, headers, (ResponseAccess<HeaderLookup>) LOOKUP);
  }

  <R> void responded(R response, ResponseAccess<R> access, int status) {
    headIn(status, response, access);
  }

  void failed(Throwable failure, FailureKind kind, long nowNanos) {
    AttemptDetails d = details();
    d.failure = failure;
    d.failureKind = kind;
    this.status = -1;
    endedNanos = nowNanos;
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
    return read().failure;
  }

  @Override
  public FailureKind failureKind() {
    return read().failureKind;
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
   * The response's header {@code name}, for the hints: this attempt is their lookup, rather than
   * an object made per response. Once the response is let go, it reads as having no headers.
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
    return read().credentialsRefreshed;
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
    return read().previousWaitNanos;
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
}
