package dev.stoic.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.stoic.Backoff;
import dev.stoic.Hedging;
import dev.stoic.IdempotencyKey;
import dev.stoic.Redaction;
import dev.stoic.RetryBudget;
import dev.stoic.RetryPolicy;
import dev.stoic.RetryRoutes;
import dev.stoic.config.StoicConfig;
import dev.stoic.http.Retryability;
import dev.stoic.jdk.StoicBodyPublishers;
import dev.stoic.jdk.StoicHttpClient;
import dev.stoic.okhttp.StoicCallFactory;
import dev.stoic.okhttp.StoicInterceptor;
import dev.stoic.reliability.testing.Clients;
import dev.stoic.reliability.testing.Lane;
import dev.stoic.reliability.testing.Outcome;
import dev.stoic.reliability.testing.Report;
import dev.stoic.reliability.testing.Req;
import dev.stoic.reliability.testing.Server;
import dev.stoic.reliability.testing.WarmUp;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * Every builder and factory method of the public API given null, negative, zero and absurd
 * values: each is refused at once, when configured, with a NullPointerException,
 * IllegalArgumentException or IllegalStateException whose message names the setting. And the
 * other side of that promise: the extreme values that are accepted (zero waits, one attempt, a
 * deadline of one nanosecond, a day-long backoff, jitter draws out of range...) never fail later,
 * at call time: a call through every lane ends in a response or an IOException.
 */
@Timeout(120)
class BuilderValidationTest {
  static final Duration TWO_DAYS = Duration.ofDays(2);
  static final Duration HUGE = Duration.ofSeconds(Long.MAX_VALUE);
  static final Duration MINUS = Duration.ofNanos(-1);
  static final Class<NullPointerException> NPE = NullPointerException.class;
  static final Class<IllegalArgumentException> IAE = IllegalArgumentException.class;
  static final Class<IllegalStateException> ISE = IllegalStateException.class;

  /** One bad configuration and what it must throw. */
  record Case(String setting, String value, Class<? extends RuntimeException> type,
      String namedIn, Executable configure) {}

  static final List<Case> CASES = new ArrayList<>();

  static void refuse(String setting, String value, Class<? extends RuntimeException> type,
      String named, Executable configure) {
    CASES.add(new Case(setting, value, type, named, configure));
  }

  static RetryPolicy.Builder b() {
    return RetryPolicy.builder();
  }

  /** For calls: waits of a millisecond unless the extreme sets its own backoff. */
  static RetryPolicy.Builder e() {
    return RetryPolicy.builder().backoff(Backoff.fixed(Duration.ofMillis(1)));
  }

  static {
    // RetryPolicy.Builder
    for (int n : new int[] {0, -1, 101, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
      refuse("maxAttempts", "" + n, IAE, "maxAttempts", () -> b().maxAttempts(n));
    }
    refuse("backoff", "null", NPE, "backoff", () -> b().backoff(null));
    durations("maxRetryAfter", false, d -> b().maxRetryAfter(d));
    durations("deadline", true, d -> b().deadline(d));
    durations("attemptTimeout", true, d -> b().attemptTimeout(d));
    refuse("build", "attemptTimeout > deadline", ISE, "attemptTimeout",
        () -> b().deadline(Duration.ofSeconds(1)).attemptTimeout(Duration.ofSeconds(2)).build());
    refuse("build", "deadline < attemptTimeout", ISE, "deadline",
        () -> b().attemptTimeout(Duration.ofSeconds(2)).deadline(Duration.ofSeconds(1)).build());
    for (int code : new int[] {99, 600, 0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
      refuse("retryOnStatus", "" + code, IAE, "status code", () -> b().retryOnStatus(code));
      refuse("neverRetryStatus", "" + code, IAE, "status code", () -> b().neverRetryStatus(code));
      refuse("statusRule", "" + code, IAE, "status code",
          () -> b().statusRule(Retryability.WHEN_SAFE, 500, code));
    }
    // 1xx, 2xx and 3xx are returned before any rule is read: a retrying rule for one is a mistake.
    for (int code : new int[] {100, 200, 204, 301, 304, 399}) {
      refuse("retryOnStatus", "" + code, IAE, "status " + code, () -> b().retryOnStatus(code));
      refuse("statusRule", "ALWAYS " + code, IAE, "status " + code,
          () -> b().statusRule(Retryability.ALWAYS, 503, code));
    }
    refuse("retryOnStatus", "null", NPE, "codes", () -> b().retryOnStatus((int[]) null));
    refuse("neverRetryStatus", "null", NPE, "codes", () -> b().neverRetryStatus((int[]) null));
    refuse("statusRule", "null rule", NPE, "retryability", () -> b().statusRule(null, 500));
    refuse("statusRule", "null codes", NPE, "codes",
        () -> b().statusRule(Retryability.NEVER, (int[]) null));
    refuse("statusClassifier", "null", NPE, "classifier", () -> b().statusClassifier(null));
    // The classifier runs for every code when the policy is built, so a broken one fails the
    // build, not a call; by design its own exception comes through unchanged (RetryPolicyTest).
    refuse("statusClassifier", "one that throws", UnsupportedOperationException.class,
        "no table for 100", () -> b().statusClassifier(code -> {
          throw new UnsupportedOperationException("no table for " + code);
        }).build());
    refuse("retryOnException", "null", NPE, "types", () -> b().retryOnException(nullTypes()));
    refuse("retryOnException", "[null]", NPE, "exception type",
        () -> b().retryOnException(typesWithNull()));
    refuse("neverRetryOnException", "null", NPE, "types",
        () -> b().neverRetryOnException(nullTypes()));
    refuse("neverRetryOnException", "[null]", NPE, "exception type",
        () -> b().neverRetryOnException(typesWithNull()));
    // Only IOExceptions reach the rules: a type that can never be one would be silently ignored.
    refuse("retryOnException", "RuntimeException", IAE, "retryOnException",
        () -> b().retryOnException(RuntimeException.class));
    refuse("retryOnException", "Error", IAE, "retryOnException",
        () -> b().retryOnException(IOException.class, Error.class));
    refuse("neverRetryOnException", "IllegalStateException", IAE, "neverRetryOnException",
        () -> b().neverRetryOnException(IllegalStateException.class));
    refuse("idempotencyKey", "null", NPE, "idempotencyKey", () -> b().idempotencyKey(null));
    refuse("listener", "null", NPE, "listener", () -> b().listener(null));
    refuse("observer", "null", NPE, "observer", () -> b().observer(null));
    refuse("secretHeaders", "null", NPE, "names", () -> b().secretHeaders((String[]) null));
    refuse("secretHeaders", "[null]", NPE, "header name", () -> b().secretHeaders("a", null));
    refuse("secretHeaders", "\"\"", IAE, "header name", () -> b().secretHeaders(""));
    refuse("secretHeaders", "\" \\t\"", IAE, "header name", () -> b().secretHeaders(" \t"));
    refuse("secretQueryParameters", "null", NPE, "names",
        () -> b().secretQueryParameters((String[]) null));
    refuse("secretQueryParameters", "[null]", NPE, "query parameter",
        () -> b().secretQueryParameters((String) null));
    refuse("secretQueryParameters", "\"\"", IAE, "query parameter",
        () -> b().secretQueryParameters(""));
    refuse("clock", "null", NPE, "clock", () -> b().clock(null));
    refuse("random", "null", NPE, "random", () -> b().random(null));
    refuse("credentialRefresher", "null", NPE, "refresher", () -> b().credentialRefresher(null));
    refuse("retryBudget", "null", NPE, "retryBudget", () -> b().retryBudget(null));
    refuse("throttle", "null", NPE, "throttle", () -> b().throttle(null));

    // Backoff
    durations("Backoff.fixed", false, Backoff::fixed, "delay");
    refuse("Backoff.exponential", "null base", NPE, "base",
        () -> Backoff.exponential(null, Duration.ofSeconds(1)));
    refuse("Backoff.exponential", "null cap", NPE, "cap",
        () -> Backoff.exponential(Duration.ofSeconds(1), null));
    for (Duration base : List.of(Duration.ZERO, MINUS, TWO_DAYS, HUGE)) {
      refuse("Backoff.exponential", "base " + base, IAE, "base",
          () -> Backoff.exponential(base, Duration.ofDays(1)));
    }
    for (Duration cap : List.of(Duration.ofMillis(999), MINUS, TWO_DAYS, HUGE)) {
      refuse("Backoff.exponential", "cap " + cap, IAE, "cap",
          () -> Backoff.exponential(Duration.ofSeconds(1), cap));
    }
    for (double factor : new double[] {Double.NaN, 0, -1, 0.999, 100.001,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      refuse("Backoff.factor", "" + factor, IAE, "factor", () -> Backoff.defaults().factor(factor));
    }
    refuse("Backoff.jitter", "null", NPE, "jitter", () -> Backoff.defaults().jitter(null));

    // IdempotencyKey
    refuse("IdempotencyKey.header", "null", NPE, "name", () -> IdempotencyKey.header(null));
    for (String name : new String[] {"", " ", "Idempotency Key", "Key\r\nX: y", "Schlüssel",
        "(key)", "key:"}) {
      refuse("IdempotencyKey.header", '"' + name + '"', IAE, "header name",
          () -> IdempotencyKey.header(name));
    }
    refuse("IdempotencyKey.autoGenerate", "null generator", NPE, "generator",
        () -> IdempotencyKey.defaults().autoGenerate(null));
    refuse("IdempotencyKey.none().autoGenerate", "", ISE, "none()",
        () -> IdempotencyKey.none().autoGenerate());
    refuse("IdempotencyKey.none().autoGenerate", "generator", ISE, "none()",
        () -> IdempotencyKey.none().autoGenerate(() -> "k"));
    refuse("IdempotencyKey.none().plain", "", ISE, "none()", () -> IdempotencyKey.none().plain());
    refuse("IdempotencyKey.none().structured", "", ISE, "none()",
        () -> IdempotencyKey.none().structured());

    // RetryBudget
    for (String kind : new String[] {"perHost", "shared"}) {
      for (double capacity : new double[] {0, 0.999, -1, 1_000_001, Double.NaN,
          Double.POSITIVE_INFINITY}) {
        refuse("RetryBudget." + kind, "capacity " + capacity, IAE, "capacity",
            () -> budget(kind, capacity, 1, 0.1));
      }
      for (double cost : new double[] {0, -1, 20.001, Double.NaN, Double.POSITIVE_INFINITY,
          0.0001, Double.MIN_VALUE}) {
        refuse("RetryBudget." + kind, "costPerRetry " + cost, IAE, "costPerRetry",
            () -> budget(kind, 20, cost, 0.1));
      }
      for (double refill : new double[] {-0.1, 20.001, Double.NaN, Double.POSITIVE_INFINITY,
          0.0004, Double.MIN_VALUE}) {
        refuse("RetryBudget." + kind, "refillPerSuccess " + refill, IAE, "refillPerSuccess",
            () -> budget(kind, 20, 1, refill));
      }
    }

    for (double perSecond : new double[] {-1, -0.001, 1_000_001, Double.NaN,
        Double.POSITIVE_INFINITY}) {
      refuse("RetryBudget.minRetriesPerSecond", "" + perSecond, IAE, "minRetriesPerSecond",
          () -> RetryBudget.perHost().minRetriesPerSecond(perSecond));
    }
    refuse("RetryBudget.minRetriesPerSecond", "on unlimited()", ISE, "minRetriesPerSecond",
        () -> RetryBudget.unlimited().minRetriesPerSecond(1));

    // Server hints and the attempt-count header
    refuse("delayHintHeaders", "null", NPE, "delayHintHeaders",
        () -> b().delayHintHeaders((String[]) null));
    refuse("delayHintHeaders", "[null]", NPE, "delayHintHeaders",
        () -> b().delayHintHeaders("retry-after-ms", null));
    for (String bad : new String[] {"", "retry after", "ms:", "Retry-After", "retry-after"}) {
      refuse("delayHintHeaders", "\"" + bad + "\"", IAE, "delayHintHeaders",
          () -> b().delayHintHeaders(bad));
    }
    refuse("shouldRetryHeaders", "null", NPE, "shouldRetryHeaders",
        () -> b().shouldRetryHeaders((String[]) null));
    refuse("shouldRetryHeaders", "[null]", NPE, "shouldRetryHeaders",
        () -> b().shouldRetryHeaders((String) null));
    for (String bad : new String[] {"", "x should retry", "x-should-retry\r\n"}) {
      refuse("shouldRetryHeaders", "\"" + bad + "\"", IAE, "shouldRetryHeaders",
          () -> b().shouldRetryHeaders(bad));
    }
    refuse("attemptCountHeader", "null", NPE, "attemptCountHeader",
        () -> b().attemptCountHeader(null, 1));
    refuse("attemptCountHeader", "\"\"", IAE, "attemptCountHeader",
        () -> b().attemptCountHeader("", 1));
    refuse("attemptCountHeader", "\"x count\"", IAE, "attemptCountHeader",
        () -> b().attemptCountHeader("x count", 1));
    for (int first : new int[] {-1, 2, Integer.MAX_VALUE}) {
      refuse("attemptCountHeader", "first " + first, IAE, "attemptCountHeader",
          () -> b().attemptCountHeader("x-envoy-attempt-count", first));
    }
    refuse("hedging", "null", NPE, "hedging", () -> b().hedging(null));

    // Hedging
    refuse("Hedging.after", "null", NPE, "hedging.delay", () -> Hedging.after(null));
    refuse("Hedging.after", "-1ms", IAE, "hedging.delay",
        () -> Hedging.after(Duration.ofMillis(-1)));
    refuse("Hedging.after", "2d", IAE, "hedging.delay", () -> Hedging.after(Duration.ofDays(2)));
    for (double p : new double[] {0, 1, -0.5, 1.5, Double.NaN}) {
      refuse("Hedging.atPercentile", String.valueOf(p), IAE, "hedging.percentile",
          () -> Hedging.atPercentile(p));
    }
    for (int n : new int[] {0, -1, 11}) {
      refuse("Hedging.maxHedges", String.valueOf(n), IAE, "hedging.maxHedges",
          () -> Hedging.after(Duration.ZERO).maxHedges(n));
    }
    refuse("Hedging.warmUpDelay", "-1ms", IAE, "hedging.warmUpDelay",
        () -> Hedging.atPercentile(0.95).warmUpDelay(Duration.ofMillis(-1)));
    refuse("Hedging.warmUpDelay", "on a fixed delay", ISE, "hedging.warmUpDelay",
        () -> Hedging.after(Duration.ZERO).warmUpDelay(Duration.ofMillis(1)));

    // Redaction
    refuse("Redaction.withSecretHeaders", "null", NPE, "header names",
        () -> Redaction.defaults().withSecretHeaders(null));
    refuse("Redaction.withSecretHeaders", "[null]", NPE, "header name",
        () -> Redaction.defaults().withSecretHeaders(Collections.singletonList(null)));
    refuse("Redaction.withSecretHeaders", "[\"\"]", IAE, "header name",
        () -> Redaction.defaults().withSecretHeaders(List.of("")));
    refuse("Redaction.withSecretQueryParameters", "null", NPE, "query parameters",
        () -> Redaction.defaults().withSecretQueryParameters(null));
    refuse("Redaction.withSecretQueryParameters", "[null]", NPE, "query parameter",
        () -> Redaction.defaults().withSecretQueryParameters(Collections.singletonList(null)));
    refuse("Redaction.withSecretQueryParameters", "[\" \"]", IAE, "query parameter",
        () -> Redaction.defaults().withSecretQueryParameters(List.of(" ")));

    // The adapters
    RetryPolicy policy = RetryPolicy.defaults();
    OkHttpClient ok = new OkHttpClient();
    HttpClient jdk = HttpClient.newHttpClient();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:9/")).build();
    refuse("StoicInterceptor.create", "null policy", NPE, "policy",
        () -> StoicInterceptor.create((RetryPolicy) null));
    refuse("StoicCallFactory.wrap", "null client", NPE, "client",
        () -> StoicCallFactory.wrap(null, policy));
    refuse("StoicCallFactory.wrap", "null policy", NPE, "policy",
        () -> StoicCallFactory.wrap(ok, (RetryPolicy) null));
    refuse("StoicInterceptor.create", "null routes", NPE, "routes",
        () -> StoicInterceptor.create((RetryRoutes) null));
    refuse("StoicCallFactory.wrap", "null routes", NPE, "routes",
        () -> StoicCallFactory.wrap(ok, (RetryRoutes) null));
    refuse("StoicCallFactory.wrap", "a client with a network StoicInterceptor", IAE,
        "StoicInterceptor", () -> StoicCallFactory.wrap(ok.newBuilder()
            .addNetworkInterceptor(StoicInterceptor.create(policy)).build(), policy));
    refuse("StoicCallFactory.newCall", "null request", NPE, "request",
        () -> StoicCallFactory.wrap(ok, policy).newCall(null));
    refuse("StoicHttpClient.wrap", "null client", NPE, "client",
        () -> StoicHttpClient.wrap(null, policy));
    refuse("StoicHttpClient.wrap", "null policy", NPE, "policy",
        () -> StoicHttpClient.wrap(jdk, (RetryPolicy) null));
    refuse("StoicHttpClient.wrap", "null routes", NPE, "routes",
        () -> StoicHttpClient.wrap(jdk, (RetryRoutes) null));
    refuse("StoicHttpClient.withPolicy", "null", NPE, "policy",
        () -> StoicHttpClient.wrap(jdk, policy).withPolicy(null));
    refuse("StoicHttpClient.send", "null request", NPE, "request",
        () -> StoicHttpClient.wrap(jdk, policy).send(null, HttpResponse.BodyHandlers.discarding()));
    refuse("StoicHttpClient.send", "null handler", NPE, "handler",
        () -> StoicHttpClient.wrap(jdk, policy).send(request, null));
    refuse("StoicHttpClient.sendAsync", "null request", NPE, "request",
        () -> StoicHttpClient.wrap(jdk, policy).sendAsync(null, HttpResponse.BodyHandlers.discarding()));
    refuse("StoicHttpClient.sendAsync", "null handler", NPE, "handler",
        () -> StoicHttpClient.wrap(jdk, policy).sendAsync(request, null));
    refuse("StoicHttpClient.awaitTermination", "null", NPE, "duration",
        () -> StoicHttpClient.wrap(jdk, policy).awaitTermination(null));
    refuse("StoicBodyPublishers.oneShot", "null", NPE, "body",
        () -> StoicBodyPublishers.oneShot(null));

    // Routes and configuration
    refuse("RetryRoutes.host", "null host", NPE, "host",
        () -> RetryRoutes.builder().host(null, policy));
    refuse("RetryRoutes.host", "\"\"", IAE, "host", () -> RetryRoutes.builder().host("", policy));
    refuse("RetryRoutes.host", "\" \"", IAE, "host", () -> RetryRoutes.builder().host(" ", policy));
    refuse("RetryRoutes.host", "with a port", IAE, "host",
        () -> RetryRoutes.builder().host("api.example.com:443", policy));
    refuse("RetryRoutes.host", "with a scheme", IAE, "host",
        () -> RetryRoutes.builder().host("https://api.example.com", policy));
    refuse("RetryRoutes.host", "null policy", NPE, "policy",
        () -> RetryRoutes.builder().host("api.example.com", null));
    refuse("RetryRoutes.host", "twice", IAE, "routed already",
        () -> RetryRoutes.builder().host("a.example", policy).host("A.example", policy));
    refuse("RetryRoutes.pathPrefix", "null prefix", NPE, "prefix",
        () -> RetryRoutes.builder().pathPrefix(null, policy));
    refuse("RetryRoutes.pathPrefix", "without a leading /", IAE, "path prefix",
        () -> RetryRoutes.builder().pathPrefix("upload/", policy));
    refuse("RetryRoutes.pathPrefix", "\"\"", IAE, "path prefix",
        () -> RetryRoutes.builder().pathPrefix("", policy));
    refuse("RetryRoutes.pathPrefix", "shadowed by an earlier prefix", IAE, "path prefix",
        () -> RetryRoutes.builder().pathPrefix("/a/", policy).pathPrefix("/a/b/", policy));
    refuse("RetryRoutes.pathPrefix", "null policy", NPE, "policy",
        () -> RetryRoutes.builder().pathPrefix("/upload/", null));
    refuse("RetryRoutes.otherwise", "null", NPE, "policy",
        () -> RetryRoutes.builder().otherwise(null));
    refuse("RetryRoutes.build", "a route with a budget of its own", IAE, "retry budget",
        () -> RetryRoutes.builder().host("a.example",
            RetryPolicy.builder().retryBudget(RetryBudget.unlimited()).build()).build());
    refuse("StoicConfig.from", "null map", NPE, "source",
        () -> StoicConfig.from((Map<String, String>) null));
    refuse("StoicConfig.from", "null properties", NPE, "source",
        () -> StoicConfig.from((java.util.Properties) null));
    refuse("StoicConfig.from", "an unknown key", IAE, "stoic.max-attempt",
        () -> StoicConfig.from(Map.of("stoic.max-attempt", "3")));
    refuse("StoicConfig.keyOf", "null variable", NPE, "variable",
        () -> StoicConfig.keyOf(null, "STOIC"));
    refuse("StoicConfig.keyOf", "null prefix", NPE, "prefix",
        () -> StoicConfig.keyOf("STOIC_MAX_ATTEMPTS", null));
    refuse("StoicConfig.keyOf", "empty prefix", IAE, "prefix",
        () -> StoicConfig.keyOf("STOIC_MAX_ATTEMPTS", ""));
    refuse("StoicConfig.fromEnvironment", "null prefix", NPE, "prefix",
        () -> StoicConfig.fromEnvironment(null));
    refuse("StoicConfig.fromEnvironment", "empty prefix", IAE, "prefix",
        () -> StoicConfig.fromEnvironment(Map.of(), ""));
    refuse("StoicConfig.fromEnvironment", "null environment", NPE, "environment",
        () -> StoicConfig.fromEnvironment(null, "STOIC"));
    refuse("StoicConfig.policy", "null base", NPE, "base",
        () -> StoicConfig.from(Map.of()).policy(null));
    refuse("StoicConfig.routes", "null base", NPE, "base",
        () -> StoicConfig.from(Map.of()).routes(null));
  }

  interface DurationSetter {
    Object set(Duration value) throws Throwable;
  }

  static void durations(String setting, boolean mustBePositive, DurationSetter setter) {
    durations(setting, mustBePositive, setter, setting);
  }

  /** null, negative, (zero,) longer than a day, and the largest Duration there is. */
  static void durations(String setting, boolean mustBePositive, DurationSetter setter, String named) {
    refuse(setting, "null", NPE, named, () -> setter.set(null));
    List<Duration> bad = new ArrayList<>(List.of(MINUS, Duration.ofSeconds(Long.MIN_VALUE),
        Duration.ofDays(1).plusNanos(1), TWO_DAYS, HUGE));
    if (mustBePositive) bad.add(Duration.ZERO);
    for (Duration value : bad) {
      refuse(setting, value.toString(), IAE, named, () -> setter.set(value));
    }
  }

  @SuppressWarnings("unchecked")
  static Class<? extends Throwable>[] nullTypes() {
    return null;
  }

  @SuppressWarnings("unchecked")
  static Class<? extends Throwable>[] typesWithNull() {
    return (Class<? extends Throwable>[]) new Class<?>[] {IOException.class, null};
  }

  static RetryBudget budget(String kind, double capacity, double cost, double refill) {
    return kind.equals("perHost")
        ? RetryBudget.perHost(capacity, cost, refill)
        : RetryBudget.shared(capacity, cost, refill);
  }

  @TestFactory
  Stream<DynamicTest> everyBadValueIsRefusedAtOnceNamingItsSetting() {
    Report.line("builder validation: " + CASES.size() + " bad values refused at configuration"
        + " time, each naming its setting");
    return CASES.stream().map(c -> dynamicTest(c.setting() + "(" + c.value() + ")", () -> {
      Throwable thrown = assertThrows(Throwable.class, c.configure(), "accepted");
      assertInstanceOf(c.type(), thrown, "the exception type");
      assertNotNull(thrown.getMessage(), "no message");
      assertTrue(thrown.getMessage().contains(c.namedIn()),
          "\"" + thrown.getMessage() + "\" does not name " + c.namedIn());
    }));
  }

  /** Each public builder method with arguments appears above: a new one must be added here. */
  @Test
  void everyPublicConfigurationMethodIsCovered() {
    Set<String> covered = CASES.stream().map(Case::setting).collect(Collectors.toSet());
    Set<String> missing = new TreeSet<>();
    Map<Class<?>, String> types = new LinkedHashMap<>();
    types.put(RetryPolicy.Builder.class, "");
    types.put(Backoff.class, "Backoff.");
    types.put(IdempotencyKey.class, "IdempotencyKey.");
    types.put(RetryBudget.class, "RetryBudget.");
    types.put(Hedging.class, "Hedging.");
    types.put(Redaction.class, "Redaction.");
    types.put(RetryRoutes.Builder.class, "RetryRoutes.");
    types.put(StoicConfig.class, "StoicConfig.");
    Set<String> exempt = Set.of(
        // Arguments that cannot be wrong: booleans, or methods that read rather than configure.
        "throwOnFailureStatus", "noDeadline", "Backoff.delay", "Backoff.delayNanos",
        "RetryBudget.acquireRetry", "RetryBudget.recordSuccess", "RetryBudget.available",
        "RetryBudget.recordRetry", "RetryBudget.retriesWorking",
        "Redaction.isSecretHeader", "Redaction.headerValue", "Redaction.url", "Hedging.equals");
    for (Map.Entry<Class<?>, String> type : types.entrySet()) {
      for (Method method : type.getKey().getDeclaredMethods()) {
        if (!Modifier.isPublic(method.getModifiers()) || method.getParameterCount() == 0) continue;
        String name = type.getValue() + method.getName();
        if (!covered.contains(name) && !exempt.contains(name)) missing.add(name);
      }
    }
    assertEquals(Set.of(), missing, "public configuration methods with no bad-value case");
  }

  @BeforeAll
  static void warmUp() throws Exception {
    WarmUp.once();
  }

  /**
   * Extremes that are valid configuration: none may fail at call time. Each runs through all six
   * lanes against a server that answers 429 (Retry-After: 0) once, then 200.
   */
  @Test
  void acceptedExtremesNeverFailAtCallTime() throws Exception {
    Map<String, Supplier<RetryPolicy.Builder>> extremes = new LinkedHashMap<>();
    extremes.put("maxAttempts(1)", () -> e().maxAttempts(1));
    extremes.put("maxAttempts(100), no backoff", () -> e().maxAttempts(100).backoff(Backoff.none()));
    extremes.put("fixed(0)", () -> e().backoff(Backoff.fixed(Duration.ZERO)));
    extremes.put("fixed(1 day), deadline 1 s",
        () -> e().backoff(Backoff.fixed(Duration.ofDays(1))).deadline(Duration.ofSeconds(1)));
    extremes.put("exponential(1 ns, 1 day) x100, decorrelated", () -> e().backoff(
        Backoff.exponential(Duration.ofNanos(1), Duration.ofDays(1)).factor(100)
            .decorrelatedJitter()).deadline(Duration.ofSeconds(2)));
    extremes.put("full jitter", () -> e().backoff(Backoff.exponential(Duration.ofNanos(1),
        Duration.ofNanos(1)).fullJitter()));
    extremes.put("maxRetryAfter(0)", () -> e().maxRetryAfter(Duration.ZERO));
    extremes.put("maxRetryAfter(1 day)", () -> e().maxRetryAfter(Duration.ofDays(1)));
    extremes.put("deadline(1 ns)", () -> e().deadline(Duration.ofNanos(1)));
    extremes.put("deadline(1 day)", () -> e().deadline(Duration.ofDays(1)));
    extremes.put("attemptTimeout(1 ns)", () -> e().attemptTimeout(Duration.ofNanos(1)));
    extremes.put("attemptTimeout = deadline = 1 day",
        () -> e().attemptTimeout(Duration.ofDays(1)).deadline(Duration.ofDays(1)));
    extremes.put("budget perHost(1, 1, 0)", () -> e().retryBudget(RetryBudget.perHost(1, 1, 0)));
    extremes.put("budget shared(1e6, 1e6, 1e6)",
        () -> e().retryBudget(RetryBudget.shared(1_000_000, 1_000_000, 1_000_000)));
    extremes.put("budget perHost(1, 0.001, 0.001)",
        () -> e().retryBudget(RetryBudget.perHost(1, 0.001, 0.001)));
    extremes.put("random() = NaN", () -> e().random(() -> Double.NaN));
    extremes.put("random() = 7", () -> e().random(() -> 7));
    extremes.put("random() = -Infinity", () -> e().random(() -> Double.NEGATIVE_INFINITY));
    extremes.put("statusClassifier(code -> null)", () -> e().statusClassifier(code -> null));
    extremes.put("every failure code ALWAYS", () -> e().statusRule(Retryability.ALWAYS,
        IntStream.rangeClosed(400, 599).toArray()).maxAttempts(3));
    extremes.put("every code NEVER",
        () -> e().statusRule(Retryability.NEVER, IntStream.rangeClosed(100, 599).toArray()));
    extremes.put("plain generated keys", () -> e()
        .idempotencyKey(IdempotencyKey.header("X-Key").autoGenerate().plain()));
    extremes.put("IdempotencyKey.none()", () -> e().idempotencyKey(IdempotencyKey.none()));
    extremes.put("budget minRetriesPerSecond(0)",
        () -> e().retryBudget(RetryBudget.perHost(1, 1, 0).minRetriesPerSecond(0)));
    extremes.put("budget minRetriesPerSecond(1e6)",
        () -> e().retryBudget(RetryBudget.perHost().minRetriesPerSecond(1_000_000)));
    extremes.put("no hint headers", () -> e().delayHintHeaders().shouldRetryHeaders());
    extremes.put("attempt count from 0", () -> e().attemptCountHeader("X-Stainless-Retry-Count", 0));
    extremes.put("throwOnFailureStatus(true)", () -> e().throwOnFailureStatus(true));
    extremes.put("a listener that throws", () -> e().listener(event -> {
      throw new IllegalStateException("listener bug");
    }));
    extremes.put("observers that throw", () -> e()
        .observer(call -> {
          throw new IllegalStateException("observer bug");
        })
        .observer(call -> new dev.stoic.CallObserver() {
          @Override
          public Scope attemptStarted(int attempt) {
            throw new IllegalStateException("observer bug");
          }

          @Override
          public void attemptEnded(dev.stoic.Outcome outcome, dev.stoic.Decision decision,
              long attemptNanos, int resends) {
            throw new IllegalStateException("observer bug");
          }

          @Override
          public void callEnded(dev.stoic.Outcome outcome, dev.stoic.Decision decision,
              long callNanos) {
            throw new IllegalStateException("observer bug");
          }
        }));
    extremes.put("retryOnException(Throwable)", () -> e().retryOnException(Throwable.class));
    extremes.put("neverRetryOnException(IOException)",
        () -> e().neverRetryOnException(IOException.class));
    extremes.put("a hundred secret names", () -> e()
        .secretHeaders(IntStream.range(0, 100).mapToObj(i -> "X-Secret-" + i).toArray(String[]::new))
        .secretQueryParameters(IntStream.range(0, 100).mapToObj(i -> "p" + i)
            .toArray(String[]::new)));

    List<String> failures = new ArrayList<>();
    int calls = 0;
    // The listener and observers that throw are logged as warnings: expected, and quiet here.
    Logger stoicLogger = Logger.getLogger("dev.stoic");
    Level level = stoicLogger.getLevel();
    stoicLogger.setLevel(Level.SEVERE);
    try {
      try (Server server = Server.start(arrival -> arrival.attempt() == 1
              ? new MockResponse.Builder().code(429).addHeader("Retry-After", "0").build()
              : new MockResponse.Builder().code(200).body("ok").build());
          Clients clients = new Clients(false)) {
        for (Map.Entry<String, Supplier<RetryPolicy.Builder>> extreme : extremes.entrySet()) {
          RetryPolicy policy = extreme.getValue().get().build();
          Clients.Stoic stoic = clients.with(policy);
          for (Lane lane : Lane.values()) {
            for (String method : List.of("GET", "POST")) {
              String id = extreme.getKey() + " " + lane + " " + method + " " + calls++;
              Outcome outcome = clients.start(lane, stoic,
                      Req.of(id.replaceAll("[^A-Za-z0-9]", "-"), method,
                          server.url("/extreme").toString()), Runnable::run, false)
                  .outcome.get(10, TimeUnit.SECONDS);
              if (!outcome.isResponse() && !outcome.isIoFailure()) {
                failures.add(id + ": " + outcome.failure());
              }
            }
          }
        }
      }
    } finally {
      stoicLogger.setLevel(level);
    }
    Report.line("builder validation: " + extremes.size() + " accepted extreme settings, "
        + calls + " calls through every lane, none failed at call time");
    assertEquals(List.of(), failures, "settings that failed at call time");
  }

  /**
   * The one configuration mistake Stoic can only see at call time: OkHttp gives it no say when a
   * client is built, so a StoicInterceptor added as a network interceptor refuses its first call,
   * saying what to do instead. (StoicCallFactory.wrap refuses such a client at once, above.)
   */
  @Test
  void aStoicInterceptorAddedAsANetworkInterceptorIsRefusedOnItsFirstCall() throws Exception {
    try (Server server = Server.start(arrival -> new MockResponse.Builder().code(200).build())) {
      OkHttpClient client = new OkHttpClient.Builder()
          .addNetworkInterceptor(StoicInterceptor.create(RetryPolicy.defaults())).build();
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
        try (Response response = client.newCall(
            new Request.Builder().url(server.url("/")).build()).execute()) {
          response.code();
        }
      });
      assertTrue(e.getMessage().contains("addInterceptor()"), e.getMessage());
      client.connectionPool().evictAll();
      client.dispatcher().executorService().shutdown();
    }
  }
}
