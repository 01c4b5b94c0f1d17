package dev.stoic.benchmarks;

import java.util.Locale;

/** The start every chart the benchmarks draw shares: the SVG root and a white background. */
final class Svg {
  private Svg() {}

  /** An SVG document of {@code width} by {@code height}, open for the chart's elements. */
  static StringBuilder start(int width, int height, int fontSize) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
            + " font-family=\"DejaVu Sans, Arial, Helvetica, sans-serif\" font-size=\"%d\">%n",
        width, height, width, height, fontSize));
    s.append(String.format(Locale.ROOT,
        "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", width, height));
    return s;
  }
}
