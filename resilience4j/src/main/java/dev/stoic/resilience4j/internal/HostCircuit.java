package dev.stoic.resilience4j.internal;

import dev.stoic.CircuitOpenException;
import dev.stoic.RetryClock;
import dev.stoic.http.FailureKind;
import dev.stoic.http.RateLimitStatus;
import dev.stoic.http.Retryability;
import dev.stoic.http.ServerHints;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gate for one host: a resilience4j {@link CircuitBreaker} told only of server faults, a
 * rate-limit hold kept beside it, and the times the messages name.
 *
 * <p>The breaker decides when the circuit opens, closes and lets probes through; this class
 * decides what it is told (server faults as errors, every other answer as a success, cancelled
 * attempts not at all), which attempts may ask it for a probe (only those safe to repeat), and
 * how long a server's hint keeps the circuit open or the host held.
 *
 * <p>Not API. Thread-safe: the breaker is; the times here are volatile, and the rare updates
 * that compare and set them hold this object's lock.
 */
public final class HostCircuit {
  private static final long NONE = Long.MIN_VALUE;

  /** What the breaker records for a failed attempt; shared, without a stack trace. */
  static final Throwable SERVER_FAULT = new Fault("a 5xx status the policy retries");
  static final Throwable TRANSPORT_FAULT = new Fault("a timeout or connect failure");

  final String host;
  final CircuitBreaker breaker;
  private final RetryClock clock;
  private final long openIntervalNanos;
  private final long maxProbeNanos;
  private final long maxHoldNanos;
  /** Server faults in a row that open a closed circuit, whatever the window holds; 0 for never. */
  private final int consecutiveFaults;
  /** Server faults since the last answer that was not one. */
  private final AtomicInteger faultsInARow = new AtomicInteger();
  /** Calls waiting to retry on this host, woken when it starts refusing attempts. */
  private final Set<Runnable> waiting = ConcurrentHashMap.newKeySet();

  /** Access order for the registry's eviction: larger is more recent. */
  volatile long lastUsed;
  /** No attempt before this time on the clock (a rate-limit hold); NONE for none. */
  private volatile long heldUntil = NONE;
  /** When the open circuit lets its next probe through; NONE before it first opens. */
  private volatile long openUntil = NONE;
  /** When the circuit last turned half-open. */
  private volatile long halfOpenSince = NONE;

  HostCircuit(String host, CircuitBreaker breaker, RetryClock clock, long openIntervalNanos,
      long maxProbeNanos, long maxHoldNanos, int consecutiveFaults) {
    this.host = host;
    this.breaker = breaker;
    this.clock = clock;
    this.openIntervalNanos = openIntervalNanos;
    this.maxProbeNanos = maxProbeNanos;
    this.maxHoldNanos = maxHoldNanos;
    this.consecutiveFaults = consecutiveFaults;
    breaker.getEventPublisher().onStateTransition(e -> {
      State to = e.getStateTransition().getToState();
      onTransition(to);
      if (isGating(to)) wakeWaiting();
    });
  }

  /** A server fault: a 5xx status that the policy's status table retries in some way. */
  public static boolean isServerFault(int status, Retryability treatment) {
    return status >= 500 && status <= 599
        && treatment != Retryability.NEVER && treatment != Retryability.PASS_THROUGH;
  }

  /**
   * Lets an attempt through (returns 0) or refuses it.
   *
   * @throws CircuitOpenException if the host is held, the circuit is open, or it is not closed
   *     and the request may not probe it
   */
  public long permit(boolean safeToRepeat) throws CircuitOpenException {
    long now = clock.nanoTime();
    long held = heldUntil;
    if (held != NONE && now < held) throw held(now, held);
    State state = breaker.getState();
    if (!safeToRepeat && isGating(state)) {
      throw new CircuitOpenException(
          host, at(now, unsafeNextProbe(now, state)), unsafeMessage(now, state));
    }
    if (breaker.tryAcquirePermission()) return 0;
    if (breaker.getState() == State.HALF_OPEN && now - halfOpenSince >= maxProbeNanos) {
      // A probe that never came back (its call abandoned before it was sent, or hung): written
      // off as failed, so the circuit opens for another interval instead of waiting for ever.
      writeOffProbe();
    }
    throw refusal(now);
  }

  /** Records a response: a server fault counts against the host; any other answer for it. */
  public void onResponse(int status, Retryability treatment, ServerHints hints) {
    if (isServerFault(status, treatment)) {
      breaker.onError(0, TimeUnit.NANOSECONDS, SERVER_FAULT);
      countFaultInARow();
      long hint = hints.retryAfterNanos();
      if (hint < 0 && status == 503) hint = hints.rateLimitResetNanos();
      if (hint > 0) extendOpen(hint);
      return;
    }
    faultsInARow.set(0);
    breaker.onSuccess(0, TimeUnit.NANOSECONDS);
    long hold = holdNanos(status, hints);
    if (hold > 0) hold(hold);
  }

  /** Records an attempt without a response: timeouts and connect failures count, nothing else. */
  public void onFailure(FailureKind kind) {
    if (kind == FailureKind.CONNECT || kind == FailureKind.AFTER_SEND) {
      breaker.onError(0, TimeUnit.NANOSECONDS, TRANSPORT_FAULT);
      countFaultInARow();
    } else {
      breaker.releasePermission(); // not evidence either way; a probe's permit goes back
    }
  }

  /** Why a retry after {@code waitNanos} would be refused, or null if it may be let through. */
  public String refusesRetry(long waitNanos, boolean safeToRepeat) {
    long now = clock.nanoTime();
    long at = now + Math.max(0, waitNanos);
    long held = heldUntil;
    if (held != NONE && at < held) return heldMessage(now, held);
    State state = breaker.getState();
    if (!isGating(state)) return null;
    if (!safeToRepeat) return unsafeMessage(now, state);
    if (state == State.OPEN && openUntil != NONE && at <= openUntil) return openMessage(now);
    return null; // half-open: the retry may find a probe permit; its permit will say
  }

  /**
   * Runs {@code wake} each time this host starts refusing attempts (its circuit opens, a hint
   * holds it, an open circuit is lengthened), until the returned handle is cancelled.
   */
  public RetryClock.Cancellable watch(Runnable wake) {
    waiting.add(wake);
    // Opened, or held, since the retry was decided: no transition will come to wake it.
    long held = heldUntil;
    if (isGating(breaker.getState()) || (held != NONE && clock.nanoTime() < held)) wake.run();
    return () -> waiting.remove(wake);
  }

  /** On the thread that opened the circuit or set the hold; a wake only hands over, never waits. */
  private void wakeWaiting() {
    for (Runnable wake : waiting) {
      try {
        wake.run();
      } catch (RuntimeException e) {
        // one waiter's failure must not keep the others asleep; the waiter's own permit will say
      }
    }
  }

  /**
   * A closed circuit opens on the {@code consecutiveFaults}-th server fault in a row, however
   * many successes the rate window holds: on a busy host that window needs as many failures as
   * it held successes before the rate tips, exactly when the host went down.
   */
  private void countFaultInARow() {
    if (consecutiveFaults == 0 || faultsInARow.incrementAndGet() < consecutiveFaults) return;
    synchronized (this) {
      if (breaker.getState() != State.CLOSED) return;
      faultsInARow.set(0);
      breaker.transitionToOpenState(); // its listener wakes the calls waiting (each only hands over)
    }
  }

  public String host() {
    return host;
  }

  public CircuitBreaker breaker() {
    return breaker;
  }

  private static boolean isGating(State state) {
    return state == State.OPEN || state == State.HALF_OPEN || state == State.FORCED_OPEN;
  }

  /**
   * Runs in the thread that made the transition, after it. The last opening ended before this one
   * began, so the later time is this opening's: a hint that lengthened it in between stands.
   */
  private synchronized void onTransition(State to) {
    long now = clock.nanoTime();
    faultsInARow.set(0);
    if (to == State.OPEN) {
      openUntil = Math.max(openUntil, now + openIntervalNanos);
    } else if (to == State.HALF_OPEN) {
      halfOpenSince = now;
    }
  }

  private synchronized void writeOffProbe() {
    if (breaker.getState() == State.HALF_OPEN && clock.nanoTime() - halfOpenSince >= maxProbeNanos) {
      breaker.transitionToOpenState();
    }
  }

  /** Open for max(interval, hint): the server knows better when it will be back. */
  private void extendOpen(long hintNanos) {
    synchronized (this) {
      if (breaker.getState() != State.OPEN) return;
      long now = clock.nanoTime();
      long until = now + Math.min(hintNanos, maxHoldNanos);
      if (openUntil != NONE && until <= openUntil) return;
      openUntil = until; // OPEN to OPEN publishes no transition, so this stands
      breaker.transitionToOpenStateUntil(clock.instant().plusNanos(until - now));
    }
    wakeWaiting();
  }

  /** How long a rate-limit answer holds the host: a 429's hint, or a spent quota's reset. */
  private static long holdNanos(int status, ServerHints hints) {
    if (status == 429) {
      long retryAfter = hints.retryAfterNanos();
      return retryAfter >= 0 ? retryAfter : hints.rateLimitResetNanos();
    }
    RateLimitStatus quota = hints.rateLimit(); // parses once, and nothing without such a header
    OptionalLong remaining = quota.remaining();
    if (remaining.isEmpty() || remaining.getAsLong() > 0) return -1;
    return hints.rateLimitResetNanos();
  }

  private void hold(long nanos) {
    synchronized (this) {
      long until = clock.nanoTime() + Math.min(nanos, maxHoldNanos);
      if (heldUntil != NONE && until <= heldUntil) return;
      heldUntil = until;
    }
    wakeWaiting();
  }

  private CircuitOpenException held(long now, long until) {
    return new CircuitOpenException(host, at(now, until), heldMessage(now, until));
  }

  private String heldMessage(long now, long until) {
    return host + " is held until " + at(now, until) + " (in " + format(until - now)
        + ") as its rate-limit hint asked";
  }

  private CircuitOpenException refusal(long now) {
    State state = breaker.getState();
    if (state == State.FORCED_OPEN) {
      return new CircuitOpenException(host, at(now, now), "the circuit for " + host
          + " is forced open through its resilience4j CircuitBreaker");
    }
    if (state == State.HALF_OPEN) {
      long next = now + openIntervalNanos;
      return new CircuitOpenException(host, at(now, next), "the circuit for " + host
          + " is half-open and its probe is in flight; should the probe fail, the next one is"
          + " allowed at " + at(now, next));
    }
    return new CircuitOpenException(host, at(now, nextProbe(now)), openMessage(now));
  }

  private String openMessage(long now) {
    long next = nextProbe(now);
    return "the circuit for " + host + " is open after server faults; the next probe is allowed at "
        + at(now, next) + " (in " + format(next - now) + ")";
  }

  private String unsafeMessage(long now, State state) {
    return "the circuit for " + host + " is not closed, and only requests safe to repeat"
        + " (idempotent, or with an idempotency key) may probe it; others fail fast until a probe"
        + " closes it (next probe allowed at " + at(now, unsafeNextProbe(now, state)) + ")";
  }

  private long unsafeNextProbe(long now, State state) {
    return state == State.HALF_OPEN ? now + openIntervalNanos : nextProbe(now);
  }

  private long nextProbe(long now) {
    long until = openUntil;
    return until == NONE || until < now ? now : until;
  }

  private Instant at(long now, long nanos) {
    return clock.instant().plusNanos(nanos - now);
  }

  /** Milliseconds below 10 s, then seconds with a tenth. */
  static String format(long nanos) {
    long millis = Math.max(0, nanos) / 1_000_000L;
    if (millis < 10_000) return millis + " ms";
    Duration d = Duration.ofMillis(millis);
    return d.toSeconds() + "." + d.toMillisPart() / 100 + " s";
  }

  @Override
  public String toString() {
    return "HostCircuit{" + host + ", " + breaker.getState() + "}";
  }

  /** A recorded failure: the message names the kind, never a response or an exception text. */
  private static final class Fault extends Exception {
    private static final long serialVersionUID = 1L;

    Fault(String message) {
      super(message, null, false, false);
    }
  }
}
