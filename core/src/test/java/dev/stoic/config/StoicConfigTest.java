package dev.stoic.config;

import dev.stoic.*;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.http.Retryability;
import dev.stoic.testing.RecordingListener;
import dev.stoic.testing.VirtualClock;
import java.io.IOException;
import java.io.StringReader;
import java.net.SocketException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading policies and routes from flat keys: what is accepted, and how everything else fails. */
class StoicConfigTest {
  static final String PROPERTIES = """
      # Some other library's settings share the file.
      server.port = 8080
      stoic.max-attempts = 4
      stoic.backoff.base = 500ms
      stoic.backoff.cap = 20s
      stoic.backoff.jitter = full
      stoic.deadline = 45s
      stoic.retry-on-status = 409
      stoic.status.420 = always
      stoic.retry-on-exception = java.net.SocketException
      stoic.secret-headers = X-Api-Key
      stoic.retry-budget.capacity = 40
      stoic.route-order = payments, uploads
      stoic.routes.payments.host = payments.example.com
      stoic.routes.payments.max-retry-after = 5m
      stoic.routes.payments.idempotency-key.auto-generate = true
      stoic.routes.payments.idempotency-key.format = plain
      stoic.routes.uploads.path-prefix = /upload/
      stoic.routes.uploads.max-attempts = 1
      """;

  static Properties properties(String text) throws IOException {
    Properties p = new Properties();
    p.load(new StringReader(text));
    return p;
  }

  static IllegalArgumentException refused(Map<String, String> source) {
    return assertThrows(IllegalArgumentException.class, () -> StoicConfig.from(source));
  }

  @Test
  void configurationAndTheBuilderAcceptTheSameMostAttempts() {
    int most = Setting.MAX_ATTEMPTS_LIMIT;
    String key = "stoic.max-attempts";
    assertEquals(most, StoicConfig.from(Map.of(key, "" + most)).policy().maxAttempts());
    assertEquals(most, RetryPolicy.builder().maxAttempts(most).build().maxAttempts());
    assertThrows(IllegalArgumentException.class,
        () -> StoicConfig.from(Map.of(key, "" + (most + 1))));
    assertThrows(IllegalArgumentException.class,
        () -> RetryPolicy.builder().maxAttempts(most + 1));
  }

  @Test
  void aPropertiesFileGivesThePolicyAndItsRoutes() throws IOException {
    StoicConfig config = StoicConfig.from(properties(PROPERTIES));
    RetryPolicy policy = config.policy();
    assertEquals(4, policy.maxAttempts());
    assertEquals(Duration.ofMillis(500), policy.backoff().base());
    assertEquals(Duration.ofSeconds(20), policy.backoff().cap());
    assertEquals(Backoff.Jitter.FULL, policy.backoff().jitterKind());
    assertEquals(2.0, policy.backoff().factor());
    assertEquals(Duration.ofSeconds(45), policy.deadline());
    assertEquals(Retryability.WHEN_SAFE, policy.retryability(409));
    assertEquals(Retryability.ALWAYS, policy.retryability(420));
    assertEquals(Boolean.TRUE, policy.exceptionRule(new SocketException()));
    assertTrue(policy.redaction().isSecretHeader("x-api-key"));
    assertEquals(40.0, policy.retryBudget().available("any"));

    RetryRoutes routes = config.routes();
    assertSame(policy, routes.otherwise());
    assertSame(policy.retryBudget(), routes.retryBudget());
    RetryPolicy payments = routes.policyFor("payments.example.com", "/charges");
    assertEquals(Duration.ofMinutes(5), payments.maxRetryAfter());
    assertEquals(4, payments.maxAttempts(), "a route starts from the top level");
    assertTrue(payments.idempotencyKey().autoGenerates());
    assertEquals(IdempotencyKey.Format.PLAIN, payments.idempotencyKey().format());
    assertSame(policy.retryBudget(), payments.retryBudget());
    RetryPolicy uploads = routes.policyFor("api.example.com", "/upload/a.jpg");
    assertEquals(1, uploads.maxAttempts());
    assertSame(policy, routes.policyFor("api.example.com", "/items"));
    assertEquals(List.of("payments", "uploads"),
        routes.routes().stream().map(RetryRoutes.Route::name).toList());
    assertTrue(routes.describe().startsWith("""
        route-order = payments, uploads (set)
        routes.payments.host = payments.example.com (set)
        routes.payments.max-retry-after = 300s (set)
        routes.payments.idempotency-key.auto-generate = true (set)
        # routes.payments: 29 more settings as otherwise
        routes.uploads.path-prefix = /upload/ (set)
        routes.uploads.max-attempts = 1 (set)
        """), routes.describe());
  }

  @Test
  void aMapGivesTheSameAndKeysOfOtherLibrariesAreNotStoics() {
    Map<String, String> map = new HashMap<>();
    map.put("stoic.max-attempts", " 2 ");
    map.put("spring.application.name", "shop");
    map.put("stoicism", "yes");
    RetryPolicy policy = StoicConfig.from(map).policy();
    assertEquals(2, policy.maxAttempts());
    assertEquals(RetryPolicy.defaults().describe().replace("max-attempts = 5 (default)",
        "max-attempts = 2 (set)"), policy.describe());
    assertEquals(RetryPolicy.defaults().describe(), StoicConfig.from(Map.of()).policy().describe());
  }

  @Test
  void settingsApplyOverABasePolicyThatHoldsTheCode() {
    RecordingListener listener = new RecordingListener();
    VirtualClock clock = new VirtualClock();
    RetryPolicy base = RetryPolicy.builder().listener(listener).clock(clock).maxAttempts(7).build();
    StoicConfig config = StoicConfig.from(Map.of("stoic.deadline", "10s",
        "stoic.routes.api.host", "api.example.com", "stoic.routes.api.max-attempts", "2"));
    RetryPolicy policy = config.policy(base);
    assertEquals(List.of(listener), policy.listeners());
    assertSame(clock, policy.clock());
    assertEquals(7, policy.maxAttempts());
    assertEquals(Duration.ofSeconds(10), policy.deadline());
    RetryRoutes routes = config.routes(base);
    RetryPolicy api = routes.policyFor("api.example.com", "/");
    assertEquals(2, api.maxAttempts());
    assertSame(clock, api.clock());
    assertEquals(List.of(listener), api.listeners());
    assertSame(base.retryBudget(), routes.retryBudget());
  }

  @Test
  void theEnvironmentNamesKeysWithUnderscoresOrWithoutDashes() {
    Map<String, String> env = new HashMap<>();
    env.put("STOIC_MAX_ATTEMPTS", "3");
    env.put("STOIC_BACKOFF_BASE", "2s");
    env.put("STOIC_RETRYBUDGET_CAPACITY", "30");
    env.put("STOIC_IDEMPOTENCY_KEY_AUTO_GENERATE", "true");
    env.put("STOIC_STATUS_418", "never");
    env.put("STOIC_ROUTE_ORDER", "payments,uploads");
    env.put("STOIC_ROUTES_PAYMENTS_HOST", "payments.example.com");
    env.put("STOIC_ROUTES_PAYMENTS_MAXRETRYAFTER", "120s");
    env.put("STOIC_ROUTES_UPLOADS_PATH_PREFIX", "/upload/");
    env.put("STOIC_ROUTES_UPLOADS_MAX_ATTEMPTS", "1");
    env.put("PATH", "/usr/bin");
    env.put("STOICISM", "not ours: no underscore after the prefix");
    StoicConfig config = StoicConfig.fromEnvironment(env, "STOIC");
    RetryPolicy policy = config.policy();
    assertEquals(3, policy.maxAttempts());
    assertEquals(Duration.ofSeconds(2), policy.backoff().base());
    assertEquals(30.0, policy.retryBudget().available("h"));
    assertTrue(policy.idempotencyKey().autoGenerates());
    assertEquals(Retryability.NEVER, policy.retryability(418));
    RetryRoutes routes = config.routes();
    assertEquals(Duration.ofSeconds(120),
        routes.policyFor("payments.example.com", "/").maxRetryAfter());
    assertEquals(1, routes.policyFor("x", "/upload/f").maxAttempts());
    assertEquals(config.policy().describe(),
        StoicConfig.fromEnvironment(env, "stoic_").policy().describe(), "the prefix in any case");
  }

  @Test
  void anUnknownVariableOrTheSameKeyTwiceIsRefusedNamingTheVariable() {
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> StoicConfig.fromEnvironment(Map.of("STOIC_MAX_ATEMPTS", "3"), "STOIC_"));
    assertEquals("STOIC_MAX_ATEMPTS: unknown variable (did you mean STOIC_MAX_ATTEMPTS?); see"
        + " docs/configuration.md for the keys, and write one as STOIC_MAX_ATTEMPTS for"
        + " stoic.max-attempts", unknown.getMessage());
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> StoicConfig.fromEnvironment(
            Map.of("STOIC_MAX_ATTEMPTS", "3", "STOIC_MAXATTEMPTS", "4"), "STOIC_"));
    assertEquals("STOIC_MAX_ATTEMPTS: sets stoic.max-attempts, as STOIC_MAXATTEMPTS does; keep"
        + " one", twice.getMessage());
    IllegalArgumentException badValue = assertThrows(IllegalArgumentException.class,
        () -> StoicConfig.fromEnvironment(Map.of("STOIC_MAX_ATTEMPTS", "0"), "STOIC_"));
    assertEquals("STOIC_MAX_ATTEMPTS = \"0\": must be an integer: 1 to 100",
        badValue.getMessage());
  }

  @Test
  void anUnknownVariableSuggestsTheVariableItProbablyMeant() {
    assertEquals("STOIC_ROUTES_PAY_BACKOFF_BASE", suggested("STOIC_ROUTES_PAY_BACKOF_BASE"));
    assertEquals("STOIC_BACKOFF_JITTER", suggested("STOIC_BACKOFF_JITER"));
    assertEquals("STOIC_MAX_RETRY_AFTER", suggested("STOIC_MAX_RETRY_AFTR"));
    assertEquals(null, suggested("STOIC_COLOUR"));
  }

  private static String suggested(String variable) {
    String message = assertThrows(IllegalArgumentException.class,
        () -> StoicConfig.fromEnvironment(Map.of(variable, "1"), "STOIC")).getMessage();
    java.util.regex.Matcher near =
        java.util.regex.Pattern.compile("did you mean (\\w+)\\?").matcher(message);
    return near.find() ? near.group(1) : null;
  }

  @Test
  void keyOfNamesTheKeyOfAVariableAsFromEnvironmentReadsIt() {
    assertEquals("stoic.max-attempts", StoicConfig.keyOf("STOIC_MAX_ATTEMPTS", "STOIC"));
    assertEquals("stoic.max-attempts", StoicConfig.keyOf("stoic_maxattempts", "STOIC_"));
    assertEquals("stoic.routes.pay.host", StoicConfig.keyOf("STOIC_ROUTES_PAY_HOST", "STOIC"));
    assertEquals("stoic.status.503", StoicConfig.keyOf("STOIC_STATUS_503", "STOIC"));
    assertEquals(null, StoicConfig.keyOf("STOIC_MAX_ATEMPTS", "STOIC"));
    assertEquals(null, StoicConfig.keyOf("PATH", "STOIC"));
    assertThrows(IllegalArgumentException.class, () -> StoicConfig.keyOf("STOIC_MAX_ATTEMPTS", ""),
        "an empty prefix is refused, as fromEnvironment refuses it");
  }

  @Test
  void noTwoKeysShareAnEnvironmentName() {
    Set<String> squashed = new TreeSet<>();
    for (Setting setting : Setting.values()) {
      if (setting == Setting.STATUS) continue;
      assertTrue(squashed.add(ConfigKeys.squash(setting.key)), setting.key);
      assertEquals(setting.key, ConfigKeys.keyOf(
          setting.key.toUpperCase().replace('.', '_').replace('-', '_')));
    }
    assertTrue(squashed.add(ConfigKeys.squash("route-order")));
  }

  @Test
  void anUnknownKeyIsRefusedNamingItAndTheKeyItProbablyMeant() {
    assertEquals("stoic.maxAttempts: unknown key (did you mean stoic.max-attempts?); the keys are"
            + " listed in docs/configuration.md",
        refused(Map.of("stoic.maxAttempts", "3")).getMessage());
    assertEquals("stoic.backof.base: unknown key (did you mean stoic.backoff.base?); the keys are"
            + " listed in docs/configuration.md",
        refused(Map.of("stoic.backof.base", "1s")).getMessage());
    assertEquals("stoic.colour: unknown key; the keys are listed in docs/configuration.md",
        refused(Map.of("stoic.colour", "blue")).getMessage());
    assertEquals("stoic.routes.api.hots: unknown key (did you mean stoic.routes.api.host?); the"
            + " keys are listed in docs/configuration.md",
        refused(Map.of("stoic.routes.api.hots", "a.example", "stoic.routes.api.path-prefix", "/"))
            .getMessage());
    assertEquals("stoic.clock: can only be set in code; the keys are listed in"
        + " docs/configuration.md", refused(Map.of("stoic.clock", "system")).getMessage());
    assertEquals("stoic.status.5000: unknown key; the keys are listed in docs/configuration.md",
        refused(Map.of("stoic.status.5000", "never")).getMessage());
    assertEquals("stoic.status.099: a status code is 100 to 599",
        refused(Map.of("stoic.status.099", "never")).getMessage());
  }

  /** One bad value for every key text can set, and the message naming it and its range. */
  @ParameterizedTest
  @CsvSource(delimiterString = " => ", quoteCharacter = '"', textBlock = """
      max-attempts => 0 => must be an integer: 1 to 100
      max-attempts => 101 => must be an integer: 1 to 100
      max-attempts => five => not a whole number; must be an integer: 1 to 100
      backoff.base => -1s => not a duration, which is a whole number and a unit (ns, us, ms, s, m, h, d) such as 500ms or 2s, or ISO-8601 such as PT2S; must be a duration: 0 to 1d; 0 means no wait at all
      backoff.base => 2d => must be a duration: 0 to 1d; 0 means no wait at all
      backoff.cap => 1 => not a duration, which is a whole number and a unit (ns, us, ms, s, m, h, d) such as 500ms or 2s, or ISO-8601 such as PT2S; must be a duration: backoff.base to 1d
      backoff.factor => 0.5 => must be a decimal: 1 to 100
      backoff.factor => 1e3 => not a number such as 20 or 0.5; must be a decimal: 1 to 100
      backoff.jitter => random => not one of the values allowed; must be one of: none, full, equal, decorrelated
      max-retry-after => PT-1S => must be a duration: 0 to 1d
      deadline => 0s => must be a duration or none: above 0, up to 1d
      attempt-timeout => 25h => must be a duration or none: above 0, up to 1d, at most deadline
      retry-on-status => 409, 99 => must be a list of status codes: 100 to 599; retried when safe, over the status table
      never-retry-status => 5xx => must be a list of status codes: 100 to 599; never retried, over the status table
      retry-on-exception => java.lang.String => java.lang.String is not a Throwable; must be a list of class names: Throwable types on the class path; retried when safe
      never-retry-on-exception => com.example.Gone => com.example.Gone is not on the class path; must be a list of class names: Throwable types on the class path; checked before retry-on-exception
      idempotency-key.header => Idem Key => not a header name; must be a header name or none: an HTTP token such as Idempotency-Key; none ignores keys altogether
      idempotency-key.auto-generate => yes => not true or false; must be a boolean: true, false
      idempotency-key.format => quoted => not one of the values allowed; must be one of: structured, plain
      secret-headers => "a,,b" => a comma-separated list with an empty item; must be a list of header names: added to authorization, cookie, proxy-authorization, set-cookie
      secret-query-parameters => "a," => a comma-separated list with an empty item; must be a list of names: added to the defaults
      throw-on-failure-status => 1 => not true or false; must be a boolean: true, false
      retry-budget => global => not one of the values allowed; must be one of: per-host, shared, unlimited
      retry-budget.capacity => 0 => must be a decimal: 1 to 1000000
      retry-budget.cost-per-retry => 0.0001 => must be a decimal: 0.001 to capacity (20)
      retry-budget.refill-per-success => 21 => must be a decimal: 0, or 0.001 to capacity (20)
      status.503 => maybe => not one of the values allowed; must be one of: pass-through, always, when-safe, with-key, with-retry-after, after-auth-refresh, never
      """)
  void aBadValueIsRefusedNamingTheKeyAndWhatItAccepts(String key, String value, String why) {
    String shown = value.length() > 60 ? value.substring(0, 60) + "..." : value;
    String expected = key.startsWith("retry-budget.")
        ? "stoic." + key + " = " + stripZeros(value) + ": " + why
        : "stoic." + key + " = \"" + shown + "\": " + why;
    assertEquals(expected, refused(Map.of("stoic." + key, value)).getMessage());
  }

  private static String stripZeros(String decimal) {
    return new java.math.BigDecimal(decimal).stripTrailingZeros().toPlainString();
  }

  @Test
  void everyKeyTextCanSetHasABadValueCase() throws Exception {
    Set<String> tested = new TreeSet<>();
    String table = StoicConfigTest.class.getDeclaredMethod("aBadValueIsRefusedNamingTheKeyAndWhatItAccepts",
            String.class, String.class, String.class).getAnnotation(CsvSource.class).textBlock();
    for (String row : table.lines().toList()) tested.add(row.substring(0, row.indexOf("=>")).trim());
    Set<String> keys = new TreeSet<>();
    for (Setting setting : Setting.values()) {
      if (!setting.configurable()) continue;
      keys.add(setting == Setting.STATUS ? "status.503" : setting.key);
    }
    assertEquals(keys, tested);
  }

  @Test
  void settingsThatContradictEachOtherAreRefusedNamingBoth() {
    assertEquals("stoic.backoff.cap = 1s: must be at least backoff.base (2s)",
        refused(Map.of("stoic.backoff.base", "2s", "stoic.backoff.cap", "1s")).getMessage());
    assertEquals("stoic.backoff.cap: has no effect when backoff.base is 0 (no wait between"
            + " attempts); remove it or set backoff.base above 0",
        refused(Map.of("stoic.backoff.base", "0s", "stoic.backoff.cap", "1s")).getMessage());
    assertEquals("stoic.attempt-timeout: attempt-timeout (20s) must be at most deadline (10s)",
        refused(Map.of("stoic.deadline", "10s", "stoic.attempt-timeout", "20s")).getMessage());
    assertEquals("stoic.retry-budget.cost-per-retry = 6: must be a decimal: 0.001 to capacity (5)",
        refused(Map.of("stoic.retry-budget.capacity", "5", "stoic.retry-budget.cost-per-retry",
            "6")).getMessage());
    RetryPolicy costly = RetryPolicy.builder().retryBudget(RetryBudget.perHost(20, 10, 0)).build();
    assertEquals("retry-budget.cost-per-retry (10, from the base policy): must be a decimal: 0.001"
            + " to capacity (5)",
        assertThrows(IllegalArgumentException.class,
            () -> StoicConfig.from(Map.of("stoic.retry-budget.capacity", "5")).policy(costly))
            .getMessage());
    assertEquals("stoic.retry-budget.capacity: has no effect with retry-budget = unlimited",
        refused(Map.of("stoic.retry-budget", "unlimited", "stoic.retry-budget.capacity", "5"))
            .getMessage());
    assertEquals("stoic.idempotency-key.auto-generate = true: needs a header;"
            + " idempotency-key.header is none",
        refused(Map.of("stoic.idempotency-key.header", "none",
            "stoic.idempotency-key.auto-generate", "true")).getMessage());
    assertEquals("stoic.idempotency-key.format: has no effect when idempotency-key.header is none",
        refused(Map.of("stoic.idempotency-key.header", "none",
            "stoic.idempotency-key.format", "plain")).getMessage());
    assertEquals("stoic.retry-on-status: status 503 is also given by stoic.status.503; give each"
            + " code one rule",
        refused(Map.of("stoic.retry-on-status", "503", "stoic.status.503", "never")).getMessage());
    assertEquals("stoic.retry-on-exception: java.net.SocketException is also in"
            + " stoic.never-retry-on-exception; give each type one rule",
        refused(Map.of("stoic.retry-on-exception", "java.net.SocketException",
            "stoic.never-retry-on-exception", "java.net.SocketException")).getMessage());
  }

  @Test
  void routesAreCheckedWhenRead() {
    assertEquals("stoic.route-order: is required with more than one route, since the first route"
            + " that matches wins; list every route: a, b",
        refused(Map.of("stoic.routes.a.host", "a.example", "stoic.routes.b.host", "b.example"))
            .getMessage());
    assertEquals("stoic.route-order: must list every route; missing: b",
        refused(Map.of("stoic.routes.a.host", "a.example", "stoic.routes.b.host", "b.example",
            "stoic.route-order", "a")).getMessage());
    assertEquals("stoic.route-order: \"c\" is not a configured route, or is listed twice; the"
            + " routes are: a, b",
        refused(Map.of("stoic.routes.a.host", "a.example", "stoic.routes.b.host", "b.example",
            "stoic.route-order", "a, b, c")).getMessage());
    assertEquals("stoic.routes.a: give a route exactly one of host and path-prefix",
        refused(Map.of("stoic.routes.a.max-attempts", "2")).getMessage());
    assertEquals("stoic.routes.a: give a route exactly one of host and path-prefix",
        refused(Map.of("stoic.routes.a.host", "a.example", "stoic.routes.a.path-prefix", "/a/"))
            .getMessage());
    assertEquals("stoic.routes.a.host: host is empty: \"\"",
        refused(Map.of("stoic.routes.a.host", "")).getMessage());
    assertEquals("stoic.routes.a.path-prefix: path prefix must start with \"/\": \"upload/\"",
        refused(Map.of("stoic.routes.a.path-prefix", "upload/")).getMessage());
    assertEquals("stoic.routes.Api.host: a route name is lower-case letters, digits and dashes,"
            + " starting with a letter or digit",
        refused(Map.of("stoic.routes.Api.host", "a.example")).getMessage());
    assertEquals("stoic.routes.a.retry-budget.capacity: a route cannot set the retry budget: one"
            + " budget serves every route of a client, so that routing cannot escape it; set"
            + " stoic.retry-budget.capacity",
        refused(Map.of("stoic.routes.a.host", "a.example",
            "stoic.routes.a.retry-budget.capacity", "5")).getMessage());
    assertEquals("stoic.routes.a.backoff.cap = 1s: must be at least backoff.base (2s)",
        refused(Map.of("stoic.backoff.base", "2s", "stoic.routes.a.host", "a.example",
            "stoic.routes.a.backoff.cap", "1s")).getMessage());
  }

  @Test
  void everyProblemIsListedAtOnce() {
    Map<String, String> source = new LinkedHashMap<>();
    source.put("stoic.max-attempts", "0");
    source.put("stoic.maxRetryAfter", "1s");
    source.put("stoic.backoff.base", "2s");
    source.put("stoic.backoff.cap", "1s");
    source.put("stoic.routes.up.path-prefix", "upload");
    source.put("stoic.routes.up.deadline", "forever");
    assertEquals("""
        5 problems in the Stoic configuration:
        stoic.max-attempts = "0": must be an integer: 1 to 100
        stoic.maxRetryAfter: unknown key (did you mean stoic.max-retry-after?); the keys are \
        listed in docs/configuration.md
        stoic.routes.up.deadline = "forever": not a duration, which is a whole number and a \
        unit (ns, us, ms, s, m, h, d) such as 500ms or 2s, or ISO-8601 such as PT2S; must be a \
        duration or none: above 0, up to 1d
        stoic.backoff.cap = 1s: must be at least backoff.base (2s)
        stoic.routes.up.path-prefix: path prefix must start with "/": "upload\"""",
        refused(source).getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      1500ns | PT0.0000015S
      250us  | PT0.00025S
      250ms  | PT0.25S
      90s    | PT1M30S
      2m     | PT2M
      3h     | PT3H
      1d     | PT24H
      PT1.5S | PT1.5S
      pt2s   | PT2S
      """)
  void durationsTakeAUnitOrIso8601(String text, String iso) {
    RetryPolicy p = StoicConfig.from(Map.of("stoic.max-retry-after", text)).policy();
    assertEquals(Duration.parse(iso), p.maxRetryAfter());
  }

  @Test
  void noneTurnsOptionalSettingsAndListsOff() {
    RetryPolicy base = RetryPolicy.builder().deadline(Duration.ofSeconds(5)).retryOnStatus(409)
        .build();
    RetryPolicy p = StoicConfig.from(Map.of("stoic.deadline", "none",
        "stoic.retry-on-status", "none", "stoic.idempotency-key.header", "NONE",
        "stoic.backoff.base", "0s", "stoic.retry-budget", "unlimited")).policy(base);
    assertNull(p.deadline());
    assertEquals(Retryability.WHEN_SAFE, p.retryability(409), "the base's rule stays");
    assertSame(IdempotencyKey.none(), p.idempotencyKey());
    assertSame(Backoff.none(), p.backoff());
    assertSame(RetryBudget.unlimited(), p.retryBudget());
  }

  @Test
  void aSourceWithNullsIsRefused() {
    Map<String, String> source = new HashMap<>();
    source.put("stoic.max-attempts", null);
    assertEquals("stoic.max-attempts == null",
        assertThrows(NullPointerException.class, () -> StoicConfig.from(source)).getMessage());
  }
}
