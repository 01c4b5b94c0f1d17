package dev.stoic.examples.demo;

import java.util.List;
import java.util.Locale;

/**
 * Draws the demo's samples as three dashboard panels in one SVG, in the manner of a Grafana board:
 * calls per second, retries per second by reason, and seconds spent waiting per second. The
 * incident's window is shaded.
 */
final class Chart {
  private static final int WIDTH = 900;
  private static final int PANEL_HEIGHT = 170;
  private static final int LEFT = 64;
  private static final int RIGHT = 220;
  private static final int TOP = 44;
  private static final int GAP = 46;

  private record Line(String series, String label, String color, boolean dashed) {}

  private record Panel(String title, String unit, List<Line> lines) {}

  private static final List<Panel> PANELS = List.of(
      new Panel("Calls per second", "calls/s", List.of(
          new Line("calls_success", "succeeded", "#73bf69", false),
          new Line("calls_failure", "failed", "#f2495c", false))),
      new Panel("Retries per second, by reason", "retries/s", List.of(
          new Line("retries_hint", "hint (Retry-After)", "#5794f2", false),
          new Line("retries_status", "status (503)", "#ff9830", false),
          new Line("retries_exception", "exception", "#b877d9", false),
          new Line("client_resends", "OkHttp's own re-sends", "#8ab8ff", true),
          new Line("budget_refusals", "refused by the budget", "#f2495c", true))),
      new Panel("Time spent waiting, seconds per second", "s/s", List.of(
          new Line("wait_retry_s", "before retries", "#fade2a", false),
          new Line("wait_hinted_s", "of which a hint asked for", "#5794f2", true),
          new Line("wait_throttle_s", "for the throttle", "#73bf69", false))));

  private Chart() {}

  static String svg(List<Sampler.Sample> samples, double[] incident) {
    int height = TOP + PANELS.size() * (PANEL_HEIGHT + GAP);
    double tMax = samples.isEmpty() ? 1 : samples.get(samples.size() - 1).t();
    int plotWidth = WIDTH - LEFT - RIGHT;
    StringBuilder s = new StringBuilder();
    s.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0"
        + " %d %d\" font-family=\"DejaVu Sans, Arial, Helvetica, sans-serif\" font-size=\"12\">%n",
        WIDTH, height, WIDTH, height));
    s.append(f("<rect width=\"%d\" height=\"%d\" fill=\"#111217\"/>%n", WIDTH, height));
    s.append(f("<text x=\"%d\" y=\"26\" font-size=\"15\" font-weight=\"bold\" fill=\"#d8d9da\">"
        + "Stoic's meters over a %.0f s run of ObservedDemo (sampled every second)</text>%n",
        LEFT, tMax));
    for (int p = 0; p < PANELS.size(); p++) {
      Panel panel = PANELS.get(p);
      int top = TOP + p * (PANEL_HEIGHT + GAP) + 20;
      int bottom = top + PANEL_HEIGHT - 30;
      double max = 0;
      for (Sampler.Sample sample : samples) {
        for (Line line : panel.lines()) max = Math.max(max, sample.get(line.series()));
      }
      max = niceCeiling(max);
      s.append(f("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#181b1f\""
          + " stroke=\"#2c3235\"/>%n", LEFT - 50, top - 22, WIDTH - LEFT - 4, PANEL_HEIGHT + 18));
      s.append(f("<text x=\"%d\" y=\"%d\" font-size=\"13\" fill=\"#d8d9da\">%s</text>%n",
          LEFT - 40, top - 6, panel.title()));
      double x0 = LEFT + plotWidth * incident[0] / tMax;
      double x1 = LEFT + plotWidth * Math.min(incident[1], tMax) / tMax;
      s.append(f("<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#f2495c\""
          + " fill-opacity=\"0.08\"/>%n", x0, top, x1 - x0, bottom - top));
      if (p == 0) {
        s.append(f("<text x=\"%.1f\" y=\"%d\" fill=\"#f2495c\" text-anchor=\"middle\">incident:"
            + " 503s, Retry-After, slow answers</text>%n", (x0 + x1) / 2, top + 14));
      }
      for (int i = 0; i <= 4; i++) {
        double value = max * i / 4;
        double y = bottom - (bottom - top) * i / 4.0;
        s.append(f("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#2c3235\"/>%n",
            LEFT, y, LEFT + plotWidth, y));
        s.append(f("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#8e8e8e\">%s</text>%n",
            LEFT - 6, y + 4, label(value)));
      }
      for (int t = 0; t <= tMax; t += tick(tMax)) {
        double x = LEFT + plotWidth * t / tMax;
        s.append(f("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#8e8e8e\">%d s</text>%n",
            x, bottom + 16, t));
      }
      for (int l = 0; l < panel.lines().size(); l++) {
        Line line = panel.lines().get(l);
        StringBuilder points = new StringBuilder();
        for (Sampler.Sample sample : samples) {
          double x = LEFT + plotWidth * sample.t() / tMax;
          double y = bottom - (bottom - top) * (max == 0 ? 0 : sample.get(line.series()) / max);
          points.append(f("%.1f,%.1f ", x, y));
        }
        s.append(f("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"%s\"/>%n",
            line.color(), line.dashed() ? " stroke-dasharray=\"5,3\"" : "", points.toString().trim()));
        int ly = top + 6 + l * 18;
        int lx = LEFT + plotWidth + 14;
        s.append(f("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"%s/>%n",
            lx, ly, lx + 18, ly, line.color(), line.dashed() ? " stroke-dasharray=\"5,3\"" : ""));
        s.append(f("<text x=\"%d\" y=\"%d\" fill=\"#d8d9da\">%s</text>%n", lx + 24, ly + 4,
            line.label()));
      }
      s.append(f("<text x=\"%d\" y=\"%d\" fill=\"#8e8e8e\">%s</text>%n", LEFT + plotWidth + 14,
          bottom, panel.unit()));
    }
    s.append("</svg>\n");
    return s.toString();
  }

  static String csv(List<Sampler.Sample> samples) {
    StringBuilder s = new StringBuilder("t_s," + String.join(",", Sampler.SERIES) + "\n");
    for (Sampler.Sample sample : samples) {
      s.append(f("%.2f", sample.t()));
      for (double v : sample.values()) s.append(f(",%.3f", v));
      s.append('\n');
    }
    return s.toString();
  }

  private static double niceCeiling(double max) {
    if (max <= 0) return 1;
    double magnitude = Math.pow(10, Math.floor(Math.log10(max)));
    for (double step : new double[] {1, 2, 2.5, 5, 10}) {
      if (step * magnitude >= max) return step * magnitude;
    }
    return 10 * magnitude;
  }

  private static int tick(double tMax) {
    return tMax <= 10 ? 1 : tMax <= 40 ? 5 : 10;
  }

  private static String label(double value) {
    String text = f("%.2f", value);
    return text.replaceAll("\\.?0+$", "");
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
