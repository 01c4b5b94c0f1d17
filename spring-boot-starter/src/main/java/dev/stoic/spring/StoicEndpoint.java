package dev.stoic.spring;

import dev.stoic.RetryBudget;
import dev.stoic.RetryRoutes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code stoic} Actuator endpoint: the effective policies, one setting per line as {@link
 * RetryRoutes#describe()} prints them, and the retry budget left for each host called so far.
 *
 * <pre>{@code
 * management.endpoints.web.exposure.include = health,stoic
 * GET /actuator/stoic
 * }</pre>
 */
@Endpoint(id = "stoic")
public class StoicEndpoint {
  private final RetryRoutes routes;
  private final StoicHosts hosts;

  StoicEndpoint(RetryRoutes routes, StoicHosts hosts) {
    this.routes = routes;
    this.hosts = hosts;
  }

  /** The policies and budgets, as JSON. */
  @ReadOperation
  public Map<String, Object> stoic() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("policies", List.of(routes.describe().split("\n")));
    RetryBudget budget = routes.retryBudget();
    Map<String, Object> budgets = new LinkedHashMap<>();
    for (String host : hosts.hosts()) {
      double available = budget.available(host);
      budgets.put(host, budget.isEnabled() ? available : "unlimited");
    }
    out.put("budgets", budgets);
    return out;
  }
}
