package dev.stoic.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Turns a JMH JSON result file into the Markdown tables of benchmarks/RESULTS.md: each side's score
 * with its 99.9% confidence interval (JMH's own), median and best iteration, bytes per operation,
 * what Stoic and each peer add over the raw client, and the ratios.
 *
 * <pre>
 * java -cp benchmarks.jar dev.stoic.benchmarks.Report benchmarks/results/&lt;time&gt;.json
 * </pre>
 *
 * <p>Errors of differences and ratios are propagated from the two intervals (root of the sum of
 * squares), which treats them as independent. The {@code pair*} loopback ratios are computed per
 * iteration instead, from two sides measured at the same time, with a t-interval at 99.9%.
 */
public final class Report {
  private final Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
  private final StringBuilder out = new StringBuilder();

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: Report <jmh-results.json>");
      System.exit(2);
    }
    String json = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
    Report report = new Report((List<?>) new Json(json).value());
    System.out.print(report.render());
  }

  @SuppressWarnings("unchecked")
  Report(List<?> results) {
    for (Object o : results) {
      Map<String, Object> r = (Map<String, Object>) o;
      String name = (String) r.get("benchmark");
      byName.put(name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1), r);
    }
  }

  String render() {
    overhead("OkHttpOverheadBenchmark", "success",
        List.of("raw", "passThroughInterceptor", "stoicInterceptor", "stoicCallFactory", "failsafe",
            "resilience4j"),
        List.of("stoicInterceptor", "stoicCallFactory"));
    overhead("OkHttpOverheadBenchmark", "retryOnce",
        List.of("raw", "stoicInterceptor", "stoicCallFactory", "failsafe", "resilience4j"),
        List.of("stoicInterceptor", "stoicCallFactory"));
    overhead("JdkOverheadBenchmark", "success",
        List.of("raw", "stoic", "failsafe", "resilience4j"), List.of("stoic"));
    overhead("JdkOverheadBenchmark", "successAsync", List.of("raw", "stoic"), List.of("stoic"));
    overhead("JdkOverheadBenchmark", "retryOnce",
        List.of("raw", "stoic", "failsafe", "resilience4j"), List.of("stoic"));
    loopback();
    plain("Policy engine", List.of("DecisionBenchmark", "PolicyEngineBenchmark", "RetryAfterBenchmark"));
    return out.toString();
  }

  /** One path of an in-memory overhead benchmark: every side, and what it adds over raw. */
  private void overhead(String cls, String path, List<String> sides, List<String> stoics) {
    Map<String, Object> raw = byName.get(cls + "." + path + "_raw");
    if (raw == null) return;
    out.append(String.format(Locale.ROOT, "%n#### %s, %s%n%n", cls, path));
    out.append("| side | ns/op ± 99.9% | median | min | B/op | adds ns ± | adds B | × raw time |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    Stat rawTime = primary(raw);
    double rawBytes = bytes(raw);
    Map<String, double[]> added = new LinkedHashMap<>();
    for (String side : sides) {
      Map<String, Object> r = byName.get(cls + "." + path + "_" + side);
      if (r == null) continue;
      Stat t = primary(r);
      double b = bytes(r);
      double addNs = t.score - rawTime.score;
      double addErr = Math.hypot(t.error, rawTime.error);
      added.put(side, new double[] {addNs, b - rawBytes, addErr});
      boolean isRaw = side.equals("raw");
      out.append(String.format(Locale.ROOT, "| %s | %s ± %s | %s | %s | %,.0f | %s | %s | %s |%n",
          side, f(t.score), f(t.error), f(t.median), f(t.min), b,
          isRaw ? "–" : f(addNs) + " ± " + f(addErr),
          isRaw ? "–" : String.format(Locale.ROOT, "%+,.0f", b - rawBytes),
          isRaw ? "1" : String.format(Locale.ROOT, "%.2f ± %.2f", t.score / rawTime.score,
              t.score / rawTime.score * Math.hypot(t.error / t.score, rawTime.error / rawTime.score))));
    }
    for (String stoic : stoics) {
      double[] s = added.get(stoic);
      if (s == null) continue;
      for (String peer : List.of("failsafe", "resilience4j")) {
        double[] p = added.get(peer);
        if (p == null) continue;
        out.append(String.format(Locale.ROOT,
            "%n- %s vs %s: adds %s ns (peer %s ns), %+,.0f B (peer %+,.0f B)", stoic, peer,
            f(s[0]), f(p[0]), s[1], p[1]));
      }
    }
    out.append("\n");
  }

  /** Loopback throughput: each side alone vs raw, and the simultaneous pairs. */
  @SuppressWarnings("unchecked")
  private void loopback() {
    if (byName.keySet().stream().noneMatch(name -> name.startsWith("LoopbackBenchmark."))) return;
    if (byName.containsKey("LoopbackBenchmark.okhttp_raw")) singleSides();
    pairs();
  }

  private void singleSides() {
    out.append("\n#### LoopbackBenchmark, one side at a time (calls/s)\n\n");
    out.append("| side | calls/s ± 99.9% | median | × raw ± |\n|---|---:|---:|---:|\n");
    for (String client : List.of("okhttp", "jdk")) {
      Stat raw = primary(byName.get("LoopbackBenchmark." + client + "_raw"));
      for (String side : List.of("raw", "stoicInterceptor", "stoicCallFactory", "stoic", "failsafe",
          "resilience4j")) {
        Map<String, Object> r = byName.get("LoopbackBenchmark." + client + "_" + side);
        if (r == null) continue;
        Stat t = primary(r);
        double ratio = t.score / raw.score;
        out.append(String.format(Locale.ROOT, "| %s_%s | %,.0f ± %,.0f | %,.0f | %s |%n",
            client, side, t.score, t.error, t.median, side.equals("raw") ? "1" : String.format(
                Locale.ROOT, "%.3f ± %.3f", ratio,
                ratio * Math.hypot(t.error / t.score, raw.error / raw.score))));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private void pairs() {
    out.append("\n#### LoopbackBenchmark, raw and Stoic at the same time (calls/s per side)\n\n");
    out.append("| pair | raw calls/s | Stoic calls/s | Stoic / raw, mean of iterations ± 99.9% |"
        + " min | max | iterations |\n|---|---:|---:|---:|---:|---:|---:|\n");
    for (String pair : List.of("pairControlOkHttp", "pairOkHttpInterceptor", "pairOkHttpCallFactory",
        "pairJdk")) {
      Map<String, Object> r = byName.get("LoopbackBenchmark." + pair);
      if (r == null) continue;
      Map<String, Object> secondary = (Map<String, Object>) r.get("secondaryMetrics");
      double[] raw = iterations((Map<String, Object>) secondary.get(pair + "_raw"));
      double[] stoic = iterations((Map<String, Object>) secondary.get(pair + "_stoic"));
      double[] ratios = new double[raw.length];
      for (int i = 0; i < raw.length; i++) ratios[i] = stoic[i] / raw[i];
      Stat ratio = Stat.of(ratios);
      out.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %.3f ± %.3f | %.3f | %.3f | %d |%n",
          pair, Stat.of(raw).score, Stat.of(stoic).score, ratio.score, ratio.error, ratio.min,
          ratio.max, ratios.length));
    }
  }

  /** Benchmarks listed as they are: score, interval, median, best, bytes. */
  private void plain(String title, List<String> classes) {
    if (byName.keySet().stream().noneMatch(n -> classes.contains(n.substring(0, n.indexOf('.'))))) {
      return;
    }
    out.append(String.format(Locale.ROOT, "%n#### %s%n%n", title));
    out.append("| benchmark | ns/op ± 99.9% | median | min | B/op |\n|---|---:|---:|---:|---:|\n");
    for (Map.Entry<String, Map<String, Object>> e : byName.entrySet()) {
      String cls = e.getKey().substring(0, e.getKey().indexOf('.'));
      if (!classes.contains(cls)) continue;
      Stat t = primary(e.getValue());
      out.append(String.format(Locale.ROOT, "| %s | %s ± %s | %s | %s | %s |%n", e.getKey(),
          f(t.score), f(t.error), f(t.median), f(t.min), fBytes(bytes(e.getValue()))));
    }
  }

  @SuppressWarnings("unchecked")
  private static Stat primary(Map<String, Object> result) {
    Map<String, Object> metric = (Map<String, Object>) result.get("primaryMetric");
    Stat stat = Stat.of(iterations(metric));
    stat.score = ((Number) metric.get("score")).doubleValue();
    Object error = metric.get("scoreError");
    stat.error = error instanceof Number ? ((Number) error).doubleValue() : Double.NaN;
    return stat;
  }

  @SuppressWarnings("unchecked")
  private static double bytes(Map<String, Object> result) {
    Map<String, Object> secondary = (Map<String, Object>) result.get("secondaryMetrics");
    Map<String, Object> norm = secondary == null ? null
        : (Map<String, Object>) secondary.get("gc.alloc.rate.norm");
    return norm == null ? Double.NaN : ((Number) norm.get("score")).doubleValue();
  }

  @SuppressWarnings("unchecked")
  private static double[] iterations(Map<String, Object> metric) {
    List<Double> values = new ArrayList<>();
    for (Object fork : (List<Object>) metric.get("rawData")) {
      for (Object v : (List<Object>) fork) values.add(((Number) v).doubleValue());
    }
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static String f(double v) {
    if (Double.isNaN(v)) return "–";
    if (Math.abs(v) >= 100) return String.format(Locale.ROOT, "%,.0f", v);
    if (Math.abs(v) >= 10) return String.format(Locale.ROOT, "%.1f", v);
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static String fBytes(double v) {
    if (Double.isNaN(v)) return "–";
    return v < 0.5 ? "0" : String.format(Locale.ROOT, "%,.0f", v);
  }

  /** Mean, 99.9% t-interval half-width, median, min and max of iteration scores. */
  static final class Stat {
    double score;
    double error;
    double median;
    double min;
    double max;

    static Stat of(double[] values) {
      Stat s = new Stat();
      double[] sorted = values.clone();
      Arrays.sort(sorted);
      int n = sorted.length;
      double sum = 0;
      for (double v : sorted) sum += v;
      s.score = sum / n;
      double squares = 0;
      for (double v : sorted) squares += (v - s.score) * (v - s.score);
      s.error = n < 2 ? Double.NaN
          : new TDistribution(n - 1).inverseCumulativeProbability(1 - 0.001 / 2)
              * Math.sqrt(squares / (n - 1)) / Math.sqrt(n);
      s.median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
      s.min = sorted[0];
      s.max = sorted[n - 1];
      return s;
    }
  }

  /** Just enough JSON for JMH's result files: objects, arrays, strings, numbers, literals. */
  static final class Json {
    private final String s;
    private int i;

    Json(String s) {
      this.s = s;
    }

    Object value() {
      skip();
      char c = s.charAt(i);
      switch (c) {
        case '{':
          return object();
        case '[':
          return array();
        case '"':
          return string();
        case 't':
          i += 4;
          return Boolean.TRUE;
        case 'f':
          i += 5;
          return Boolean.FALSE;
        case 'n':
          i += 4;
          return null;
        default:
          return number();
      }
    }

    private Map<String, Object> object() {
      Map<String, Object> map = new LinkedHashMap<>();
      i++;
      skip();
      if (s.charAt(i) == '}') {
        i++;
        return map;
      }
      while (true) {
        skip();
        String key = string();
        skip();
        i++; // ':'
        map.put(key, value());
        skip();
        if (s.charAt(i++) == '}') return map;
      }
    }

    private List<Object> array() {
      List<Object> list = new ArrayList<>();
      i++;
      skip();
      if (s.charAt(i) == ']') {
        i++;
        return list;
      }
      while (true) {
        list.add(value());
        skip();
        if (s.charAt(i++) == ']') return list;
      }
    }

    private String string() {
      StringBuilder b = new StringBuilder();
      i++; // opening quote
      while (true) {
        char c = s.charAt(i++);
        if (c == '"') return b.toString();
        if (c == '\\') {
          char e = s.charAt(i++);
          switch (e) {
            case 'n':
              b.append('\n');
              break;
            case 't':
              b.append('\t');
              break;
            case 'u':
              b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
              i += 4;
              break;
            default:
              b.append(e);
          }
        } else {
          b.append(c);
        }
      }
    }

    private Object number() {
      int start = i;
      while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
      String text = s.substring(start, i);
      if (text.isEmpty()) {
        // JMH writes NaN as "NaN" in some versions.
        if (s.startsWith("NaN", i)) {
          i += 3;
          return Double.NaN;
        }
        throw new IllegalArgumentException("unexpected '" + s.charAt(i) + "' at " + i);
      }
      return Double.parseDouble(text);
    }

    private void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }
  }
}
