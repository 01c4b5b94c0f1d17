package dev.stoic.examples.demo;

import dev.stoic.RetryEvent;
import dev.stoic.examples.demo.Scenario.Ending;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Stoic in one run: seven calls against a local server that misbehaves on purpose, each printed as
 * a timeline of its attempts and Stoic's decisions, then a summary. Nothing leaves the loopback
 * interface. From the repository root:
 *
 * <pre>
 * mvn -B -ntp -q -Pdemo -DskipTests -pl examples -am package
 * </pre>
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) throws Exception {
    List<Result> results = run(System.out);
    long unexpected = results.stream().filter(r -> !r.asExpected()).count();
    if (unexpected > 0) {
      throw new IllegalStateException(unexpected + " scenario(s) did not end as expected");
    }
  }

  /** Runs every scenario, printing to {@code out}, and returns how each ended. */
  public static List<Result> run(PrintStream out) throws Exception {
    Timeline timeline = new Timeline();
    List<Result> results = new ArrayList<>();
    try (DemoServer server = new DemoServer().start(); Clients clients = new Clients(timeline)) {
      out.println("Stoic demo: seven calls to a local server at " + server.url("/")
          + " that misbehaves on purpose.");
      out.println("Policy: " + clients.policy.maxAttempts() + " attempts at most, "
          + Clients.BACKOFF.toMillis() + " ms between them unless the server says otherwise, "
          + Clients.DEADLINE.toSeconds() + " s per call; the call factory's policy also gives"
          + " each attempt " + Clients.ATTEMPT_TIMEOUT.toSeconds() + " s.");
      out.println("Each call prints one row per attempt: when it ended (since the call began),"
          + " what it ended with, Stoic's decision, the wait before the next attempt, and why.");
      int number = 0;
      for (Scenario scenario : new Scenarios(server, clients).all()) {
        results.add(run(++number, scenario, server, timeline, out));
      }
    }
    printSummary(results, out);
    return results;
  }

  private static Result run(
      int number, Scenario scenario, DemoServer server, Timeline timeline, PrintStream out) {
    out.println();
    out.println(number + ". " + scenario.title());
    out.println("   " + scenario.request() + " with the " + scenario.client());
    long start = System.nanoTime();
    Ending ending;
    try {
      ending = scenario.call().run();
    } catch (Exception e) {
      ending = new Ending("failed: " + e, List.of());
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    List<RetryEvent> events = timeline.drain();

    out.print(Timeline.format(events));
    List<String> served = server.log(scenario.path());
    for (int i = 0; i < served.size(); i++) {
      out.println("   server, request " + (i + 1) + ": " + served.get(i));
    }
    for (String note : ending.notes()) out.println("   " + note);

    boolean asExpected = ending.outcome().equals(scenario.expectedOutcome())
        && Timeline.summary(events).equals(scenario.expectedTimeline());
    return new Result(number, scenario.name(), scenario.client(), events.size(),
        ending.outcome(), elapsed, asExpected);
  }

  private static void printSummary(List<Result> results, PrintStream out) {
    out.println();
    out.println("Summary");
    String format = "  %-2s %-26s %-37s %8s  %-32s %8s  %s%n";
    out.printf(format, "#", "scenario", "client", "attempts", "outcome", "elapsed", "as expected");
    for (Result r : results) {
      out.printf(format, r.number(), r.name(), r.client(), r.attempts(), r.outcome(),
          r.elapsed().toMillis() + " ms",
          r.asExpected() ? "yes" : "NO");
    }
    long expected = results.stream().filter(Result::asExpected).count();
    out.println();
    out.println(expected + " of " + results.size() + " calls ended as expected.");
  }

  /**
   * How one scenario went.
   *
   * @param number the scenario's place in the run, from 1
   * @param name the scenario in a few words
   * @param client which client made the call
   * @param attempts how many attempts Stoic made
   * @param outcome how the call ended
   * @param elapsed how long the call took, waits included
   * @param asExpected whether the outcome and the timeline are what the scenario expects
   */
  public record Result(
      int number,
      String name,
      String client,
      int attempts,
      String outcome,
      Duration elapsed,
      boolean asExpected) {}
}
