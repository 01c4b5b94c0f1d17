package dev.stoic.spring;

import dev.stoic.RetryBudget;
import dev.stoic.RetryRoutes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code stoic} Actuator endpoint: each route's match and effective settings, the settings of
 * every other request ({@code otherwise}), the retry budget left for each host called so far, and
 * where each {@code stoic.*} key was set. A setting is {@code "set": true} only when a {@code
 * stoic.*} key (or, for {@code observers}, a {@code RetryObserver} bean) of the application set it,
 * for a route directly or through the top-level key it inherits.
 *
 * <pre>{@code
 * management.endpoints.web.exposure.include = health,metrics,stoic
 * GET /actuator/stoic
 * {"routeOrder":["payments"],
 *  "routes":{"payments":{"host":"payments.example.com","settings":{"max-attempts":
 *      {"value":"4","set":true,"source":"class path resource [application.properties], line 1"},...}}},
 *  "otherwise":{"settings":{...}}, "budgets":{"payments.example.com":{"available":20.0}},
 *  "sources":{"stoic.max-attempts":"class path resource [application.properties], line 1",...}}
 * }</pre>
 */
@Endpoint(id = "stoic")
public class StoicEndpoint {
  /** The settings that hold observers; the starter adds its own there. */
  private static final String OBSERVERS = "observers";
  private static final String SET_MARK = " (set)";
  private static final String DEFAULT_MARK = " (default)";

  private final RetryRoutes routes;
  private final StoicHosts hosts;
  private final Map<String, StoicEnvironment.Value> keys;
  private final List<String> userObservers;

  StoicEndpoint(RetryRoutes routes, StoicHosts hosts, Map<String, StoicEnvironment.Value> keys,
      List<String> userObservers) {
    this.routes = routes;
    this.hosts = hosts;
    this.keys = keys;
    this.userObservers = userObservers;
  }

  /** The policies by route, the budgets by host and the sources of the keys, as JSON. */
  @ReadOperation
  public Map<String, Object> stoic() {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Map<String, Object>> byRoute = new LinkedHashMap<>();
    Map<String, Map<String, Object>> settingsOf = new LinkedHashMap<>(); // route -> settings
    Map<String, Object> otherwise = new LinkedHashMap<>();
    for (RetryRoutes.Route route : routes.routes()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      if (route.host() != null) entry.put("host", route.host());
      if (route.pathPrefix() != null) entry.put("pathPrefix", route.pathPrefix());
      Map<String, Object> settings = new LinkedHashMap<>();
      entry.put("settings", settings);
      settingsOf.put(route.name(), settings);
      byRoute.put(route.name(), entry);
    }
    for (String line : routes.describe().split("\n")) {
      int equals = line.indexOf(" = ");
      if (equals < 0) continue;
      String key = line.substring(0, equals);
      String value = line.substring(equals + 3);
      if (value.endsWith(SET_MARK)) value = value.substring(0, value.length() - SET_MARK.length());
      if (value.endsWith(DEFAULT_MARK)) {
        value = value.substring(0, value.length() - DEFAULT_MARK.length());
      }
      if (key.equals("route-order")) continue; // the order of "routes" below, set or not
      String route = null;
      String setting = key;
      if (key.startsWith("routes.")) {
        int dot = key.indexOf('.', "routes.".length());
        route = key.substring("routes.".length(), dot);
        setting = key.substring(dot + 1);
        if (setting.equals("host") || setting.equals("path-prefix")) continue; // the match
      }
      (route == null ? otherwise : settingsOf.get(route)).put(setting, setting(route, setting, value));
    }
    out.put("routeOrder", List.copyOf(byRoute.keySet()));
    out.put("routes", byRoute);
    out.put("otherwise", Map.of("settings", otherwise));
    out.put("budgets", budgets());
    Map<String, String> sources = new TreeMap<>();
    keys.forEach((key, value) -> sources.put(key, value.origin()));
    out.put("sources", sources);
    return out;
  }

  /** One setting's value, whether the application set it, and where. */
  private Map<String, Object> setting(String route, String setting, String value) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("value", value);
    String source = "default";
    boolean set = false;
    if (setting.equals(OBSERVERS)) {
      set = !userObservers.isEmpty();
      if (set) {
        source = "RetryObserver beans: " + String.join(", ", userObservers);
      } else if (!value.equals("none")) {
        source = "starter"; // its own: the hosts for the budgets below, and meters
      }
    } else {
      StoicEnvironment.Value own =
          route == null ? null : keys.get("stoic.routes." + route + "." + setting);
      StoicEnvironment.Value top = keys.get("stoic." + setting);
      if (own != null) {
        source = own.origin();
      } else if (top != null) {
        source = top.origin() + (route == null ? "" : " (stoic." + setting + ", inherited)");
      }
      set = own != null || top != null;
    }
    out.put("set", set);
    out.put("source", source);
    return out;
  }

  private Map<String, Object> budgets() {
    RetryBudget budget = routes.retryBudget();
    Map<String, Object> budgets = new LinkedHashMap<>();
    for (String host : hosts.hosts()) {
      budgets.put(host, Map.of("available", budget.isEnabled() ? budget.available(host) : "unlimited"));
    }
    return budgets;
  }
}
