package dev.stoic.engine;

import dev.stoic.CallObserver;
import dev.stoic.Decision;
import dev.stoic.ObservedCall;
import dev.stoic.Outcome;
import dev.stoic.Decision.Action;
import java.util.Locale;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * Stoic's JDK Flight Recorder events, {@code dev.stoic.Attempt} and {@code dev.stoic.Wait}, and
 * the observer of one call that commits them. Both events are disabled by default: a recording
 * turns them on by name, and only then does a call get this observer.
 *
 * <pre>{@code
 * Recording recording = new Recording();
 * recording.enable("dev.stoic.Attempt");
 * recording.enable("dev.stoic.Wait");
 * recording.start();
 * }</pre>
 *
 * <p>With no recording running the check per call is one read of {@link
 * FlightRecorder#isInitialized()}. Core does not require {@code jdk.jfr} at run time ({@code
 * requires static}): where the module is absent, calls are simply not recorded.
 */
final class FlightEvents implements CallObserver {
  /*
   * On the class path every system module with an API is resolved, jdk.jfr included; on the module
   * path it is resolved only if something requires it, or with --add-modules jdk.jfr. Checked
   * first, so that no jdk.jfr class is touched where there is none.
   */
  private static final boolean JFR_PRESENT = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

  private final ObservedCall call;
  /** Begun as the attempt goes out; committed when it ends. */
  private AttemptEvent attempt;
  /** Begun when a wait is decided; committed when the next attempt goes out or the call ends. */
  private WaitEvent wait;

  FlightEvents(ObservedCall call) {
    this.call = call;
  }

  /** True when a flight recording is running with one of Stoic's events enabled. */
  static boolean recording() {
    return JFR_PRESENT && FlightRecorder.isInitialized() && Types.anyEnabled();
  }

  @Override
  public synchronized Scope attemptStarted(int number) {
    endWait();
    AttemptEvent event = new AttemptEvent();
    if (event.isEnabled()) {
      event.attempt = number;
      event.method = call.method();
      event.url = call.url();
      event.host = call.host();
      event.begin();
      attempt = event;
    }
    return Scope.NONE;
  }

  @Override
  public synchronized void throttled(long waitNanos) {
    beginWait("throttle", Decision.Cause.THROTTLE, waitNanos, 0);
  }

  @Override
  public synchronized void attemptEnded(
      Outcome outcome, Decision decision, long attemptNanos, int resends) {
    AttemptEvent event = attempt;
    attempt = null;
    if (event != null) {
      event.end();
      if (event.shouldCommit()) {
        event.status = outcome.status();
        Throwable failure = outcome.failure();
        event.exception = failure == null ? null : failure.getClass().getName();
        event.action = name(decision.action());
        event.cause = name(decision.cause());
        event.reason = decision.reason();
        event.wait = decision.waitNanos();
        event.hintedWait = decision.hintedWaitNanos();
        event.resends = resends;
        event.commit();
      }
    }
    if (decision.action() == Action.RETRY) {
      beginWait("retry", decision.cause(), decision.waitNanos(), decision.hintedWaitNanos());
    }
  }

  @Override
  public synchronized void callEnded(Outcome outcome, Decision decision, long callNanos) {
    endWait();
  }

  private void beginWait(String kind, Decision.Cause cause, long plannedNanos, long hintedNanos) {
    endWait();
    WaitEvent event = new WaitEvent();
    if (!event.isEnabled()) return;
    event.kind = kind;
    event.cause = name(cause);
    event.planned = plannedNanos;
    event.hinted = hintedNanos;
    event.method = call.method();
    event.url = call.url();
    event.host = call.host();
    event.begin();
    wait = event;
  }

  private void endWait() {
    WaitEvent event = wait;
    wait = null;
    if (event != null) event.commit();
  }

  private static String name(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  /** The event types, looked up once JFR is up: the lookup registers them with it. */
  private static final class Types {
    static final EventType ATTEMPT = EventType.getEventType(AttemptEvent.class);
    static final EventType WAIT = EventType.getEventType(WaitEvent.class);

    static boolean anyEnabled() {
      return ATTEMPT.isEnabled() || WAIT.isEnabled();
    }
  }

  @Name("dev.stoic.Attempt")
  @Label("Stoic Attempt")
  @Category({"Stoic", "HTTP"})
  @Description("One attempt of a logical HTTP call, from going out to its response or failure,"
      + " and what Stoic decided next")
  @Enabled(false)
  @StackTrace(false)
  static final class AttemptEvent extends Event {
    @Label("Attempt") @Description("1 for the first attempt")
    int attempt;

    @Label("Method")
    String method;

    @Label("URL") @Description("Redacted: no user-info, secret query parameters masked")
    String url;

    @Label("Host")
    String host;

    @Label("Status") @Description("The response status, or -1 when the attempt failed")
    int status;

    @Label("Exception") @Description("The failure's class, when the attempt failed")
    String exception;

    @Label("Action") @Description("return, retry or give_up")
    String action;

    @Label("Cause") @Description("Why, in one word: status, exception, hint, budget, ...")
    String cause;

    @Label("Reason")
    String reason;

    @Label("Wait") @Description("The wait before the next attempt, when retrying")
    @Timespan(Timespan.NANOSECONDS)
    long wait;

    @Label("Hinted Wait") @Description("The part of the wait a server hint added to the backoff")
    @Timespan(Timespan.NANOSECONDS)
    long hintedWait;

    @Label("Client Resends")
    @Description("Requests the client re-sent within this attempt; -1 when it does not show them")
    int resends;
  }

  @Name("dev.stoic.Wait")
  @Label("Stoic Wait")
  @Category({"Stoic", "HTTP"})
  @Description("A wait between attempts: before a retry, or for the throttle's permit")
  @Enabled(false)
  @StackTrace(false)
  static final class WaitEvent extends Event {
    @Label("Kind") @Description("retry or throttle")
    String kind;

    @Label("Cause") @Description("What the wait is for: the retry's cause, or throttle")
    String cause;

    @Label("Planned")
    @Description("The wait Stoic decided on; the event's duration is the wait as it happened")
    @Timespan(Timespan.NANOSECONDS)
    long planned;

    @Label("Hinted") @Description("The part of the planned wait a server hint added to the backoff")
    @Timespan(Timespan.NANOSECONDS)
    long hinted;

    @Label("Method")
    String method;

    @Label("URL") @Description("Redacted: no user-info, secret query parameters masked")
    String url;

    @Label("Host")
    String host;
  }
}
