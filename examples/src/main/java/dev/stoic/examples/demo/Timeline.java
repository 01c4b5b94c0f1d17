package dev.stoic.examples.demo;

import dev.stoic.Decision;
import dev.stoic.RetryEvent;
import dev.stoic.RetryListener;
import dev.stoic.http.StatusTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Collects the {@link RetryEvent}s of the call in progress and prints them as a table, one row per
 * attempt. The demo runs one call at a time, so every event belongs to the current call.
 */
final class Timeline implements RetryListener {
  private final List<RetryEvent> events = new ArrayList<>();

  @Override
  public synchronized void onEvent(RetryEvent event) {
    events.add(event);
  }

  /** Returns the events seen since the last call of this method, and forgets them. */
  synchronized List<RetryEvent> drain() {
    List<RetryEvent> drained = List.copyOf(events);
    events.clear();
    return drained;
  }

  /** The table for {@code events}, indented, one line per attempt. */
  static String format(List<RetryEvent> events) {
    StringBuilder table = new StringBuilder();
    row(table, "#", "at", "attempt ended with", "decision", "wait", "reason");
    for (RetryEvent e : events) {
      boolean retry = e.action() == Decision.Action.RETRY;
      row(table,
          Integer.toString(e.attempt()),
          e.elapsed().toMillis() + " ms",
          outcome(e),
          e.action().name(),
          retry ? e.waitTime().toMillis() + " ms" : "-",
          e.reason());
    }
    return table.toString();
  }

  /** Each attempt's outcome and decision, such as {@code "503 RETRY, 200 RETURN"}. */
  static String summary(List<RetryEvent> events) {
    StringBuilder summary = new StringBuilder();
    for (RetryEvent e : events) {
      if (summary.length() > 0) summary.append(", ");
      summary.append(e.outcome()).append(' ').append(e.action());
    }
    return summary.toString();
  }

  /** "503 Service Unavailable", or an exception's simple name with how Stoic classified it. */
  static String outcome(RetryEvent e) {
    if (e.status() >= 0) return e.status() + " " + StatusTable.defaults().lookup(e.status()).name();
    return e.outcome() + " (" + e.failureKind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")";
  }

  private static void row(
      StringBuilder out, String n, String at, String outcome, String action, String wait,
      String reason) {
    out.append(String.format("    %-2s %8s  %-35s %-8s %8s  %s%n", n, at, outcome, action, wait, reason));
  }
}
