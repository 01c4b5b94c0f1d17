package dev.stoic.engine;

import dev.stoic.Decision;
import dev.stoic.RetryEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A call's record as its attempts left it: the events of its decided attempts and the failures
 * along the way, read back along the chain of {@link AttemptContext}s. Built only when asked (for
 * a listener, or the exception a failed call ends with). Stateless.
 */
final class CallRecord {
  private CallRecord() {}

  /** This attempt as an event, with the call's URL already redacted. */
  static RetryEvent event(AttemptContext a, String redactedUrl) {
    Decision decision = a.decision;
    Throwable failure = a.failure();
    return new RetryEvent(a.attempt, a.call.method(), redactedUrl, a.status(),
        failure == null ? null : failure.getClass().getName(), a.failureKind(), decision.action(),
        decision.reason(), Duration.ofNanos(decision.waitNanos()),
        Duration.ofNanos(a.elapsedNanos()), a.hedge);
  }

  /**
   * Every decided attempt of the call up to this one, first to last. Built only when asked (for
   * the exception a failed call ends with): a call nobody listens to builds no events.
   */
  static List<RetryEvent> history(AttemptContext last) {
    String url = last.executor.policy.redaction().url(last.call.url());
    List<RetryEvent> events = new ArrayList<>(last.attempt);
    for (AttemptContext a = last; a != null; a = a.previous()) {
      if (a.decision != null) events.add(event(a, url));
    }
    Collections.reverse(events);
    return events;
  }

  /** The failures of the attempts up to this one but {@code last}, first to last. */
  static List<Throwable> earlierFailures(AttemptContext sent, Throwable last) {
    List<Throwable> failures = new ArrayList<>(sent.attempt);
    for (AttemptContext a = sent; a != null; a = a.previous()) {
      if (a.failure() != null && a.failure() != last) failures.add(a.failure());
    }
    Collections.reverse(failures);
    return failures;
  }
}
