package dev.stoic.config;

import dev.stoic.RetryPolicy;
import dev.stoic.RetryRoutes;
import dev.stoic.http.Retryability;
import dev.stoic.internal.PolicyText;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes {@link RetryPolicy#describe()} and {@link RetryRoutes#describe()}: one line per {@link
 * Setting}, {@code key = value (set)} or {@code (default)}. Registered with {@link PolicyText}
 * when this class initializes. Stateless.
 */
final class PolicyDescription implements PolicyText {
  /** Heads the otherwise policy's block, which has no key prefix to name it. */
  static final String OTHERWISE_LABEL = "# otherwise: requests no route matches\n";

  static {
    PolicyText.register(new PolicyDescription());
  }

  private PolicyDescription() {}

  @Override
  public String describe(Object policy) {
    StringBuilder out = new StringBuilder(1024);
    describe((RetryPolicy) policy, "", true, out);
    return out.toString();
  }

  @Override
  public String describeRoutes(Object table) {
    RetryRoutes routes = (RetryRoutes) table;
    RetryPolicy otherwise = routes.otherwise();
    StringBuilder out = new StringBuilder(4096);
    List<String> names = new ArrayList<>();
    for (RetryRoutes.Route route : routes.routes()) names.add(route.name());
    line(out, "route-order", ConfigText.list(names), !names.isEmpty());
    Set<String> shared = new HashSet<>(); // the otherwise policy's "key = value" parts
    StringBuilder base = new StringBuilder();
    describe(otherwise, "", false, base);
    base.toString().lines().forEach(line -> shared.add(withoutMark(line)));
    for (RetryRoutes.Route route : routes.routes()) {
      String prefix = "routes." + route.name() + ".";
      if (route.host() != null) line(out, prefix + "host", route.host(), true);
      if (route.pathPrefix() != null) line(out, prefix + "path-prefix", route.pathPrefix(), true);
      StringBuilder own = new StringBuilder();
      describe(route.policy(), "", false, own);
      int same = 0;
      for (String line : own.toString().split("\n")) {
        if (shared.contains(withoutMark(line))) {
          same++;
        } else {
          out.append(prefix).append(line).append('\n');
        }
      }
      if (same > 0) out.append("# routes.").append(route.name()).append(": ").append(same)
          .append(" more settings as otherwise\n");
    }
    if (!names.isEmpty()) out.append(OTHERWISE_LABEL);
    describe(otherwise, "", true, out);
    return out.toString();
  }

  /** "key = value" of a describe() line, without its "(set)" or "(default)". */
  private static String withoutMark(String line) {
    int mark = line.lastIndexOf(" (");
    return mark < 0 ? line : line.substring(0, mark);
  }

  /** Every line of {@code p}, each key behind {@code prefix}; the budget's only if asked. */
  static void describe(RetryPolicy p, String prefix, boolean budget, StringBuilder out) {
    for (Setting setting : Setting.values()) {
      if (!budget && Setting.BUDGET.contains(setting)) continue;
      setting.describe(p, prefix, out);
    }
  }

  static void line(StringBuilder out, String key, String value, boolean set) {
    out.append(key).append(" = ").append(value).append(set ? " (set)\n" : " (default)\n");
  }

  static String codesWith(RetryPolicy p, Retryability retryability) {
    List<String> codes = new ArrayList<>();
    for (Map.Entry<Integer, Retryability> rule : new TreeMap<>(statusRules(p)).entrySet()) {
      if (rule.getValue() == retryability) codes.add(rule.getKey().toString());
    }
    return ConfigText.list(codes);
  }

  static String typesWith(RetryPolicy p, boolean retry) {
    List<String> names = new ArrayList<>();
    for (Map.Entry<Class<? extends Throwable>, Boolean> rule : Setting.ACCESS.exceptionRules(p).entrySet()) {
      if (rule.getValue() == retry) names.add(rule.getKey().getName());
    }
    return ConfigText.list(names);
  }

  @SuppressWarnings("unchecked")
  static Map<Integer, Retryability> statusRules(RetryPolicy p) {
    return (Map<Integer, Retryability>) Setting.ACCESS.statusRules(p);
  }

  static String names(Iterable<String> names) {
    List<String> list = new ArrayList<>();
    names.forEach(list::add);
    return ConfigText.list(list);
  }

  static List<String> retryabilityNames() {
    List<String> names = new ArrayList<>();
    for (Retryability r : Retryability.values()) names.add(retryabilityName(r));
    return names;
  }

  static String retryabilityName(Retryability r) {
    return r.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
