package dev.stoic.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The names of configuration keys: which {@link Setting} a key is, which key an environment
 * variable is, and which key a misspelt one probably meant. Keys here are written without the
 * {@code stoic.} prefix. Stateless.
 */
final class ConfigKeys {
  private ConfigKeys() {}

  private static final Map<String, Setting> BY_KEY = new HashMap<>();
  /** A key with every separator removed, upper case: how an environment variable is matched. */
  private static final Map<String, String> BY_SQUASHED = new HashMap<>();
  /** Keys of a route besides the policy settings. */
  private static final List<String> ROUTE_ONLY = List.of("host", "path-prefix");

  static {
    for (Setting setting : Setting.values()) {
      if (setting == Setting.STATUS) continue;
      BY_KEY.put(setting.key, setting);
      BY_SQUASHED.put(squash(setting.key), setting.key);
    }
    BY_SQUASHED.put(squash("route-order"), "route-order");
  }

  /** The setting named {@code key}, configurable or not; null if there is none. */
  static Setting setting(String key) {
    return BY_KEY.get(key);
  }

  /**
   * The key an environment variable names, from what follows the prefix ({@code MAX_ATTEMPTS},
   * {@code ROUTES_PAYMENTS_HOST}, {@code STATUS_503}); null if it names none. Separators in the
   * key may be written as underscores or left out: dots and dashes have no place in a variable's
   * name, so Spring Boot drops dashes and many people write underscores.
   */
  static String keyOf(String variable) {
    if (variable.startsWith("ROUTES_")) {
      int end = variable.indexOf('_', "ROUTES_".length());
      if (end < 0 || end == "ROUTES_".length()) return null;
      String name = variable.substring("ROUTES_".length(), end).toLowerCase(Locale.ROOT);
      String rest = variable.substring(end + 1);
      String key = null;
      for (String routeKey : ROUTE_ONLY) {
        if (squash(routeKey).equals(squash(rest))) key = routeKey;
      }
      if (key == null) key = settingKeyOf(rest);
      return key == null || key.equals("route-order") ? null : "routes." + name + "." + key;
    }
    return settingKeyOf(variable);
  }

  private static String settingKeyOf(String variable) {
    if (variable.matches("STATUS_\\d{3}")) return "status." + variable.substring(7);
    return BY_SQUASHED.get(squash(variable));
  }

  /**
   * The known key {@code key} most likely meant: one that differs only in case and separators
   * (maxAttempts for max-attempts), or else in at most two letters; null if none is that close.
   */
  static String nearest(String key, boolean inRoute) {
    List<String> candidates = new ArrayList<>();
    for (Setting setting : Setting.values()) {
      if (setting == Setting.STATUS || !setting.configurable()) continue;
      if (inRoute && Setting.BUDGET.contains(setting)) continue;
      candidates.add(setting.key);
    }
    if (inRoute) candidates.addAll(ROUTE_ONLY); else candidates.add("route-order");
    String best = null;
    int bestDistance = 3;
    for (String candidate : candidates) {
      if (squash(candidate).equals(squash(key))) return candidate;
      int distance = distance(candidate, key.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best;
  }

  /**
   * The variable (after the prefix) that the unknown {@code variable} most likely meant, as
   * {@link #nearest} finds it: {@code MAX_ATTEMPTS} for {@code MAX_ATEMPTS}; null if none is close.
   */
  static String nearestVariable(String variable) {
    String routePart = "";
    String rest = variable;
    if (variable.startsWith("ROUTES_")) {
      int end = variable.indexOf('_', "ROUTES_".length());
      if (end < 0) return null;
      routePart = variable.substring(0, end + 1);
      rest = variable.substring(end + 1);
    }
    String near = nearest(rest.toLowerCase(Locale.ROOT).replace('_', '-'), !routePart.isEmpty());
    if (near == null) return null;
    return routePart + near.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  static String squash(String key) {
    StringBuilder out = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c != '.' && c != '-' && c != '_') out.append(Character.toUpperCase(c));
    }
    return out.toString();
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) previous[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
