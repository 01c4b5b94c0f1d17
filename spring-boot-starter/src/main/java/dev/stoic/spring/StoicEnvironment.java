package dev.stoic.spring;

import dev.stoic.RetryPolicy;
import dev.stoic.RetryRoutes;
import dev.stoic.config.StoicConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The {@code stoic.*} keys of a Spring {@link Environment}, from every property source Boot reads,
 * each with where it was set; read with core's {@link StoicConfig}, so the keys, values and error
 * messages are exactly those of the configuration reference. Environment variables are matched as
 * Boot's relaxed binding matches them ({@code STOIC_BACKOFF_BASE} for {@code stoic.backoff.base}),
 * and a variable under {@code STOIC_} that names no key fails startup like a misspelt key.
 */
final class StoicEnvironment {
  /** The starter's own switches ({@link StoicProperties}); not retry settings. */
  static final String OWN_PREFIX = "stoic.spring.";
  /** Environment variables for the starter's own switches, which Boot binds itself. */
  private static final String OWN_VARIABLE_PREFIX = "STOIC_SPRING_";
  /**
   * The switches of {@link StoicProperties} as variables, for the check Boot does not make on
   * variables: a misspelt one fails startup too.
   */
  static final List<String> OWN_VARIABLES = List.of("STOIC_SPRING_ENABLED",
      "STOIC_SPRING_REST_CLIENT_ENABLED", "STOIC_SPRING_REST_TEMPLATE_ENABLED",
      "STOIC_SPRING_OKHTTP_ENABLED", "STOIC_SPRING_WEB_CLIENT_ENABLED",
      "STOIC_SPRING_METRICS_ENABLED", "STOIC_SPRING_APACHE_ENABLED");
  private static final String VARIABLE_PREFIX = "STOIC_";
  /** The key (or variable) a problem of core's names: its line starts with it. */
  private static final Pattern PROBLEM_KEY = Pattern.compile("^([A-Za-z0-9_.\\-]+)(?: = |: )");
  /** An item of a list as YAML (or an indexed property) writes it: {@code stoic.retry-on-status[0]}. */
  private static final Pattern LIST_ITEM = Pattern.compile("(stoic\\..+)\\[(\\d+)\\]");

  /** Every key set, canonical ({@code stoic.max-attempts}), with its value and where it came from. */
  private final Map<String, Value> keys;
  /** Environment variables under {@code STOIC_} that name no key, by name. */
  private final Map<String, Value> unknownVariables;
  /** Two variables of one source that set the same key; misspelt switches. */
  private final List<StoicConfigurationException.Problem> nameProblems;

  /** A value as its source holds it, and where that is, for messages and the endpoint. */
  record Value(String text, String origin) {}

  private StoicEnvironment(Map<String, Value> keys, Map<String, Value> unknownVariables,
      List<StoicConfigurationException.Problem> nameProblems) {
    this.keys = keys;
    this.unknownVariables = unknownVariables;
    this.nameProblems = nameProblems;
  }

  /**
   * Every {@code stoic.*} key the property sources name, the first (highest-precedence) source's
   * value winning, placeholders resolved. A list written item by item, as YAML writes one
   * ({@code stoic.retry-on-status[0]}), is one key whose items are joined with commas.
   */
  static StoicEnvironment read(Environment environment) {
    StoicEnvironment read = new StoicEnvironment(new TreeMap<>(), new TreeMap<>(), new ArrayList<>());
    if (environment instanceof ConfigurableEnvironment configurable) {
      for (PropertySource<?> source : configurable.getPropertySources()) {
        if (source instanceof EnumerablePropertySource<?> names) read.add(names, environment);
      }
    }
    return read;
  }

  /** The keys of one source that no source before it set. */
  private void add(EnumerablePropertySource<?> source, Environment environment) {
    boolean variables = source instanceof SystemEnvironmentPropertySource;
    Map<String, String> setBy = new TreeMap<>(); // key -> variable, within this source
    Map<String, Map<Integer, String>> lists = new TreeMap<>(); // key -> index -> item
    for (String name : new TreeSet<>(List.of(source.getPropertyNames()))) {
      Object raw = source.getProperty(name);
      String text = environment.resolvePlaceholders(raw == null ? "" : raw.toString());
      Value value = new Value(text, origin(source, name, variables));
      if (variables && isUnknownSwitch(name)) {
        nameProblems.add(new StoicConfigurationException.Problem(name + ": unknown variable; the"
            + " starter's switches are " + String.join(", ", OWN_VARIABLES), value.origin()));
        continue;
      }
      String key = variables ? variableKey(name) : propertyKey(name);
      if (key == null) continue;
      if (key.isEmpty()) {
        unknownVariables.putIfAbsent(name, value);
        continue;
      }
      Matcher item = LIST_ITEM.matcher(key);
      if (item.matches()) {
        lists.computeIfAbsent(item.group(1), k -> new TreeMap<>())
            .put(Integer.parseInt(item.group(2)), text);
        continue;
      }
      String earlier = variables ? setBy.putIfAbsent(key, name) : null;
      if (earlier != null) {
        nameProblems.add(new StoicConfigurationException.Problem(name + ": sets " + key + ", as "
            + earlier + " does; keep one", value.origin()));
      }
      keys.putIfAbsent(key, value);
    }
    lists.forEach((key, items) -> keys.putIfAbsent(key,
        new Value(String.join(", ", items.values()), origin(source, key + "[0]", false))));
  }

  /** True for a STOIC_SPRING_ variable that is none of the starter's switches. */
  private static boolean isUnknownSwitch(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    if (!upper.startsWith(OWN_VARIABLE_PREFIX)) return false;
    for (String known : OWN_VARIABLES) {
      if (known.replace("_", "").equals(upper.replace("_", ""))) return false;
    }
    return true;
  }

  /** The key a property names; null if it is not a retry setting. */
  private static String propertyKey(String name) {
    boolean ours = name.startsWith(StoicConfig.PREFIX) && !name.startsWith(OWN_PREFIX);
    return ours ? name : null;
  }

  /** The key a variable names; "" for an unknown one under STOIC_; null if it is not ours. */
  private static String variableKey(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    if (!upper.startsWith(VARIABLE_PREFIX) || upper.startsWith(OWN_VARIABLE_PREFIX)) return null;
    String key = StoicConfig.keyOf(name, VARIABLE_PREFIX);
    return key == null ? "" : key;
  }

  /** "environment variable STOIC_X", "class path resource [application.properties], line 3". */
  private static String origin(PropertySource<?> source, String name, boolean variable) {
    if (variable) return "environment variable " + name;
    Origin origin = null;
    if (source instanceof OriginLookup<?>) {
      @SuppressWarnings("unchecked")
      OriginLookup<String> lookup = (OriginLookup<String>) source;
      origin = lookup.getOrigin(name);
    }
    if (origin instanceof TextResourceOrigin text && text.getResource() != null
        && text.getLocation() != null) {
      return text.getResource().getDescription() + ", line " + (text.getLocation().getLine() + 1);
    }
    if (origin != null) return origin.toString();
    return switch (source.getName()) {
      case "commandLineArgs" -> "command-line argument --" + name;
      case "systemProperties" -> "system property " + name;
      default -> "property source '" + source.getName() + "'";
    };
  }

  /** The keys set, canonical, with their values and origins, sorted. */
  Map<String, Value> keys() {
    return keys;
  }

  /**
   * The routes these keys configure over {@code base}.
   *
   * @throws StoicConfigurationException listing every problem, each with where its key was set
   */
  RetryRoutes routes(RetryPolicy base) {
    List<StoicConfigurationException.Problem> problems = new ArrayList<>(nameProblems);
    if (!unknownVariables.isEmpty()) {
      Map<String, String> texts = new LinkedHashMap<>();
      unknownVariables.forEach((name, value) -> texts.put(name, value.text()));
      addProblems(problems, () -> StoicConfig.fromEnvironment(texts, VARIABLE_PREFIX));
    }
    Map<String, String> texts = new TreeMap<>();
    keys.forEach((key, value) -> texts.put(key, value.text()));
    RetryRoutes[] routes = new RetryRoutes[1];
    addProblems(problems, () -> routes[0] = StoicConfig.from(texts).routes(base));
    if (!problems.isEmpty()) throw new StoicConfigurationException(problems);
    return routes[0];
  }

  private void addProblems(List<StoicConfigurationException.Problem> problems, Runnable read) {
    try {
      read.run();
    } catch (IllegalArgumentException e) {
      String[] lines = e.getMessage().split("\n");
      // Several problems come under a count line ("3 problems in the Stoic configuration:").
      for (int i = lines.length > 1 ? 1 : 0; i < lines.length; i++) {
        problems.add(new StoicConfigurationException.Problem(lines[i], originOf(lines[i])));
      }
    }
  }

  /** Where the key a problem names was set; null if it names no key that was. */
  private String originOf(String problem) {
    Matcher key = PROBLEM_KEY.matcher(problem);
    if (!key.find()) return null;
    Value value = keys.get(key.group(1));
    if (value == null) value = unknownVariables.get(key.group(1));
    return value == null ? null : value.origin();
  }
}
