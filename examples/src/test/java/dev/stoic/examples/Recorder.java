package dev.stoic.examples;

import dev.stoic.Decision;
import dev.stoic.RetryEvent;
import dev.stoic.RetryListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** Keeps every event a policy emits, for assertions on decisions. */
final class Recorder implements RetryListener {
  final List<RetryEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public void onEvent(RetryEvent event) {
    events.add(event);
  }

  /** Each event as "outcome ACTION", e.g. [503 RETRY, 200 RETURN]. */
  List<String> timeline() {
    return events.stream().map(e -> e.outcome() + " " + e.action()).collect(Collectors.toList());
  }

  long count(Decision.Action action) {
    return events.stream().filter(e -> e.action() == action).count();
  }
}
