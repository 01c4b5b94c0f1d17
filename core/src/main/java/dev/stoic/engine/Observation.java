package dev.stoic.engine;

import dev.stoic.CallObserver;
import dev.stoic.Decision;
import dev.stoic.ObservedCall;
import dev.stoic.Outcome;
import dev.stoic.RetryEvent;
import dev.stoic.RetryObserver;
import dev.stoic.RetryPolicy;
import dev.stoic.spi.CallInfo;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The observers of one logical call: the policy's {@link RetryObserver}s and, while a flight
 * recording wants Stoic's events, the {@link FlightEvents} observer. Made at the call's start only
 * when there is someone to tell, so an unobserved call has none.
 *
 * <p>It keeps what observers are told but the engine does not otherwise track: when the current
 * attempt went out, how many requests the client sent for it, and whether the call has been
 * reported ended (exactly once, whichever thread gets there first). An observer that throws is
 * logged and skipped: watching a call never changes it.
 */
final class Observation implements ObservedCall {
  private static final System.Logger LOG = System.getLogger("dev.stoic");
  private static final CallObserver.Scope[] NO_SCOPES = {};
  private static final AtomicIntegerFieldUpdater<Observation> ENDED =
      AtomicIntegerFieldUpdater.newUpdater(Observation.class, "ended");
  private static final AtomicIntegerFieldUpdater<Observation> REQUESTS =
      AtomicIntegerFieldUpdater.newUpdater(Observation.class, "requests");

  private final RetryPolicy policy;
  private final CallInfo call;
  /** Set once, by start(), before the call's first attempt. */
  private CallObserver[] observers;
  /** The redacted URL, made on first request: metrics never ask for it. */
  private volatile String url;
  /** Written as an attempt goes out, read when it ends (after the client's completion). */
  private volatile long attemptStartNanos;
  private volatile int requests;
  private volatile int ended;
  /** The last attempt that ended: what a call that ends between attempts reports. */
  private volatile AttemptContext lastEnded;
  /** Opened by attemptStarted and closed by handedOver, on the thread that sends the attempt. */
  private CallObserver.Scope[] scopes = NO_SCOPES;

  private Observation(RetryPolicy policy, CallInfo call) {
    this.policy = policy;
    this.call = call;
  }

  /** The observation of a call that is starting, or null when nobody watches it. */
  static Observation start(RetryPolicy policy, List<RetryObserver> factories, CallInfo call) {
    boolean recording = FlightEvents.recording();
    if (factories.isEmpty() && !recording) return null;
    Observation observation = new Observation(policy, call);
    CallObserver[] observers = new CallObserver[factories.size() + (recording ? 1 : 0)];
    int n = 0;
    for (RetryObserver factory : factories) {
      CallObserver observer = null;
      try {
        observer = factory.callStarted(observation);
      } catch (RuntimeException e) {
        failed(factory, e);
      }
      if (observer != null && observer != CallObserver.NONE) observers[n++] = observer;
    }
    if (recording) observers[n++] = new FlightEvents(observation);
    if (n == 0) return null;
    observation.observers = n == observers.length ? observers : Arrays.copyOf(observers, n);
    return observation;
  }

  @Override
  public String method() {
    return call.method();
  }

  @Override
  public String host() {
    return call.host();
  }

  @Override
  public String url() {
    String redacted = url;
    if (redacted == null) url = redacted = policy.redaction().url(call.url());
    return redacted;
  }

  @Override
  public String toString() {
    return call.method() + " " + url();
  }

  /** The attempt goes out now: opens each observer's scope on this thread. */
  void attemptStarted(int attempt, long nowNanos) {
    attemptStartNanos = nowNanos;
    requests = 0;
    CallObserver.Scope[] opened = NO_SCOPES;
    for (int i = 0; i < observers.length; i++) {
      CallObserver.Scope scope = null;
      try {
        scope = observers[i].attemptStarted(attempt);
      } catch (RuntimeException e) {
        failed(observers[i], e);
      }
      if (scope == null || scope == CallObserver.Scope.NONE) continue;
      if (opened == NO_SCOPES) opened = new CallObserver.Scope[observers.length];
      opened[i] = scope;
    }
    scopes = opened;
  }

  /** Attempt {@code attempt} goes out as a hedge, while another attempt is still running. */
  void hedgeSent(int attempt) {
    for (CallObserver observer : observers) {
      try {
        observer.hedgeSent(attempt);
      } catch (RuntimeException e) {
        failed(observer, e);
      }
    }
  }

  /** The attempt has been handed to the client: closes the scopes, last opened first. */
  void handedOver() {
    CallObserver.Scope[] opened = scopes;
    scopes = NO_SCOPES;
    for (int i = opened.length - 1; i >= 0; i--) {
      if (opened[i] == null) continue;
      try {
        opened[i].close();
      } catch (RuntimeException e) {
        failed(observers[i], e);
      }
    }
  }

  /** The client put a request for the current attempt on the wire. */
  void requestSent() {
    REQUESTS.incrementAndGet(this);
  }

  void throttled(long waitNanos) {
    for (CallObserver observer : observers) {
      try {
        observer.throttled(waitNanos);
      } catch (RuntimeException e) {
        failed(observer, e);
      }
    }
  }

  /** An attempt ended with {@code decision}; when it is final, so did the call. */
  void attemptEnded(AttemptContext state, Decision decision) {
    // An async call completed from outside may see its attempt end afterwards: nothing follows
    // the call's end.
    if (ended != 0) return;
    long now = state.startNanos + state.elapsedNanos();
    // Hedged attempts overlap: each counts from its own start.
    long attemptNanos = Math.max(0, now - (state.hedge ? state.sentNanos : attemptStartNanos));
    int sent = requests;
    int resends = sent == 0 ? -1 : sent - 1;
    for (CallObserver observer : observers) {
      try {
        observer.attemptEnded(state, decision, attemptNanos, resends);
      } catch (RuntimeException e) {
        failed(observer, e);
      }
    }
    lastEnded = state;
    if (decision.action() != Decision.Action.RETRY) callEnded(state, decision, now);
  }

  /** The call ended with {@code decision} at {@code nowNanos}; only the first report counts. */
  void callEnded(AttemptContext state, Decision decision, long nowNanos) {
    if (!ENDED.compareAndSet(this, 0, 1)) return;
    long callNanos = Math.max(0, nowNanos - state.startNanos);
    // A call cancelled between attempts, or while one was in flight, reports the last that ended.
    AttemptContext last = lastEnded;
    Outcome outcome = state.status() < 0 && state.failure() == null && last != null ? last : state;
    for (CallObserver observer : observers) {
      try {
        observer.callEnded(outcome, decision, callNanos);
      } catch (RuntimeException e) {
        failed(observer, e);
      }
    }
  }

  boolean isEnded() {
    return ended != 0;
  }

  private static void failed(Object observer, RuntimeException e) {
    LOG.log(System.Logger.Level.WARNING, "retry observer " + observer.getClass().getName()
        + " threw " + e.getClass().getName(), Redacted.of(e));
  }
}
