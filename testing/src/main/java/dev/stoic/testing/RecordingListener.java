package dev.stoic.testing;

import dev.stoic.Decision;
import dev.stoic.RetryEvent;
import dev.stoic.RetryListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** Keeps every event, for assertions on decisions and exact waits. */
public final class RecordingListener implements RetryListener {
  public final List<RetryEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public void onEvent(RetryEvent event) {
    events.add(event);
  }

  /** The actions taken, in order, e.g. [RETRY, RETRY, RETURN]. */
  public List<Decision.Action> actions() {
    return events.stream().map(RetryEvent::action).collect(Collectors.toList());
  }

  /** The waits of the RETRY decisions, in milliseconds. */
  public List<Long> waitsMillis() {
    return events.stream()
        .filter(e -> e.action() == Decision.Action.RETRY)
        .map(RetryEvent::waitTime)
        .map(Duration::toMillis)
        .collect(Collectors.toList());
  }

  public RetryEvent last() {
    return events.get(events.size() - 1);
  }
}
