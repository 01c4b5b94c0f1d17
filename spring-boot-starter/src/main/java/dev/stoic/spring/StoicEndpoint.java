package dev.stoic.spring;

import dev.stoic.RetryBudget;
import dev.stoic.RetryRoutes;
import dev.stoic.ShadowReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code stoic} Actuator endpoint. It shows each route's match and effective settings, the
 * settings of every other request ({@code otherwise}), the retry budget left for each host called
 * so far, and where each {@code stoic.*} key was set. A setting is {@code "set": true} only when a
 * {@code stoic.*} key (or, for {@code observers}, a {@code RetryObserver} bean) of the application
 * set it, for a route directly or through the top-level key it inherits.
 *
 * <pre>{@code
 * management.endpoints.web.exposure.include = health,metrics,stoic
 * GET /actuator/stoic
 * {"routeOrder":["payments"],
 *  "routes":{"payments":{"host":"payments.example.com","settings":{"max-attempts":
 *      {"value":"4","set":true,"source":"class path resource [application.properties], line 1"},...}}},
 *  "otherwise":{"settings":{...}}, "budgets":{"payments.example.com":{"available":20.0}},
 *  "clients":{"RestClient":"StoicHttpClient on every RestClient.Builder",...},
 *  "sources":{"stoic.max-attempts":"class path resource [application.properties], line 1",...}}
 * }</pre>
 */
@Endpoint(id = "stoic")
public class StoicEndpoint {
  /** The settings that hold observers; the starter adds its own there. */
  private static final String OBSERVERS = "observers";
  private static final String SET_MARK = " (set)";
  private static final String DEFAULT_MARK = " (default)";

  private final StoicLive live;
  private final StoicHosts hosts;
  private final List<String> userObservers;
  private final List<Client> clients;

  /** A kind of client the starter put Stoic into, and how. */
  record Client(String name, String through) {}

  StoicEndpoint(StoicLive live, StoicHosts hosts, List<String> userObservers,
      List<Client> clients) {
    this.live = live;
    this.hosts = hosts;
    this.userObservers = userObservers;
    this.clients = clients;
  }

  /** The policies by route, the budgets by host and the sources of the keys, as JSON. */
  @ReadOperation
  public Map<String, Object> stoic() {
    RetryRoutes routes = live.live.routes();
    Map<String, StoicEnvironment.Value> keys = live.keys().keys();
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
    for (RetryRoutes.Route route : routes.routes()) {
      readSettings(route.policy().describe(), route.name(), settingsOf.get(route.name()), keys);
    }
    readSettings(routes.otherwise().describe(), null, otherwise, keys);
    out.put("routeOrder", List.copyOf(byRoute.keySet()));
    out.put("routes", byRoute);
    out.put("otherwise", Map.of("settings", otherwise));
    out.put("budgets", budgets(routes));
    Map<String, String> wrapped = new LinkedHashMap<>();
    for (Client client : clients) wrapped.put(client.name(), client.through());
    out.put("clients", wrapped);
    Map<String, String> sources = new TreeMap<>();
    keys.forEach((key, value) -> sources.put(key, value.origin()));
    out.put("sources", sources);
    out.put("live", live());
    return out;
  }

  /** Swaps, a refused refresh, and the shadowed candidate's report when there is one. */
  private Map<String, Object> live() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("swaps", live.live.swaps());
    out.put("refreshes", live.refreshes());
    if (live.refused() != null) out.put("refused", live.refused());
    ShadowReport report = live.live.shadowReport();
    if (report != null) {
      Map<String, Object> shadow = new LinkedHashMap<>();
      shadow.put("calls", report.calls());
      shadow.put("divergedCalls", report.divergedCalls());
      shadow.put("disagreements", report.disagreements());
      shadow.put("extraAttempts", report.extraAttempts());
      shadow.put("extraWaitMillis", report.extraWait().toMillis());
      shadow.put("estimated", Map.of("disagreements", report.estimatedDisagreements(),
          "extraAttempts", report.estimatedExtraAttempts(),
          "extraWaitMillis", report.estimatedExtraWait().toMillis()));
      out.put("shadow", shadow);
    }
    return out;
  }

  /** One setting's value, whether the application set it, and where. */
  /** Each line "key = value (set)" of a policy's describe(), as a structured setting. */
  private void readSettings(String described, String route, Map<String, Object> into,
      Map<String, StoicEnvironment.Value> keys) {
    for (String line : described.split("\n")) {
      int equals = line.indexOf(" = ");
      if (equals < 0) continue;
      String key = line.substring(0, equals);
      String value = line.substring(equals + 3);
      if (value.endsWith(SET_MARK)) value = value.substring(0, value.length() - SET_MARK.length());
      if (value.endsWith(DEFAULT_MARK)) {
        value = value.substring(0, value.length() - DEFAULT_MARK.length());
      }
      if (route != null && key.startsWith("retry-budget")) continue; // the client's, below
      into.put(key, setting(route, key, value, keys));
    }
  }

  private Map<String, Object> setting(String route, String setting, String value,
      Map<String, StoicEnvironment.Value> keys) {
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

  private Map<String, Object> budgets(RetryRoutes routes) {
    RetryBudget budget = routes.retryBudget();
    Map<String, Object> budgets = new LinkedHashMap<>();
    for (String host : hosts.hosts()) {
      budgets.put(host, Map.of("available", budget.isEnabled() ? budget.available(host) : "unlimited"));
    }
    return budgets;
  }
}
