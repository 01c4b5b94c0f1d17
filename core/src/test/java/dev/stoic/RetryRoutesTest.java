package dev.stoic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which policy a request follows, and what a route table refuses when it is built. */
class RetryRoutesTest {
  final RetryPolicy base = RetryPolicy.builder().maxAttempts(4).build();
  final RetryPolicy payments = base.toBuilder().maxAttempts(6).build();
  final RetryPolicy uploads = base.toBuilder().maxAttempts(1).build();
  final RetryPolicy reports = base.toBuilder().maxAttempts(2).build();

  final RetryRoutes routes = RetryRoutes.builder()
      .host("payments.example.com", payments)
      .pathPrefix("/upload/", uploads)
      .host("[2001:db8::1]", reports)
      .otherwise(base)
      .build();

  @Test
  void aHostRouteMatchesItsHostExactlyIgnoringCaseOnAnyPath() {
    assertSame(payments, routes.policyFor("payments.example.com", "/charges"));
    assertSame(payments, routes.policyFor("PAYMENTS.Example.COM", "/"));
    assertSame(base, routes.policyFor("api.payments.example.com", "/charges"));
    assertSame(base, routes.policyFor("payments.example.co", "/charges"));
    assertSame(base, routes.policyFor("payments.example.com.evil", "/charges"));
  }

  @Test
  void anIpv6HostMatchesWithOrWithoutBrackets() {
    assertSame(reports, routes.policyFor("2001:db8::1", "/"));
    assertSame(reports, routes.policyFor("[2001:DB8::1]", "/"));
    assertSame(base, routes.policyFor("[2001:db8::2]", "/"));
  }

  @Test
  void aPathPrefixMatchesOnEveryHost() {
    assertSame(uploads, routes.policyFor("api.example.com", "/upload/photo.jpg"));
    assertSame(uploads, routes.policyFor("files.example.com", "/upload/"));
    assertSame(base, routes.policyFor("api.example.com", "/upload"));
    assertSame(base, routes.policyFor("api.example.com", "/uploads/x"));
    assertSame(base, routes.policyFor("api.example.com", null));
  }

  @Test
  void theFirstMatchingRouteWins() {
    // The payments host route comes before the upload prefix: it wins on that host.
    assertSame(payments, routes.policyFor("payments.example.com", "/upload/receipt.pdf"));
    RetryRoutes prefixFirst = RetryRoutes.builder()
        .pathPrefix("/upload/", uploads)
        .host("payments.example.com", payments)
        .otherwise(base)
        .build();
    assertSame(uploads, prefixFirst.policyFor("payments.example.com", "/upload/receipt.pdf"));
  }

  @Test
  void aPrefixIsComparedAsSentWithoutDecoding() {
    RetryRoutes encoded = RetryRoutes.builder().pathPrefix("/a%20b/", uploads).build();
    assertSame(uploads, encoded.policyFor("h", "/a%20b/c"));
    assertSame(RetryPolicy.defaults(), encoded.policyFor("h", "/A%20b/c"));
  }

  @Test
  void withoutRoutesEveryRequestFollowsOtherwiseWhichDefaultsToTheDefaults() {
    assertSame(RetryPolicy.defaults(), RetryRoutes.builder().build().policyFor("h", "/"));
    assertSame(base, RetryRoutes.builder().otherwise(base).build().policyFor("h", "/"));
  }

  @Test
  void routesAreListedInOrderWithTheirNamesAndMatches() {
    List<RetryRoutes.Route> list = routes.routes();
    assertEquals(3, list.size());
    assertEquals("1", list.get(0).name());
    assertEquals("payments.example.com", list.get(0).host());
    assertEquals("/upload/", list.get(1).pathPrefix());
    assertEquals("2001:db8::1", list.get(2).host());
    assertSame(reports, list.get(2).policy());
    assertThrows(UnsupportedOperationException.class, () -> list.remove(0));
    assertTrue(routes.routesByPath());
    assertFalse(RetryRoutes.builder().host("a.example", base).build().routesByPath());
  }

  @Test
  void everyRouteSharesTheBudgetOfTheOtherwisePolicy() {
    assertSame(base.retryBudget(), routes.retryBudget());
    RetryRoutes independent = RetryRoutes.builder()
        .host("a.example", RetryPolicy.builder().maxAttempts(2).build())
        .build();
    assertSame(RetryPolicy.defaults().retryBudget(), independent.retryBudget());
  }

  @Test
  void aRoutePolicyThatSetsABudgetOfItsOwnIsRefused() {
    RetryPolicy ownBudget = RetryPolicy.builder().retryBudget(RetryBudget.perHost()).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RetryRoutes.builder().pathPrefix("/upload/", ownBudget).otherwise(base).build());
    assertEquals("route 1 (path prefix /upload/) sets a retry budget of its own, but one budget"
        + " serves every route of a client, so that routing cannot escape it: set the budget on"
        + " the otherwise policy", e.getMessage());
    // The same budget as otherwise's is fine: derived with toBuilder(), or set on both.
    RetryPolicy withBudget = RetryPolicy.builder().retryBudget(RetryBudget.perHost()).build();
    RetryRoutes.builder().host("a.example", withBudget.toBuilder().maxAttempts(2).build())
        .otherwise(withBudget).build();
  }

  @Test
  void aNullOrEmptyHostIsRefused() {
    assertEquals("host == null", assertThrows(NullPointerException.class,
        () -> RetryRoutes.builder().host(null, base)).getMessage());
    assertEquals("host is empty: \"\"", assertThrows(IllegalArgumentException.class,
        () -> RetryRoutes.builder().host("", base)).getMessage());
    assertEquals("host is empty: \"  \"", assertThrows(IllegalArgumentException.class,
        () -> RetryRoutes.builder().host("  ", base)).getMessage());
    assertEquals("host is empty: \"[]\"", assertThrows(IllegalArgumentException.class,
        () -> RetryRoutes.builder().host("[]", base)).getMessage());
    assertEquals("policy == null", assertThrows(NullPointerException.class,
        () -> RetryRoutes.builder().host("a.example", null)).getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://api.example.com", "api.example.com:443",
      "api.example.com/v1", " api.example.com", "api example.com", "user@api.example.com",
      "2001:db8::1", "api.example.com?x", "api.example.com#x"})
  void aHostWithASchemePortPathOrSpaceIsRefused(String host) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RetryRoutes.builder().host(host, base));
    assertTrue(e.getMessage().startsWith("host must be a host name alone"), e.getMessage());
    assertTrue(e.getMessage().endsWith("\"" + host + "\""), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "upload", "upload/", "*/upload", " /upload"})
  void aPrefixWithoutALeadingSlashIsRefused(String prefix) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RetryRoutes.builder().pathPrefix(prefix, base));
    assertEquals("path prefix must start with \"/\": \"" + prefix + "\"", e.getMessage());
  }

  @Test
  void aPrefixThatNoPathAsSentCanHoldIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RetryRoutes.builder().pathPrefix("/up load/", base));
    assertEquals("path prefix \"/up load/\" has a character a path as sent cannot hold (code 32"
        + " at index 3)", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> RetryRoutes.builder().pathPrefix("/upload?x", base));
    assertEquals("prefix == null", assertThrows(NullPointerException.class,
        () -> RetryRoutes.builder().pathPrefix(null, base)).getMessage());
  }

  @Test
  void aRouteThatCouldNeverMatchIsRefused() {
    IllegalArgumentException sameHost = assertThrows(IllegalArgumentException.class,
        () -> RetryRoutes.builder().host("a.example", base).host("A.EXAMPLE", uploads));
    assertEquals("host \"A.EXAMPLE\" is routed already (route 1); the first route that matches"
        + " wins, so this one never would", sameHost.getMessage());
    IllegalArgumentException shadowed = assertThrows(IllegalArgumentException.class,
        () -> RetryRoutes.builder().pathPrefix("/api/", base).pathPrefix("/api/v2/", uploads));
    assertEquals("path prefix \"/api/v2/\" is taken by route 1 (\"/api/\") before it, so it never"
        + " matches", shadowed.getMessage());
    // The other way round both can match: the longer prefix first.
    RetryRoutes.builder().pathPrefix("/api/v2/", uploads).pathPrefix("/api/", base).build();
  }
}
