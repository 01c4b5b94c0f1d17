package dev.stoic.config;

import dev.stoic.*;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.http.Retryability;
import dev.stoic.testing.RecordingListener;
import dev.stoic.testing.VirtualClock;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

/** describe(): every setting, one per line, with its source, in the keys of the config schema. */
class DescribeTest {
  static final String SECRET = "Bearer s3cr3t-t0ken";

  /** A policy with every setting that text can hold changed, and some code. */
  static RetryPolicy everything() {
    return RetryPolicy.builder()
        .maxAttempts(3)
        .backoff(Backoff.exponential(Duration.ofMillis(250), Duration.ofSeconds(10))
            .factor(1.5).decorrelatedJitter())
        .maxRetryAfter(Duration.ofMinutes(5))
        .deadline(Duration.ofSeconds(30))
        .attemptTimeout(Duration.ofMillis(2500))
        .retryOnStatus(423, 409)
        .neverRetryStatus(500)
        .statusRule(Retryability.ALWAYS, 420)
        .statusRule(Retryability.WITH_KEY, 418)
        .retryOnException(SocketException.class)
        .neverRetryOnException(SSLException.class)
        .idempotencyKey(IdempotencyKey.header("X-Request-Id").autoGenerate().plain())
        .secretHeaders("X-Api-Key")
        .secretQueryParameters("session")
        .throwOnFailureStatus(true)
        .retryBudget(RetryBudget.shared(50, 1, 0.2))
        .credentialRefresher(() -> SECRET)
        .listener(new RecordingListener())
        .listener(event -> { })
        .clock(new VirtualClock())
        .hedging(Hedging.atPercentile(0.95).maxHedges(2))
        .build();
  }

  @Test
  void theDefaultsDescribeThemselvesAsDefaults() {
    assertEquals("""
        max-attempts = 5 (default)
        backoff.base = 1s (default)
        backoff.cap = 30s (default)
        backoff.factor = 2 (default)
        backoff.jitter = equal (default)
        max-retry-after = 60s (default)
        deadline = none (default)
        attempt-timeout = none (default)
        retry-on-status = none (default)
        never-retry-status = none (default)
        status-classifier = none (default)
        retry-on-exception = none (default)
        never-retry-on-exception = none (default)
        idempotency-key.header = Idempotency-Key (default)
        idempotency-key.auto-generate = false (default)
        idempotency-key.format = plain (default)
        idempotency-key.generator = uuid (default)
        secret-headers = authorization, cookie, proxy-authorization, set-cookie (default)
        secret-query-parameters = access_token, api_key, apikey, client_secret, key, password, \
        secret, sig, signature, token (default)
        throw-on-failure-status = false (default)
        retry-budget = per-host (default)
        retry-budget.capacity = 20 (default)
        retry-budget.cost-per-retry = 1 (default)
        retry-budget.refill-per-success = 0.1 (default)
        throttle = none (default)
        credential-refresher = none (default)
        listeners = none (default)
        observers = none (default)
        clock = system (default)
        random = thread-local-random (default)
        delay-hint-headers = retry-after-ms, x-ms-retry-after-ms (default)
        should-retry-headers = x-should-retry, Stripe-Should-Retry (default)
        attempt-count-header = none (default)
        hedging = none (default)
        """, RetryPolicy.defaults().describe());
  }

  @Test
  void golden() {
    assertEquals("""
        max-attempts = 3 (set)
        backoff.base = 250ms (set)
        backoff.cap = 10s (set)
        backoff.factor = 1.5 (set)
        backoff.jitter = decorrelated (set)
        max-retry-after = 300s (set)
        deadline = 30s (set)
        attempt-timeout = 2500ms (set)
        retry-on-status = 409, 423 (set)
        never-retry-status = 500 (set)
        status.418 = with-key (set)
        status.420 = always (set)
        status-classifier = none (default)
        retry-on-exception = java.net.SocketException (set)
        never-retry-on-exception = javax.net.ssl.SSLException (set)
        idempotency-key.header = X-Request-Id (set)
        idempotency-key.auto-generate = true (set)
        idempotency-key.format = plain (set)
        idempotency-key.generator = uuid (set)
        secret-headers = authorization, cookie, proxy-authorization, set-cookie, x-api-key (set)
        secret-query-parameters = access_token, api_key, apikey, client_secret, key, password, \
        secret, session, sig, signature, token (set)
        throw-on-failure-status = true (set)
        retry-budget = shared (set)
        retry-budget.capacity = 50 (set)
        retry-budget.cost-per-retry = 1 (set)
        retry-budget.refill-per-success = 0.2 (set)
        throttle = none (default)
        credential-refresher = lambda (set)
        listeners = dev.stoic.testing.RecordingListener, lambda (set)
        observers = none (default)
        clock = dev.stoic.testing.VirtualClock (set)
        random = thread-local-random (default)
        delay-hint-headers = retry-after-ms, x-ms-retry-after-ms (default)
        should-retry-headers = x-should-retry, Stripe-Should-Retry (default)
        attempt-count-header = none (default)
        hedging = p95 (100ms warm-up), max 2 (set)
        """, everything().describe());
  }

  @Test
  void routesDescribeTheirOrderTheirMatchesEachPolicyAndTheBudgetOnce() {
    RetryPolicy base = RetryPolicy.builder().maxAttempts(4).build();
    RetryRoutes routes = RetryRoutes.builder()
        .host("Payments.Example.com", base.toBuilder().maxRetryAfter(Duration.ofMinutes(2))
            .idempotencyKey(IdempotencyKey.defaults().autoGenerate()).build())
        .pathPrefix("/upload/", RetryPolicy.noRetries())
        .otherwise(base)
        .build();
    String described = routes.describe();
    List<String> lines = described.lines().toList();
    int perPolicy = RetryPolicy.defaults().describe().lines().toList().size();
    // A route shows its match and what differs from otherwise, then counts the rest (issue 32:
    // two routes printed 134 lines, each repeating every setting).
    assertEquals(List.of(
        "route-order = 1, 2 (set)",
        "routes.1.host = payments.example.com (set)",
        "routes.1.max-retry-after = 120s (set)",
        "routes.1.idempotency-key.auto-generate = true (set)",
        "# routes.1: " + (perPolicy - 4 - 2) + " more settings as otherwise",
        "routes.2.path-prefix = /upload/ (set)",
        "routes.2.max-attempts = 1 (set)",
        "# routes.2: " + (perPolicy - 4 - 1) + " more settings as otherwise"),
        lines.subList(0, 8), described);
    assertFalse(described.contains("routes.1.retry-budget"), "the budget is the client's");
    assertFalse(described.contains("routes.2.retry-budget"), "the budget is the client's");
    assertTrue(routes.routes().get(1).policy().describe().contains("backoff.base = 1s (default)"),
        "a route's whole policy is its own describe()");
    // The otherwise policy last, without a prefix: exactly its own description.
    String otherwise = String.join("\n", lines.subList(lines.size() - perPolicy, lines.size()));
    assertEquals(base.describe(), otherwise + "\n");
    assertEquals("# otherwise: requests no route matches", lines.get(lines.size() - perPolicy - 1));
    assertEquals("route-order = none (default)\n" + base.describe(),
        RetryRoutes.builder().otherwise(base).build().describe());
  }

  @Test
  void theOtherwiseBlockOfRoutesDescribeWasUnlabelled() {
    // Regression (issue 32): after the routes' prefixed lines, the otherwise policy's lines
    // followed with nothing to say whose they were.
    String described = RetryRoutes.builder()
        .host("a.example", RetryPolicy.noRetries())
        .otherwise(RetryPolicy.defaults())
        .build().describe();
    assertTrue(described.contains("routes.1.max-attempts = 1 (set)\n"), described);
    assertTrue(described.contains(
        "\n# otherwise: requests no route matches\nmax-attempts = 5 (default)\n"), described);
  }

  @Test
  void describeNamesSecretHeadersButHoldsNoCredential() throws IOException {
    String described = everything().describe();
    assertFalse(described.contains(SECRET), described);
    assertFalse(described.contains("s3cr3t"), described);
    assertTrue(described.contains("x-api-key"), "the secret header's name, not a value");
  }

  @Test
  void anUnlimitedBudgetHasNoNumbers() {
    String described = RetryPolicy.builder().retryBudget(RetryBudget.unlimited()).build()
        .describe();
    assertTrue(described.contains("\nretry-budget = unlimited (set)\nthrottle = none (default)\n"),
        described);
  }

  @Test
  void noRetriesIsOneAttemptAndEverythingElseTheDefaults() {
    RetryPolicy none = RetryPolicy.noRetries();
    assertEquals(1, none.maxAttempts());
    assertEquals(RetryPolicy.defaults().describe()
            .replace("max-attempts = 5 (default)", "max-attempts = 1 (set)"),
        none.describe());
  }

  @Test
  void aDerivedPolicyKeepsTheSourcesOfItsOrigin() {
    RetryPolicy derived = RetryPolicy.builder().maxAttempts(3).build().toBuilder()
        .deadline(Duration.ofSeconds(5)).build();
    assertTrue(derived.describe().contains("max-attempts = 3 (set)\n"));
    assertTrue(derived.describe().contains("deadline = 5s (set)\n"));
    assertTrue(derived.describe().contains("backoff.base = 1s (default)\n"));
    assertTrue(RetryPolicy.builder().maxAttempts(5).build().describe()
        .contains("max-attempts = 5 (set)\n"), "set to the default value is still set");
  }

  /**
   * Each public builder method, applied to the defaults, changes describe(): at least one line,
   * and every changed line says (set). A new builder method fails here until describe() shows it.
   */
  @Test
  void everyBuilderMethodShowsInDescribeAsSet() {
    Map<String, UnaryOperator<RetryPolicy.Builder>> calls = new LinkedHashMap<>();
    calls.put("maxAttempts", b -> b.maxAttempts(5));
    calls.put("backoff", b -> b.backoff(Backoff.none()));
    calls.put("maxRetryAfter", b -> b.maxRetryAfter(Duration.ofSeconds(1)));
    calls.put("deadline", b -> b.deadline(Duration.ofSeconds(1)));
    calls.put("noDeadline", RetryPolicy.Builder::noDeadline);
    calls.put("attemptTimeout", b -> b.attemptTimeout(Duration.ofSeconds(1)));
    calls.put("retryOnStatus", b -> b.retryOnStatus(409));
    calls.put("neverRetryStatus", b -> b.neverRetryStatus(503));
    calls.put("statusRule", b -> b.statusRule(Retryability.WITH_RETRY_AFTER, 503));
    calls.put("statusClassifier", b -> b.statusClassifier(code -> null));
    calls.put("retryOnException", b -> b.retryOnException(IOException.class));
    calls.put("neverRetryOnException", b -> b.neverRetryOnException(IOException.class));
    calls.put("idempotencyKey", b -> b.idempotencyKey(IdempotencyKey.defaults()));
    calls.put("listener", b -> b.listener(event -> { }));
    calls.put("observer", b -> b.observer(call -> CallObserver.NONE));
    calls.put("secretHeaders", b -> b.secretHeaders("X-Token"));
    calls.put("secretQueryParameters", b -> b.secretQueryParameters("sid"));
    calls.put("clock", b -> b.clock(new VirtualClock()));
    calls.put("random", b -> b.random(() -> 0.5));
    calls.put("credentialRefresher", b -> b.credentialRefresher(() -> "x"));
    calls.put("throwOnFailureStatus", b -> b.throwOnFailureStatus(false));
    calls.put("retryBudget", b -> b.retryBudget(RetryBudget.perHost()));
    calls.put("throttle", b -> b.throttle(host -> 0));
    calls.put("delayHintHeaders", b -> b.delayHintHeaders("retry-after-ms"));
    calls.put("shouldRetryHeaders", b -> b.shouldRetryHeaders("x-should-retry"));
    calls.put("attemptCountHeader", b -> b.attemptCountHeader("X-Stainless-Retry-Count", 0));
    calls.put("hedging", b -> b.hedging(Hedging.after(Duration.ofMillis(200))));
    calls.put("noHedging", b -> b.noHedging());

    Set<String> methods = new TreeSet<>();
    for (Method method : RetryPolicy.Builder.class.getMethods()) {
      if (method.getDeclaringClass() != Object.class && !method.getName().equals("build")) {
        methods.add(method.getName());
      }
    }
    assertEquals(methods, new TreeSet<>(calls.keySet()), "builder methods");

    List<String> defaults = RetryPolicy.builder().build().describe().lines().toList();
    for (Map.Entry<String, UnaryOperator<RetryPolicy.Builder>> call : calls.entrySet()) {
      List<String> after = call.getValue().apply(RetryPolicy.builder()).build().describe()
          .lines().toList();
      List<String> changed = new ArrayList<>(after);
      changed.removeAll(defaults);
      assertFalse(changed.isEmpty(), call.getKey() + " does not show in describe()");
      for (String line : changed) {
        assertTrue(line.endsWith(" (set)"), call.getKey() + ": " + line);
      }
    }
  }

  /** The lines describe() prints for settings text can hold read back into the same policy. */
  @Test
  void whatDescribePrintsConfigurationReadsBack() {
    RetryPolicy original = everything();
    Map<String, String> source = new LinkedHashMap<>();
    for (String line : original.describe().lines().toList()) {
      String key = line.substring(0, line.indexOf(" = "));
      String value = line.substring(line.indexOf(" = ") + 3, line.lastIndexOf(" ("));
      Setting setting = ConfigKeys.setting(key);
      if (setting == null || setting.configurable()) source.put("stoic." + key, value);
    }
    RetryPolicy read = StoicConfig.from(source).policy();
    assertEquals(configurableLines(original), configurableLines(read));
  }

  private static List<String> configurableLines(RetryPolicy p) {
    List<String> lines = new ArrayList<>();
    for (String line : p.describe().lines().toList()) {
      Setting setting = ConfigKeys.setting(line.substring(0, line.indexOf(" = ")));
      if (setting == null || setting.configurable()) lines.add(line.replace(" (default)", " (set)"));
    }
    return lines;
  }
}
