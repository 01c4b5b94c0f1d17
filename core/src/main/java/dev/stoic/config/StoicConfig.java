package dev.stoic.config;

import dev.stoic.RetryPolicy;
import dev.stoic.RetryRoutes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link RetryPolicy}, and optionally {@link RetryRoutes}, read from flat keys and values
 * outside code: a {@link Properties} file, a {@code Map}, or environment variables. The schema
 * (every key, its type, range and default) is in {@code docs/configuration.md}; the keys are those
 * {@link RetryPolicy#describe()} prints.
 *
 * <pre>{@code
 * # application.properties
 * stoic.max-attempts = 4
 * stoic.backoff.base = 500ms
 * stoic.routes.payments.host = payments.example.com
 * stoic.routes.payments.max-retry-after = 5m
 * stoic.routes.payments.idempotency-key.auto-generate = true
 *
 * StoicConfig config = StoicConfig.from(properties);     // or fromEnvironment("STOIC_")
 * HttpClient client = StoicHttpClient.wrap(HttpClient.newHttpClient(), config.routes());
 * }</pre>
 *
 * <p>Everything is checked when the source is read: an unknown key, a bad value or two settings
 * that contradict each other fail with an {@link IllegalArgumentException} that lists every
 * problem, each naming its key as the source wrote it and what it accepts. Nothing is ignored
 * silently, except keys outside the {@code stoic.} prefix (or the environment prefix), which are
 * not Stoic's. Route settings start from the top-level settings and override them; routes cannot
 * set the retry budget, which one client shares across routes.
 *
 * <p>Settings that hold code (listeners, a clock, a credential refresher, a throttle) cannot come
 * from text: put them on a base policy and apply the configuration over it with {@link
 * #policy(RetryPolicy)} or {@link #routes(RetryPolicy)}. Immutable and thread-safe.
 *
 * <p>Named {@code RetryConfig} before 0.3; renamed so that it cannot be taken for resilience4j's
 * {@code RetryConfig}, which {@code StoicRetry} builds. In {@code dev.stoic} before 0.3.
 */
public final class StoicConfig {
  /** The prefix of every key in a {@code Properties} or {@code Map} source. */
  public static final String PREFIX = "stoic.";
  private static final Pattern ROUTE_KEY = Pattern.compile("routes\\.([^.]*)\\.(.+)");
  private static final Pattern ROUTE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
  private static final Pattern STATUS_KEY = Pattern.compile("status\\.(\\d{3})");

  private final SettingValues top;
  private final List<RouteValues> routes;
  private final RetryPolicy policy;
  private final RetryRoutes routeTable;

  /**
   * Checks everything now: the top level over the defaults, each route over the top level (or
   * over the defaults when the top level has problems), adding to the {@code problems} found while
   * reading the keys, and throws if there are any.
   */
  private StoicConfig(SettingValues top, List<RouteValues> routes, List<String> problems) {
    this.top = top;
    this.routes = routes;
    RetryPolicy built = top.applyTo(RetryPolicy.defaults(), problems);
    RetryRoutes table = build(built != null ? built : RetryPolicy.defaults(), problems);
    if (!problems.isEmpty()) throw problems(problems);
    this.policy = built;
    this.routeTable = table;
  }

  /**
   * Reads the keys of {@code source} that start with {@code stoic.}.
   *
   * @throws NullPointerException if {@code source} or a value is null
   * @throws IllegalArgumentException listing every unknown key, bad value and conflict
   */
  public static StoicConfig from(Map<String, String> source) {
    Objects.requireNonNull(source, "source == null");
    Map<String, String> keys = new TreeMap<>(); // canonical key -> the key as written
    Map<String, String> texts = new TreeMap<>();
    for (Map.Entry<String, String> entry : source.entrySet()) {
      String key = Objects.requireNonNull(entry.getKey(), "key == null");
      if (!key.startsWith(PREFIX)) continue;
      keys.put(key.substring(PREFIX.length()), key);
      texts.put(key.substring(PREFIX.length()),
          Objects.requireNonNull(entry.getValue(), () -> key + " == null"));
    }
    return read(keys, texts, false);
  }

  /** As {@link #from(Map)}, for the string keys and values of {@code source}. */
  public static StoicConfig from(Properties source) {
    Objects.requireNonNull(source, "source == null");
    Map<String, String> map = new TreeMap<>();
    for (String name : source.stringPropertyNames()) map.put(name, source.getProperty(name));
    return from(map);
  }

  /**
   * Reads this process's environment variables whose names start with {@code prefix}.
   *
   * @see #fromEnvironment(Map, String)
   */
  public static StoicConfig fromEnvironment(String prefix) {
    return fromEnvironment(System.getenv(), prefix);
  }

  /**
   * Reads the variables of {@code environment} whose names start with {@code prefix} ("STOIC" or
   * "STOIC_"). A key's variable is its name in upper case with dots as underscores and dashes
   * removed or written as underscores, as Spring Boot binds them: {@code STOIC_MAX_ATTEMPTS} or
   * {@code STOIC_MAXATTEMPTS} for {@code stoic.max-attempts}, {@code STOIC_ROUTES_PAYMENTS_HOST}
   * for {@code stoic.routes.payments.host}. A route's name is one word (letters and digits).
   *
   * @throws IllegalArgumentException if {@code prefix} is empty, or listing every unknown
   *     variable, bad value and conflict
   */
  public static StoicConfig fromEnvironment(Map<String, String> environment, String prefix) {
    Objects.requireNonNull(environment, "environment == null");
    Objects.requireNonNull(prefix, "prefix == null");
    String p = prefix.toUpperCase(Locale.ROOT);
    if (p.isEmpty() || p.equals("_")) throw new IllegalArgumentException("prefix is empty");
    if (!p.endsWith("_")) p += "_";
    Map<String, String> keys = new TreeMap<>();
    Map<String, String> texts = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> entry : new TreeMap<>(environment).entrySet()) {
      String name = entry.getKey();
      if (!name.toUpperCase(Locale.ROOT).startsWith(p)) continue;
      String rest = name.substring(p.length()).toUpperCase(Locale.ROOT);
      String key = ConfigKeys.keyOf(rest);
      if (key == null) {
        String near = ConfigKeys.nearestVariable(rest);
        problems.add(name + ": unknown variable" + (near == null ? "" : " (did you mean " + p
            + near + "?)") + "; see docs/configuration.md for the keys, and write one as " + p
            + "MAX_ATTEMPTS for stoic.max-attempts");
        continue;
      }
      String earlier = keys.put(key, name);
      if (earlier != null) {
        problems.add(name + ": sets stoic." + key + ", as " + earlier + " does; keep one");
      }
      texts.put(key, Objects.requireNonNull(entry.getValue(), () -> name + " == null"));
    }
    if (!problems.isEmpty()) throw problems(problems);
    return read(keys, texts, true);
  }

  /**
   * The key that the environment variable {@code variable} names, as {@link
   * #fromEnvironment(Map, String)} reads it: {@code stoic.max-attempts} for {@code
   * STOIC_MAX_ATTEMPTS} or {@code STOIC_MAXATTEMPTS} with the prefix "STOIC"; null if the variable
   * does not start with the prefix or names no key. For frameworks that gather keys from several
   * sources, environment variables among them.
   *
   * <pre>{@code
   * StoicConfig.keyOf("STOIC_ROUTES_PAYMENTS_HOST", "STOIC"); // "stoic.routes.payments.host"
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code prefix} is empty
   */
  public static String keyOf(String variable, String prefix) {
    Objects.requireNonNull(variable, "variable == null");
    Objects.requireNonNull(prefix, "prefix == null");
    String p = prefix.toUpperCase(Locale.ROOT);
    if (p.isEmpty() || p.equals("_")) throw new IllegalArgumentException("prefix is empty");
    if (!p.endsWith("_")) p += "_";
    String name = variable.toUpperCase(Locale.ROOT);
    if (!name.startsWith(p)) return null;
    String key = ConfigKeys.keyOf(name.substring(p.length()));
    return key == null ? null : PREFIX + key;
  }

  /** The top-level settings over {@link RetryPolicy#defaults()}. */
  public RetryPolicy policy() {
    return policy;
  }

  /**
   * The top-level settings over {@code base}: how listeners, a clock and other code get in.
   *
   * @throws IllegalArgumentException if a setting contradicts one of {@code base}'s
   */
  public RetryPolicy policy(RetryPolicy base) {
    Objects.requireNonNull(base, "base == null");
    return top.applyTo(base);
  }

  /**
   * The routes, each over {@link #policy()}, with {@link #policy()} for every other request. With
   * no routes configured, a table of that policy alone.
   */
  public RetryRoutes routes() {
    return routeTable;
  }

  /** As {@link #routes()}, over {@code base} rather than the defaults. */
  public RetryRoutes routes(RetryPolicy base) {
    List<String> problems = new ArrayList<>();
    RetryRoutes table = build(policy(base), problems);
    if (!problems.isEmpty()) throw problems(problems);
    return table;
  }

  /** The route table over {@code otherwise}, or null after adding to {@code problems}. */
  private RetryRoutes build(RetryPolicy otherwise, List<String> problems) {
    RetryRoutes.Builder table = RetryRoutes.builder().otherwise(otherwise);
    int before = problems.size();
    for (RouteValues route : routes) {
      RetryPolicy p = route.settings.applyTo(otherwise, problems);
      if (p == null || (route.host == null) == (route.pathPrefix == null)) continue;
      try {
        Setting.ACCESS.addRoute(table, route.name, route.host, route.pathPrefix, p);
      } catch (IllegalArgumentException e) {
        problems.add((route.host != null ? route.hostKey : route.pathPrefixKey) + ": "
            + e.getMessage());
      }
    }
    return problems.size() > before ? null : table.build();
  }

  private static StoicConfig read(
      Map<String, String> keys, Map<String, String> texts, boolean environment) {
    List<String> problems = new ArrayList<>();
    SettingValues top = new SettingValues();
    Map<String, RouteValues> routes = new TreeMap<>();
    String order = null;
    String orderKey = null;
    for (Map.Entry<String, String> entry : texts.entrySet()) {
      String key = entry.getKey();
      String source = keys.get(key);
      String text = entry.getValue();
      Matcher route = ROUTE_KEY.matcher(key);
      if (route.matches()) {
        String name = route.group(1);
        if (!ROUTE_NAME.matcher(name).matches()) {
          problems.add(source + ": a route name is lower-case letters, digits and dashes,"
              + " starting with a letter or digit");
          continue;
        }
        RouteValues values = routes.computeIfAbsent(name, RouteValues::new);
        addRouteSetting(values, route.group(2), source, text, problems);
      } else if (key.equals("route-order")) {
        order = text;
        orderKey = source;
      } else {
        add(top, key, source, text, problems, false);
      }
    }
    List<RouteValues> ordered = order(routes, order, orderKey, environment, problems);
    return new StoicConfig(top, ordered, problems);
  }

  private static void addRouteSetting(
      RouteValues route, String key, String source, String text, List<String> problems) {
    if (key.equals("host")) {
      route.host = text.trim();
      route.hostKey = source;
    } else if (key.equals("path-prefix")) {
      route.pathPrefix = text.trim();
      route.pathPrefixKey = source;
    } else {
      add(route.settings, key, source, text, problems, true);
    }
  }

  private static void add(SettingValues values, String key, String source, String text,
      List<String> problems, boolean inRoute) {
    Matcher status = STATUS_KEY.matcher(key);
    if (status.matches()) {
      int code = Integer.parseInt(status.group(1));
      if (code < 100 || code > 599) {
        problems.add(source + ": a status code is 100 to 599");
      } else {
        addProblem(problems, values.putStatus(code, source, text));
      }
      return;
    }
    Setting setting = ConfigKeys.setting(key);
    if (setting == null || !setting.configurable()) {
      problems.add(source + ": " + (setting == null ? "unknown key" : "can only be set in code")
          + suggestion(key, source, inRoute) + "; the keys are listed in docs/configuration.md");
      return;
    }
    if (inRoute && Setting.BUDGET.contains(setting)) {
      problems.add(source + ": a route cannot set the retry budget: one budget serves every"
          + " route of a client, so that routing cannot escape it; set stoic." + setting.key);
      return;
    }
    addProblem(problems, values.put(setting, source, text));
  }

  private static void addProblem(List<String> problems, String problem) {
    if (problem != null) problems.add(problem);
  }

  /** " (did you mean stoic.max-attempts?)" for stoic.maxAttempts, or nothing. */
  private static String suggestion(String key, String source, boolean inRoute) {
    String near = ConfigKeys.nearest(key, inRoute);
    if (near == null || !source.endsWith(key)) return "";
    return " (did you mean " + source.substring(0, source.length() - key.length()) + near + "?)";
  }

  private static List<RouteValues> order(Map<String, RouteValues> routes, String order,
      String orderKey, boolean environment, List<String> problems) {
    for (RouteValues route : routes.values()) {
      if ((route.host == null) == (route.pathPrefix == null)) {
        problems.add(PREFIX + "routes." + route.name + ": give a route exactly one of host and"
            + " path-prefix" + (environment ? " (variables ..._ROUTES_" + route.name
            .toUpperCase(Locale.ROOT) + "_HOST or _PATH_PREFIX)" : ""));
      }
    }
    if (order == null) {
      if (routes.size() > 1) {
        problems.add(PREFIX + "route-order: is required with more than one route, since the"
            + " first route that matches wins; list every route: "
            + String.join(", ", routes.keySet()));
      }
      return new ArrayList<>(routes.values());
    }
    List<RouteValues> ordered = new ArrayList<>();
    Map<String, RouteValues> left = new LinkedHashMap<>(routes);
    List<String> names;
    try {
      names = ConfigText.list(order);
    } catch (IllegalArgumentException e) {
      problems.add(orderKey + " = " + ConfigText.quote(order) + ": " + e.getMessage());
      return new ArrayList<>(routes.values());
    }
    for (String name : names) {
      RouteValues route = left.remove(name.toLowerCase(Locale.ROOT));
      if (route == null) {
        problems.add(orderKey + ": " + ConfigText.quote(name) + " is not a configured route, or"
            + " is listed twice; the routes are: " + String.join(", ", routes.keySet()));
      } else {
        ordered.add(route);
      }
    }
    if (!left.isEmpty()) {
      problems.add(orderKey + ": must list every route; missing: "
          + String.join(", ", left.keySet()));
      ordered.addAll(left.values()); // still checked, after the others
    }
    return ordered;
  }

  /** One exception for every problem found, one per line. */
  static IllegalArgumentException problems(List<String> problems) {
    if (problems.size() == 1) return new IllegalArgumentException(problems.get(0));
    return new IllegalArgumentException(problems.size() + " problems in the Stoic configuration:\n"
        + String.join("\n", problems));
  }

  /** One configured route: what it matches and its settings over the top level. */
  private static final class RouteValues {
    final String name;
    final SettingValues settings = new SettingValues();
    String host;
    String hostKey;
    String pathPrefix;
    String pathPrefixKey;

    RouteValues(String name) {
      this.name = name;
    }
  }
}
