package dev.stoic.micrometer;

import dev.stoic.CallObserver;
import dev.stoic.Decision;
import dev.stoic.Decision.Cause;
import dev.stoic.Outcome;
import dev.stoic.Decision.Action;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The meters of one host and method, and the observer of every call to them: it keeps no state
 * per call, so all calls share it. Meters are registered the first time a tag combination occurs.
 */
final class CallMeters implements CallObserver {
  /** The methods HTTP defines (RFC 9110 and PATCH); others are tagged {@code _OTHER}. */
  private static final Set<String> KNOWN_METHODS = Set.of(
      "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");
  private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx", "none", "other"};
  private static final String[] CALL_OUTCOMES = {"success", "failure"};
  private static final String[] ATTEMPT_OUTCOMES = {"success", "retry", "failure"};
  private static final Cause[] CAUSES = Cause.values();
  /** Histogram buckets from 1 ms to 2 min: an attempt's time up to a whole deadline's. */
  private static final Duration MIN_EXPECTED = Duration.ofMillis(1);
  private static final Duration MAX_EXPECTED = Duration.ofMinutes(2);

  private final MeterRegistry registry;
  private final Tags tags;
  private final AtomicReferenceArray<Timer> calls =
      new AtomicReferenceArray<>(CALL_OUTCOMES.length * STATUS_CLASSES.length);
  private final AtomicReferenceArray<Timer> attempts =
      new AtomicReferenceArray<>(ATTEMPT_OUTCOMES.length * STATUS_CLASSES.length);
  private final AtomicReferenceArray<Counter> retries = new AtomicReferenceArray<>(CAUSES.length);
  private final AtomicReferenceArray<Counter> giveUps = new AtomicReferenceArray<>(CAUSES.length);
  /** Retry waits by cause; the throttle's waits under {@link Cause#THROTTLE}. */
  private final AtomicReferenceArray<Timer> waits = new AtomicReferenceArray<>(CAUSES.length);
  private final Counter budgetRefusals;
  private final Counter throttleWaits;
  private final Counter hintedWait;
  private final Counter resends;
  private final Counter hedges;

  CallMeters(MeterRegistry registry, String host, String method) {
    this.registry = registry;
    this.tags = Tags.of("host", host, "method", method);
    this.budgetRefusals = Counter.builder("stoic.budget.refusals")
        .description("Retries the retry budget refused; each ended its call")
        .tags(tags).register(registry);
    this.throttleWaits = Counter.builder("stoic.throttle.waits")
        .description("Attempts the throttle made wait for a permit")
        .tags(tags).register(registry);
    this.hintedWait = Counter.builder("stoic.waits.hinted")
        .description("Time of retry waits that server hints added beyond the backoff")
        .baseUnit("seconds").tags(tags).register(registry);
    this.resends = Counter.builder("stoic.client.resends")
        .description("Requests the client re-sent on its own within one Stoic attempt")
        .tags(tags).register(registry);
    this.hedges = Counter.builder("stoic.hedges")
        .description("Hedges sent: attempts that went out while another of the call was running")
        .tags(tags).register(registry);
  }

  static String methodTag(String method) {
    return KNOWN_METHODS.contains(method) ? method : "_OTHER";
  }

  static int statusClass(int status) {
    if (status < 0) return 5; // none
    if (status < 100 || status > 599) return 6; // other
    return status / 100 - 1;
  }

  @Override
  public void hedgeSent(int attempt) {
    hedges.increment();
  }

  @Override
  public void throttled(long waitNanos) {
    throttleWaits.increment();
    waitTimer(Cause.THROTTLE).record(waitNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void attemptEnded(Outcome outcome, Decision decision, long attemptNanos, int resent) {
    int result = decision.action() == Action.RETURN ? 0 : decision.action() == Action.RETRY ? 1 : 2;
    attemptTimer(result, statusClass(outcome.status())).record(attemptNanos, TimeUnit.NANOSECONDS);
    if (resent > 0) resends.increment(resent);
    Cause cause = decision.cause();
    if (decision.action() == Action.RETRY) {
      retryCounter(cause).increment();
      waitTimer(cause).record(decision.waitNanos(), TimeUnit.NANOSECONDS);
      long hinted = decision.hintedWaitNanos();
      if (hinted > 0) hintedWait.increment(hinted / 1e9);
    } else if (cause == Cause.BUDGET) {
      budgetRefusals.increment();
    }
  }

  @Override
  public void callEnded(Outcome outcome, Decision decision, long callNanos) {
    boolean success = decision.action() == Action.RETURN;
    callTimer(success ? 0 : 1, statusClass(outcome.status())).record(callNanos, TimeUnit.NANOSECONDS);
    if (!success) giveUpCounter(decision.cause()).increment();
  }

  private Timer callTimer(int outcome, int statusClass) {
    int i = outcome * STATUS_CLASSES.length + statusClass;
    Timer timer = calls.get(i);
    if (timer != null) return timer;
    timer = Timer.builder("stoic.calls")
        .description("Logical calls, from their start to the final decision, all attempts and"
            + " waits included")
        .tags(tags).tag("outcome", CALL_OUTCOMES[outcome])
        .tag("status_class", STATUS_CLASSES[statusClass])
        .publishPercentileHistogram()
        .minimumExpectedValue(MIN_EXPECTED).maximumExpectedValue(MAX_EXPECTED)
        .register(registry);
    calls.set(i, timer);
    return timer;
  }

  private Timer attemptTimer(int outcome, int statusClass) {
    int i = outcome * STATUS_CLASSES.length + statusClass;
    Timer timer = attempts.get(i);
    if (timer != null) return timer;
    timer = Timer.builder("stoic.attempts")
        .description("Attempts, from going out to their response headers or failure")
        .tags(tags).tag("outcome", ATTEMPT_OUTCOMES[outcome])
        .tag("status_class", STATUS_CLASSES[statusClass])
        .publishPercentileHistogram()
        .minimumExpectedValue(MIN_EXPECTED).maximumExpectedValue(MAX_EXPECTED)
        .register(registry);
    attempts.set(i, timer);
    return timer;
  }

  private Counter retryCounter(Cause cause) {
    Counter counter = retries.get(cause.ordinal());
    if (counter != null) return counter;
    counter = Counter.builder("stoic.retries")
        .description("Retries decided, by what decided them")
        .tags(tags).tag("reason", reason(cause)).register(registry);
    retries.set(cause.ordinal(), counter);
    return counter;
  }

  private Counter giveUpCounter(Cause cause) {
    Counter counter = giveUps.get(cause.ordinal());
    if (counter != null) return counter;
    counter = Counter.builder("stoic.giveups")
        .description("Calls that ended as a failure, by why no further attempt was made")
        .tags(tags).tag("reason", reason(cause)).register(registry);
    giveUps.set(cause.ordinal(), counter);
    return counter;
  }

  private Timer waitTimer(Cause cause) {
    Timer timer = waits.get(cause.ordinal());
    if (timer != null) return timer;
    timer = Timer.builder("stoic.waits")
        .description("Waits decided: before a retry, by its reason, or for the throttle")
        .tags(tags).tag("reason", reason(cause)).register(registry);
    waits.set(cause.ordinal(), timer);
    return timer;
  }

  private static String reason(Cause cause) {
    return cause.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return "CallMeters" + tags;
  }
}
