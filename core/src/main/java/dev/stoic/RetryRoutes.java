package dev.stoic;

import dev.stoic.internal.PolicyText;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Which {@link RetryPolicy} a request follows, chosen by its host or path: the first route that
 * matches wins, and a request no route matches follows the {@code otherwise} policy.
 *
 * <pre>{@code
 * RetryRoutes routes = RetryRoutes.builder()
 *     .host("payments.example.com", payments)      // exact host, any case
 *     .pathPrefix("/upload/", RetryPolicy.noRetries())  // any host
 *     .otherwise(RetryPolicy.defaults())
 *     .build();
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .addInterceptor(StoicInterceptor.create(routes))
 *     .build();
 * }</pre>
 *
 * <p>A host route matches the request's host exactly, ignoring case (an IPv6 literal with or
 * without its brackets). A path prefix route matches every host whose request path, as sent
 * (percent-encoded), starts with the prefix; {@code "/upload"} also matches {@code "/uploads"},
 * so end a prefix with {@code "/"} to match a folder.
 *
 * <p><b>One budget per client.</b> Every route spends the {@link RetryBudget} of the {@code
 * otherwise} policy: a route's own budget is not used, so routing cannot be used to escape the
 * load limit. A route policy that {@linkplain RetryPolicy.Builder#retryBudget sets} a budget of
 * its own is refused; one derived from the {@code otherwise} policy with {@code toBuilder()}
 * shares it.
 *
 * <p><b>One set of watchers per client.</b> The {@code otherwise} policy's listeners and observers
 * hear of every call, whichever route's policy decides (a route's own are told as well), and so
 * do they for a policy tagged on a request or set on a client view: a route or a tag changes the
 * rules, not who watches. Throttles, the credential refresher and everything else come from the
 * policy that decides.
 *
 * <p>Immutable and thread-safe.
 */
public final class RetryRoutes {
  private final List<Route> routes;
  private final RetryPolicy otherwise;

  private RetryRoutes(List<Route> routes, RetryPolicy otherwise) {
    this.routes = List.copyOf(routes);
    this.otherwise = otherwise;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The policy of the first route matching {@code host} and {@code path}, or {@link #otherwise()}.
   *
   * @param host the request's host
   * @param path the request's path as sent (percent-encoded), or null if it has none
   */
  public RetryPolicy policyFor(String host, String path) {
    for (Route route : routes) {
      if (route.matches(host, path)) return route.policy;
    }
    return otherwise;
  }

  /** The routes, in the order they are tried. */
  public List<Route> routes() {
    return routes;
  }

  /** The policy of requests no route matches. */
  public RetryPolicy otherwise() {
    return otherwise;
  }

  /** True if some route matches by path, so a caller must supply the path. */
  public boolean routesByPath() {
    for (Route route : routes) {
      if (route.pathPrefix != null) return true;
    }
    return false;
  }

  /** The one budget every route and request of a client spends: the {@code otherwise} policy's. */
  public RetryBudget retryBudget() {
    return otherwise.retryBudget();
  }

  /**
   * The settings, one per line, with where each came from, as {@link RetryPolicy#describe()}
   * writes them: first {@code route-order}, then each route's match and the settings of its
   * policy that differ from the {@code otherwise} policy, under {@code routes.<name>.} (a comment
   * line counts the rest), then every setting of the {@code otherwise} policy without a prefix,
   * after a line {@code # otherwise: requests no route matches} when there are routes. The
   * budget appears once, at the end: it is the client's. A route's whole policy is {@code
   * route.policy().describe()}. Routes built in code are named by their
   * position (1, 2, ...); routes from {@link dev.stoic.config.StoicConfig} by their configured names.
   *
   * <pre>{@code
   * log.info("retry routes:\n" + routes.describe());
   * }</pre>
   */
  public String describe() {
    return PolicyText.get().describeRoutes(this);
  }

  @Override
  public String toString() {
    return "RetryRoutes{" + routes + ", otherwise=" + otherwise + "}";
  }

  /** One route: a host or a path prefix, and the policy of the requests it matches. Immutable. */
  public static final class Route {
    private final String name;
    private final String host;
    private final String pathPrefix;
    private final RetryPolicy policy;

    Route(String name, String host, String pathPrefix, RetryPolicy policy) {
      this.name = name;
      this.host = host;
      this.pathPrefix = pathPrefix;
      this.policy = policy;
    }

    /** The name describe() prints: its position from 1, or the name configured for it. */
    public String name() {
      return name;
    }

    /** The host it matches, in lower case without brackets; null for a path prefix route. */
    public String host() {
      return host;
    }

    /** The path prefix it matches; null for a host route. */
    public String pathPrefix() {
      return pathPrefix;
    }

    public RetryPolicy policy() {
      return policy;
    }

    /**
     * True if a request to {@code host} with {@code path} takes this route. Allocates nothing: it
     * runs for every call.
     */
    public boolean matches(String host, String path) {
      if (this.host != null) {
        if (host == null) return false;
        int start = 0;
        int end = host.length();
        if (end >= 2 && host.charAt(0) == '[' && host.charAt(end - 1) == ']') {
          start = 1;
          end--;
        }
        return end - start == this.host.length()
            && host.regionMatches(true, start, this.host, 0, this.host.length());
      }
      return path != null && path.startsWith(pathPrefix);
    }

    @Override
    public String toString() {
      return host != null ? "host " + host : "path prefix " + pathPrefix;
    }
  }

  /**
   * Builds {@link RetryRoutes}. Each method checks its argument at once and throws naming the
   * route. Not thread-safe.
   */
  public static final class Builder {
    private final List<Route> routes = new ArrayList<>();
    private RetryPolicy otherwise = RetryPolicy.defaults();

    Builder() {}

    /**
     * Routes requests to {@code host} (exact, case-insensitive) to {@code policy}.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code host} is empty, has a scheme, port, path or
     *     space, or is routed already
     */
    public Builder host(String host, RetryPolicy policy) {
      return host(Integer.toString(routes.size() + 1), host, policy);
    }

    /**
     * Routes requests whose path starts with {@code prefix}, on any host, to {@code policy}.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code prefix} does not start with "/", or an earlier
     *     prefix route already takes every path it would match
     */
    public Builder pathPrefix(String prefix, RetryPolicy policy) {
      return pathPrefix(Integer.toString(routes.size() + 1), prefix, policy);
    }

    /** The policy of requests no route matches; {@link RetryPolicy#defaults()} unless set. */
    public Builder otherwise(RetryPolicy policy) {
      this.otherwise = Objects.requireNonNull(policy, "policy == null");
      return this;
    }

    Builder host(String name, String host, RetryPolicy policy) {
      Objects.requireNonNull(host, "host == null");
      Objects.requireNonNull(policy, "policy == null");
      String normalized = normalizeHost(host);
      for (Route route : routes) {
        if (normalized.equals(route.host)) {
          throw new IllegalArgumentException("host \"" + host + "\" is routed already (route "
              + route.name + "); the first route that matches wins, so this one never would");
        }
      }
      routes.add(new Route(name, normalized, null, policy));
      return this;
    }

    Builder pathPrefix(String name, String prefix, RetryPolicy policy) {
      Objects.requireNonNull(prefix, "prefix == null");
      Objects.requireNonNull(policy, "policy == null");
      if (!prefix.startsWith("/")) {
        throw new IllegalArgumentException(
            "path prefix must start with \"/\": \"" + prefix + "\"");
      }
      for (int i = 0; i < prefix.length(); i++) {
        char c = prefix.charAt(i);
        if (c <= ' ' || c == '?' || c == '#' || c >= 0x7f) {
          throw new IllegalArgumentException("path prefix \"" + prefix + "\" has a character"
              + " a path as sent cannot hold (code " + (int) c + " at index " + i + ")");
        }
      }
      for (Route route : routes) {
        if (route.pathPrefix != null && prefix.startsWith(route.pathPrefix)) {
          throw new IllegalArgumentException("path prefix \"" + prefix + "\" is taken by route "
              + route.name + " (\"" + route.pathPrefix + "\") before it, so it never matches");
        }
      }
      routes.add(new Route(name, null, prefix, policy));
      return this;
    }

    /**
     * Returns the routes.
     *
     * @throws IllegalArgumentException if a route's policy sets a retry budget other than the
     *     {@code otherwise} policy's: one budget serves every route
     */
    public RetryRoutes build() {
      for (Route route : routes) {
        RetryPolicy p = route.policy;
        if (p.isSet("retry-budget") && p.retryBudget() != otherwise.retryBudget()) {
          throw new IllegalArgumentException("route " + route.name + " (" + route + ") sets a"
              + " retry budget of its own, but one budget serves every route of a client, so"
              + " that routing cannot escape it: set the budget on the otherwise policy");
        }
      }
      return new RetryRoutes(routes, otherwise);
    }

    private static String normalizeHost(String host) {
      String h = host;
      if (h.isBlank()) throw new IllegalArgumentException("host is empty: \"" + host + "\"");
      if (h.length() >= 2 && h.charAt(0) == '[' && h.charAt(h.length() - 1) == ']') {
        h = h.substring(1, h.length() - 1); // an IPv6 literal, as OkHttp reports it
        if (h.isEmpty()) throw new IllegalArgumentException("host is empty: \"" + host + "\"");
      } else if (h.indexOf(':') >= 0) {
        throw new IllegalArgumentException("host must be a host name alone, without scheme or"
            + " port (an IPv6 literal goes in brackets): \"" + host + "\"");
      }
      for (int i = 0; i < h.length(); i++) {
        char c = h.charAt(i);
        if (c <= ' ' || c >= 0x7f || "/?#@[]\\".indexOf(c) >= 0) {
          throw new IllegalArgumentException("host must be a host name alone, without scheme,"
              + " path or spaces: \"" + host + "\"");
        }
      }
      return h.toLowerCase(Locale.ROOT);
    }
  }
}
