package dev.stoic.benchmarks;

import dev.stoic.RetryBudget;
import dev.stoic.RetryPolicy;
import dev.stoic.engine.RetryExecutor;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.LoadSimulation;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How much load retries add as a dependency fails more and more: attempts sent per logical call,
 * for failure rates from 0% to 100%, under three policies. The simulation of the load issue
 * ({@code RetryBudgetSimulationTest}), swept: an in-memory server fails each attempt with
 * probability p (503), independently; calls arrive at {@value #CALLS_PER_SECOND} a second, and
 * the real async {@link RetryExecutor} runs every call in virtual time ({@link LoadSimulation}:
 * waits are decided and pass, but take no real time, so the run takes seconds).
 *
 * <ul>
 *   <li><b>Stoic, default budget</b>: {@link RetryPolicy} defaults (5 attempts) with {@link
 *       RetryBudget#perHost()}: free while retries work, then a floor of 10 retries a second and a
 *       bucket of 20 that successes refill (0.1 each, a retry's whole cost when it succeeds).
 *   <li><b>Stoic, no budget</b>: the same with {@link RetryBudget#unlimited()}.
 *   <li><b>Plain 5 attempts</b>: a loop that tries up to 5 times while the answer is 503, as a
 *       retry library with max attempts 5 and no budget does; it should match "no budget".
 * </ul>
 *
 * <p>All calls of a run go to one host, 20,000 per point, with one seeded random stream per point
 * shared by the three policies' runs (each run draws from its own copy). Writes {@code
 * load-amplification.csv} and {@code load-amplification.svg} to the directory given (default
 * {@code docs/}), and prints the table.
 */
public final class LoadAmplification {
  static final int CALLS = 20_000;
  static final int MAX_ATTEMPTS = 5;
  /** A busy client: at this rate the budget's floor is 5% of the calls. */
  static final int CALLS_PER_SECOND = 200;
  static final String[] NAMES = {"Stoic, default budget", "Stoic, no budget", "Plain 5 attempts"};

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "docs");
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : CALLS;
    List<double[]> rows = new ArrayList<>(); // rate, load x3, success x3
    for (int percent = 0; percent <= 100; percent += 5) {
      double rate = percent / 100.0;
      long seed = 1000 + percent;
      Outcome budget = stoic(RetryBudget.perHost(), rate, seed, calls);
      Outcome none = stoic(RetryBudget.unlimited(), rate, seed, calls);
      Outcome plain = plain(rate, seed, calls);
      rows.add(new double[] {
          percent, budget.load(calls), none.load(calls), plain.load(calls),
          budget.successRate(calls), none.successRate(calls), plain.successRate(calls)});
    }
    Files.createDirectories(dir);
    writeCsv(dir.resolve("load-amplification.csv"), rows, calls);
    Files.writeString(dir.resolve("load-amplification.svg"), svg(rows), StandardCharsets.UTF_8);
    System.out.printf(Locale.ROOT, "Load amplification: attempts per call (success rate), %,d calls"
        + " per point%n%n", calls);
    System.out.println("| failure rate | " + String.join(" | ", NAMES) + " |");
    System.out.println("|---:|---:|---:|---:|");
    for (double[] r : rows) {
      System.out.printf(Locale.ROOT, "| %.0f%% | %.3f (%.1f%%) | %.3f (%.1f%%) | %.3f (%.1f%%) |%n",
          r[0], r[1], 100 * r[4], r[2], 100 * r[5], r[3], 100 * r[6]);
    }
    System.out.println();
    System.out.println("wrote " + dir.resolve("load-amplification.csv") + " and "
        + dir.resolve("load-amplification.svg"));
  }

  /** Attempts (the load) and successful calls of one run. */
  static final class Outcome {
    long attempts;
    long succeeded;

    double load(int calls) {
      return attempts / (double) calls;
    }

    double successRate(int calls) {
      return succeeded / (double) calls;
    }
  }

  static Outcome stoic(RetryBudget budget, double failureRate, long seed, int calls) {
    SplittableRandom server = new SplittableRandom(seed);
    LoadSimulation sim = new LoadSimulation(seed, Duration.ofMillis(1), Duration.ZERO);
    RetryPolicy policy = RetryPolicy.builder()
        .clock(sim.clock)
        .random(() -> 0.5)
        .maxAttempts(MAX_ATTEMPTS)
        .retryBudget(budget)
        .build();
    LoadSimulation.Figures figures = sim.openLoop(new RetryExecutor(policy),
        (call, attempt) -> FakeResponse.of(server.nextDouble() < failureRate ? 503 : 200),
        CALLS_PER_SECOND, Duration.ofNanos((long) (calls * 1e9 / CALLS_PER_SECOND)));
    Outcome outcome = new Outcome();
    outcome.attempts = figures.attempts;
    outcome.succeeded = figures.succeeded;
    if (figures.calls != calls) {
      throw new IllegalStateException(figures.calls + " calls made, " + calls + " asked for");
    }
    return outcome;
  }

  static Outcome plain(double failureRate, long seed, int calls) {
    SplittableRandom server = new SplittableRandom(seed);
    Outcome outcome = new Outcome();
    for (int i = 0; i < calls; i++) {
      for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        outcome.attempts++;
        if (server.nextDouble() >= failureRate) {
          outcome.succeeded++;
          break;
        }
      }
    }
    return outcome;
  }

  private static void writeCsv(Path file, List<double[]> rows, int calls) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write("# attempts per logical call and share of calls that ended in 200; " + calls
          + " calls per row; written by dev.stoic.benchmarks.LoadAmplification\n");
      out.write("failure_rate,load_stoic_default_budget,load_stoic_no_budget,load_plain_5_attempts,"
          + "success_stoic_default_budget,success_stoic_no_budget,success_plain_5_attempts\n");
      for (double[] r : rows) {
        out.write(String.format(Locale.ROOT, "%.2f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f%n",
            r[0] / 100, r[1], r[2], r[3], r[4], r[5], r[6]));
      }
    }
  }

  /**
   * A line chart, by hand: failure rate 0-100% across, attempts per call 1-5 up, one polyline per
   * policy, a legend. Plain SVG 1.1 with no scripts or external fonts, so any viewer renders it.
   */
  static String svg(List<double[]> rows) {
    int width = 720;
    int height = 440;
    int left = 70;
    int right = 30;
    int top = 50;
    int bottom = 60;
    double plotW = width - left - right;
    double plotH = height - top - bottom;
    double yMin = 1;
    double yMax = 5;
    String[] colours = {"#1b7837", "#c2185b", "#1f4e9c"};
    String[] dashes = {"", "", "8 6"};
    StringBuilder s = Svg.start(width, height, 13);
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"28\" font-size=\"16\" font-weight=\"bold\">"
        + "Load amplification: attempts per logical call vs failure rate</text>%n", left));
    // Grid and axes.
    for (int y = 1; y <= 5; y++) {
      double py = top + plotH - (y - yMin) / (yMax - yMin) * plotH;
      s.append(String.format(Locale.ROOT,
          "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#dddddd\"/>%n",
          left, py, left + plotW, py));
      s.append(String.format(Locale.ROOT,
          "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d×</text>%n", left - 8, py + 4, y));
    }
    for (int x = 0; x <= 100; x += 10) {
      double px = left + x / 100.0 * plotW;
      s.append(String.format(Locale.ROOT,
          "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#eeeeee\"/>%n",
          px, top, px, top + plotH));
      s.append(String.format(Locale.ROOT,
          "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d%%</text>%n",
          px, top + plotH + 20, x));
    }
    s.append(String.format(Locale.ROOT,
        "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#444444\"/>%n",
        left, top, plotW, plotH));
    s.append(String.format(Locale.ROOT,
        "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">share of attempts that fail (503)</text>%n",
        left + plotW / 2, height - 15));
    s.append(String.format(Locale.ROOT,
        "<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 18 %.1f)\">"
            + "attempts sent per logical call</text>%n", top + plotH / 2, top + plotH / 2));
    // Series: "plain" is drawn thin and dashed on top of "no budget", which it matches exactly.
    int[] order = {1, 2, 0};
    for (int k : order) {
      StringBuilder points = new StringBuilder();
      for (double[] r : rows) {
        double px = left + r[0] / 100.0 * plotW;
        double py = top + plotH - (r[1 + k] - yMin) / (yMax - yMin) * plotH;
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
      }
      s.append(String.format(Locale.ROOT,
          "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%s\"%s points=\"%s\"/>%n",
          colours[k], k == 2 ? "2" : "4",
          dashes[k].isEmpty() ? "" : " stroke-dasharray=\"" + dashes[k] + "\"",
          points.toString().trim()));
    }
    // Legend, top left inside the plot.
    int lx = left + 16;
    int ly = top + 18;
    s.append(String.format(Locale.ROOT,
        "<rect x=\"%d\" y=\"%d\" width=\"330\" height=\"72\" fill=\"#ffffff\" stroke=\"#bbbbbb\"/>%n",
        lx - 8, ly - 14));
    for (int k = 0; k < 3; k++) {
      int y = ly + k * 22;
      s.append(String.format(Locale.ROOT,
          "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"%s/>%n",
          lx, y - 4, lx + 30, y - 4, colours[k],
          dashes[k].isEmpty() ? "" : " stroke-dasharray=\"" + dashes[k] + "\""));
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n",
          lx + 40, y, NAMES[k] + (k == 2 ? " (the same as no budget)" : "")));
    }
    s.append("</svg>\n");
    return s.toString();
  }
}
