package dev.stoic.testing;

import dev.stoic.CallObserver;
import dev.stoic.Decision;
import dev.stoic.ObservedCall;
import dev.stoic.Outcome;
import dev.stoic.RetryObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Writes down every observer call as one line, for assertions on what observers are told and in
 * what order: {@code "start GET https://api.example.com/a api.example.com"}, {@code "attempt 1"},
 * {@code "sent 1"}, {@code "throttled PT0.2S"}, {@code "ended 1 503 RETRY status wait=PT0.1S
 * hinted=PT0S took=PT0.03S resends=-1"}, {@code "call GIVE_UP attempts 503 took=PT0.26S"}.
 */
public final class RecordingObserver implements RetryObserver {
  public final List<String> lines = new CopyOnWriteArrayList<>();
  private final ThreadLocal<Integer> open = new ThreadLocal<>();

  /** The attempt whose scope is open on this thread, or null. */
  public Integer openScope() {
    return open.get();
  }

  @Override
  public CallObserver callStarted(ObservedCall call) {
    lines.add("start " + call.method() + " " + call.url() + " " + call.host());
    return new CallObserver() {
      @Override
      public Scope attemptStarted(int attempt) {
        lines.add("attempt " + attempt);
        Integer previous = open.get();
        open.set(attempt);
        return () -> {
          lines.add("sent " + attempt);
          if (previous == null) open.remove(); else open.set(previous);
        };
      }

      @Override
      public void throttled(long waitNanos) {
        lines.add("throttled " + Duration.ofNanos(waitNanos));
      }

      @Override
      public void attemptEnded(Outcome outcome, Decision decision, long attemptNanos, int resends) {
        lines.add("ended " + outcome.attempt() + " " + what(outcome) + " " + decision.action()
            + " " + cause(decision) + " wait=" + decision.waitTime()
            + " hinted=" + Duration.ofNanos(decision.hintedWaitNanos())
            + " took=" + Duration.ofNanos(attemptNanos) + " resends=" + resends);
      }

      @Override
      public void callEnded(Outcome outcome, Decision decision, long callNanos) {
        lines.add("call " + decision.action() + " " + cause(decision) + " " + what(outcome)
            + " took=" + Duration.ofNanos(callNanos));
      }
    };
  }

  private static String what(Outcome outcome) {
    if (outcome.failure() != null) return outcome.failure().getClass().getSimpleName();
    return Integer.toString(outcome.status());
  }

  private static String cause(Decision decision) {
    return decision.cause().name().toLowerCase(java.util.Locale.ROOT);
  }
}
