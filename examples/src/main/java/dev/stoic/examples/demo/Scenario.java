package dev.stoic.examples.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * One call of the demo: what it shows, which client makes it, and how it should end.
 *
 * @param title what the server does wrong, in a sentence
 * @param name the same in a few words, for the summary
 * @param client which client and adapter make the call
 * @param request the request line, such as {@code "GET /inventory"}
 * @param path the path, to read the server's log
 * @param expectedOutcome how the call should end, as {@link Ending#outcome()} words it
 * @param expectedTimeline each attempt's outcome and Stoic's decision, as {@link
 *     Timeline#summary} words them
 * @param call makes the call
 */
record Scenario(
    String title,
    String name,
    String client,
    String request,
    String path,
    String expectedOutcome,
    String expectedTimeline,
    Call call) {

  /** Makes the call and describes how it ended. */
  @FunctionalInterface
  interface Call {
    Ending run() throws Exception;
  }

  /**
   * How a call ended.
   *
   * @param outcome a few words for the summary, such as {@code "200 OK"}
   * @param notes lines worth reading under the timeline
   */
  record Ending(String outcome, List<String> notes) {
    Ending(String outcome, String... notes) {
      this(outcome, List.of(notes));
    }

    /** Returns this ending with {@code more} notes after its own. */
    Ending with(String... more) {
      List<String> all = new ArrayList<>(notes);
      all.addAll(List.of(more));
      return new Ending(outcome, List.copyOf(all));
    }
  }
}
