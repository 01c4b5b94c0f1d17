package dev.stoic.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exact expectations for rate-limit headers, all read at one fixed instant.
 *
 * <p>Each row is: what it shows, the expected status, and the header lines as {@code Name: value}
 * (a name may repeat). The status lists the known values among {@code limit}, {@code remaining},
 * {@code reset} and {@code window} (seconds, or {@code MAX}) and {@code policy}, or is {@code
 * empty}.
 */
class RateLimitStatusTest {
  /** Epoch second 1_795_341_600. MAX is 31536000 seconds (365 days). */
  static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  static final String BURST_AND_DAILY =
      "RateLimit-Policy: \"burst\";q=100;w=60, \"daily\";q=1000;w=86400";

  static Stream<Arguments> vectors() {
    return Stream.of(
        // Drafts 08-10: named policies.
        row("one policy and its state",
            "limit=100 remaining=50 reset=30 window=60 policy=default",
            "RateLimit-Policy: \"default\";q=100;w=60", "RateLimit: \"default\";r=50;t=30"),
        row("the policy with the least remaining binds",
            "limit=100 remaining=0 reset=30 window=60 policy=burst",
            BURST_AND_DAILY, "RateLimit: \"burst\";r=0;t=30, \"daily\";r=20;t=3600"),
        row("the daily policy binds once it has less remaining",
            "limit=1000 remaining=5 reset=3600 window=86400 policy=daily",
            BURST_AND_DAILY, "RateLimit: \"burst\";r=80;t=30, \"daily\";r=5;t=3600"),
        row("on equal remaining the longer reset binds",
            "limit=1000 remaining=0 reset=3600 window=86400 policy=daily",
            BURST_AND_DAILY, "RateLimit: \"burst\";r=0;t=30, \"daily\";r=0;t=3600"),
        row("on equal remaining and reset the first item binds",
            "remaining=0 reset=30 policy=a", "RateLimit: \"a\";r=0;t=30, \"b\";r=0;t=30"),
        row("on equal remaining an unknown reset loses to a known one",
            "remaining=0 reset=5 policy=b", "RateLimit: \"a\";r=0, \"b\";r=0;t=5"),
        row("an item without remaining is never chosen",
            "remaining=3 reset=9 policy=b", "RateLimit: \"a\";t=1, \"b\";r=3;t=9"),
        row("repeated RateLimit lines are one list",
            "limit=1000 remaining=2 reset=600 window=86400 policy=daily",
            BURST_AND_DAILY, "RateLimit: \"burst\";r=9;t=30", "RateLimit: \"daily\";r=2;t=600"),
        row("policies split over two lines",
            "limit=1000 remaining=2 reset=600 window=86400 policy=daily",
            "RateLimit-Policy: \"burst\";q=100;w=60", "RateLimit-Policy: \"daily\";q=1000;w=86400",
            "RateLimit: \"burst\";r=9;t=30, \"daily\";r=2;t=600"),
        row("token names, as in the drafts' examples",
            "limit=100 remaining=50 reset=5 window=10 policy=default",
            "RateLimit-Policy: default;q=100;w=10", "RateLimit: default;r=50;t=5"),
        row("a token name matches the same name as a string",
            "limit=100 remaining=1 policy=default",
            "RateLimit-Policy: \"default\";q=100", "RateLimit: default;r=1"),
        row("unknown parameters of every type are ignored",
            "limit=100 remaining=5 reset=10 window=60 policy=default",
            "RateLimit-Policy: \"default\";q=100;qu=\"request\";w=60;pk=:cHsdsRa894==:;acme=?1",
            "RateLimit: \"default\";r=5;acme-x=1.25;t=10;pk=:cHsdsRa894==:;note=\"a \\\"b\\\"\""),
        row("OWS around commas, tabs included",
            "remaining=2 reset=9 policy=b", "RateLimit: \"a\";r=5;t=1 ,\t \"b\";r=2;t=9"),
        row("a lone policy gives limit, window and name without RateLimit",
            "limit=500 window=3600 policy=hourly", "RateLimit-Policy: \"hourly\";q=500;w=3600"),
        row("several policies without RateLimit give nothing", "empty", BURST_AND_DAILY),
        row("a lone policy also applies when no RateLimit item has remaining",
            "limit=10 window=1 policy=a",
            "RateLimit-Policy: \"a\";q=10;w=1", "RateLimit: \"a\";t=5"),
        row("an item whose policy is not declared has no limit or window",
            "remaining=1 reset=2 policy=x",
            "RateLimit-Policy: \"y\";q=10;w=60", "RateLimit: \"x\";r=1;t=2"),
        row("a policy without a window still gives the limit",
            "limit=100 remaining=0 reset=50 policy=p",
            "RateLimit-Policy: \"p\";q=100", "RateLimit: \"p\";r=0;t=50"),
        // Drafts 08-10: malformed fields are ignored whole.
        row("a negative remaining makes RateLimit malformed", "empty",
            "RateLimit: \"a\";r=-1;t=5"),
        row("a decimal reset makes RateLimit malformed, not rounded", "empty",
            "RateLimit: \"a\";r=0;t=1.5"),
        row("one bad item makes the whole field malformed", "empty",
            "RateLimit: \"a\";r=0;t=30, \"b\";r=\"1\";t=5"),
        row("a decimal quota makes RateLimit-Policy malformed, RateLimit still counts",
            "remaining=1 reset=1 policy=a",
            "RateLimit-Policy: \"a\";q=10.0;w=60", "RateLimit: \"a\";r=1;t=1"),
        row("a syntax error in a later item ignores the field", "empty",
            "RateLimit: \"a\";r=0;t=30, \"b\";r=1;t="),
        row("a space before a parameter is a syntax error", "empty", "RateLimit: \"a\" ;r=0;t=3"),
        row("a trailing comma is a syntax error", "empty", "RateLimit: \"a\";r=0;t=3,"),
        row("an integer is not a policy name", "empty", "RateLimit: 5;r=1;t=3"),
        row("an inner list is not a policy name", "empty", "RateLimit: (\"a\" \"b\");r=1;t=3"),
        row("a bad line spoils the lines it is joined with", "empty",
            "RateLimit: \"a\";r=0;t=3", "RateLimit: \"b\";r=?"),
        row("16 digits are not a Structured Field integer", "empty",
            "RateLimit: \"a\";r=1234567890123456"),
        row("15 digits are", "remaining=999999999999999 policy=a",
            "RateLimit: \"a\";r=999999999999999"),
        // Resets: delta-seconds or a Unix time, in every family.
        row("a 15-digit reset is far-future epoch milliseconds", "remaining=0 reset=MAX policy=a",
            "RateLimit: \"a\";r=0;t=999999999999999"),
        row("a reset of a billion is epoch seconds in 2001: past", "remaining=0 reset=0 policy=a",
            "RateLimit: \"a\";r=0;t=1000000000"),
        row("a reset just under a billion is a delta, saturated", "remaining=0 reset=MAX policy=a",
            "RateLimit: \"a\";r=0;t=999999999"),
        row("an epoch-seconds reset a minute ahead", "remaining=0 reset=60 policy=a",
            "RateLimit: \"a\";r=0;t=1795341660"),
        // Draft 07: the RateLimit dictionary.
        row("the draft 07 dictionary", "limit=100 remaining=0 reset=30",
            "RateLimit: limit=100, remaining=0, reset=30"),
        row("dictionary members in any order, unknown ones ignored",
            "limit=100 remaining=5 reset=30",
            "RateLimit: reset=30;x=1, policy=\"p\", remaining=5, limit=100, ok"),
        row("a repeated dictionary key: the last wins", "remaining=3",
            "RateLimit: remaining=5, remaining=3"),
        row("a negative dictionary value ignores the dictionary", "empty",
            "RateLimit: limit=100, remaining=-1, reset=30"),
        row("a decimal dictionary reset ignores the dictionary", "empty",
            "RateLimit: limit=100, reset=2.5"),
        row("a boolean dictionary value ignores the dictionary", "empty",
            "RateLimit: limit, remaining=1"),
        row("a numbered policy matching the dictionary limit gives the window",
            "limit=10 remaining=1 reset=1 window=1",
            "RateLimit: limit=10, remaining=1, reset=1", "RateLimit-Policy: 10;w=1, 50;w=60"),
        // Drafts 03-06: separate Integer fields.
        row("the separate fields", "limit=100 remaining=99 reset=60",
            "RateLimit-Limit: 100", "RateLimit-Remaining: 99", "RateLimit-Reset: 60"),
        row("RateLimit-Limit with quota policies, as in draft 03",
            "limit=10 window=1", "RateLimit-Limit: 10, 10;w=1, 50;w=60"),
        row("a numbered policy whose quota is the limit gives the window",
            "limit=50 window=60", "RateLimit-Limit: 50", "RateLimit-Policy: 10;w=1, 50;w=60"),
        row("a lone numbered policy gives limit and window", "limit=100 window=60",
            "RateLimit-Policy: 100;w=60"),
        row("RateLimit-Reset as epoch seconds", "reset=120", "RateLimit-Reset: 1795341720"),
        row("RateLimit-Reset with a parameter is still an Integer", "reset=30",
            "RateLimit-Reset: 30;foo=bar"),
        row("a repeated RateLimit-Remaining is a list, not an Integer", "empty",
            "RateLimit-Remaining: 5", "RateLimit-Remaining: 5"),
        row("a negative RateLimit-Remaining is absent", "empty", "RateLimit-Remaining: -5"),
        row("a 16-digit RateLimit-Reset is no Structured Field", "empty",
            "RateLimit-Reset: 1234567890123456"),
        // X-RateLimit-* and X-Rate-Limit-*.
        row("GitHub: epoch seconds an hour ahead",
            "limit=5000 remaining=4999 reset=3600",
            "X-RateLimit-Limit: 5000", "X-RateLimit-Remaining: 4999",
            "X-RateLimit-Reset: 1795345200"),
        row("Twitter's X-Rate-Limit spelling", "limit=900 remaining=0 reset=300",
            "x-rate-limit-limit: 900", "x-rate-limit-remaining: 0",
            "x-rate-limit-reset: 1795341900"),
        row("a delta reset", "reset=60", "X-RateLimit-Reset: 60"),
        row("epoch milliseconds keep their fraction", "reset=30.5",
            "X-RateLimit-Reset: 1795341630500"),
        row("a past epoch reset is zero", "reset=0", "X-RateLimit-Reset: 1700000000"),
        row("one second under MAX", "reset=31535999", "X-RateLimit-Reset: 31535999"),
        row("exactly MAX", "reset=MAX", "X-RateLimit-Reset: 31536000"),
        row("a reset too long for a long saturates", "reset=MAX",
            "X-RateLimit-Reset: 99999999999999999999999"),
        row("Long.MAX_VALUE is a limit", "limit=9223372036854775807",
            "X-RateLimit-Limit: 9223372036854775807"),
        row("a limit past Long.MAX_VALUE is absent", "empty",
            "X-RateLimit-Limit: 9223372036854775808"),
        row("signs, fractions, units and hex are absent", "empty",
            "X-RateLimit-Limit: +5", "X-RateLimit-Remaining: -1", "X-RateLimit-Reset: 1.5",
            "X-Rate-Limit-Limit: 10 requests", "X-Rate-Limit-Remaining: 0x10",
            "X-Rate-Limit-Reset: 60s"),
        row("non-ASCII digits are absent", "empty", "X-RateLimit-Remaining: \u0661\u0662"),
        row("the first valid line wins", "remaining=7",
            "X-RateLimit-Remaining: abc", "X-RateLimit-Remaining: 7",
            "X-RateLimit-Remaining: 8"),
        row("a comma-joined line is not split", "empty", "X-RateLimit-Remaining: 5, 5"),
        row("spaces and tabs around digits are trimmed", "remaining=42",
            "X-RateLimit-Remaining:  \t42\t "),
        row("X-RateLimit wins over X-Rate-Limit", "limit=1 remaining=2 reset=3",
            "X-Rate-Limit-Limit: 10", "X-Rate-Limit-Remaining: 20", "X-Rate-Limit-Reset: 30",
            "X-RateLimit-Limit: 1", "X-RateLimit-Remaining: 2", "X-RateLimit-Reset: 3"),
        // Precedence between families, field by field.
        row("the current draft wins over every older family",
            "limit=100 remaining=0 reset=30 window=60 policy=burst",
            BURST_AND_DAILY, "RateLimit: \"burst\";r=0;t=30, \"daily\";r=20;t=3600",
            "RateLimit-Limit: 7", "RateLimit-Remaining: 7", "RateLimit-Reset: 7",
            "X-RateLimit-Limit: 8", "X-RateLimit-Remaining: 8", "X-RateLimit-Reset: 8"),
        row("a field the current draft lacks comes from the next family",
            "limit=60 remaining=1 reset=2 policy=a",
            "RateLimit: \"a\";r=1;t=2", "X-RateLimit-Limit: 60", "X-RateLimit-Remaining: 9"),
        row("the dictionary wins over the separate fields", "limit=100 remaining=0 reset=30",
            "RateLimit: limit=100, remaining=0, reset=30",
            "RateLimit-Limit: 7", "RateLimit-Remaining: 7", "RateLimit-Reset: 7"),
        row("the separate fields win over X-RateLimit", "limit=100 remaining=99 reset=8",
            "RateLimit-Limit: 100", "RateLimit-Remaining: 99",
            "X-RateLimit-Limit: 8", "X-RateLimit-Remaining: 8", "X-RateLimit-Reset: 8"),
        row("a window is never paired with another family's limit",
            "limit=100 remaining=1 policy=a",
            "RateLimit-Policy: \"a\";q=100", "RateLimit: \"a\";r=1",
            "RateLimit-Limit: 50, 50;w=60"),
        row("a malformed RateLimit falls through to X-RateLimit", "remaining=7 reset=9",
            "RateLimit: \"a\";r=-1;t=5", "X-RateLimit-Remaining: 7", "X-RateLimit-Reset: 9"),
        row("header names in any case",
            "limit=1000 remaining=5 reset=3600 window=86400 policy=daily",
            "RATELIMIT-POLICY: \"burst\";q=100;w=60, \"daily\";q=1000;w=86400",
            "ratelimit: \"burst\";r=80;t=30, \"daily\";r=5;t=3600"),
        // Nothing.
        row("no headers", "empty"),
        row("blank lines only", "empty",
            "RateLimit:  ", "RateLimit-Policy: \t", "X-RateLimit-Remaining: "));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void headersReadAsTheVectorSays(String what, String expected, List<String> lines) {
    assertEquals(expected, describe(RateLimitStatus.parse(headers(lines), NOW)));
  }

  @Test
  void epochResetsAreExactToTheNanosecondOfNow() {
    Instant now = NOW.plusNanos(250_000_000);
    RateLimitStatus status =
        RateLimitStatus.parse(headers(List.of("X-RateLimit-Reset: 1795341660")), now);
    assertEquals(Duration.ofMillis(59_750), status.reset().orElseThrow());
  }

  @Test
  void deltaResetsIgnoreTheNanosecondsOfNow() {
    Instant now = NOW.plusNanos(250_000_000);
    RateLimitStatus status = RateLimitStatus.parse(headers(List.of("X-RateLimit-Reset: 60")), now);
    assertEquals(Duration.ofSeconds(60), status.reset().orElseThrow());
  }

  @Test
  void lowerFamiliesAreNotLookedUpOnceEveryFieldIsKnown() {
    List<String> asked = new ArrayList<>();
    Function<String, List<String>> all =
        headers(List.of(BURST_AND_DAILY, "RateLimit: \"burst\";r=0;t=30"));
    RateLimitStatus.parse(name -> { asked.add(name); return all.apply(name); }, NOW);
    // The first lookup is the presence probe, which stops at the first family it finds.
    assertEquals(List.of("RateLimit", "RateLimit", "RateLimit-Policy"), asked);
  }

  @Test
  void aResponseWithNoRateLimitFieldIsProbedOnceForEachNameAndParsesNothing() {
    List<String> asked = new ArrayList<>();
    assertTrue(RateLimitStatus.parse(name -> { asked.add(name); return List.of(); }, NOW).isEmpty());
    assertEquals(11, asked.size());
    assertEquals(11, new java.util.HashSet<>(asked).size(), "each name once: " + asked);
  }

  @Test
  void nullListFromTheHeaderFunctionIsAbsent() {
    assertTrue(RateLimitStatus.parse(name -> null, NOW).isEmpty());
  }

  @Test
  void nullLinesAreSkipped() {
    Map<String, List<String>> map = Map.of(
        "RateLimit", Arrays.asList(null, "\"a\";r=1;t=2", null),
        "X-RateLimit-Limit", Arrays.asList(null, "60"));
    assertEquals("limit=60 remaining=1 reset=2 policy=a",
        describe(RateLimitStatus.parse(name -> map.getOrDefault(name, List.of()), NOW)));
  }

  @Test
  void nullArgumentsAreRejectedByName() {
    NullPointerException noHeaders =
        assertThrows(NullPointerException.class, () -> RateLimitStatus.parse(null, NOW));
    assertEquals("headers == null", noHeaders.getMessage());
    NullPointerException noNow =
        assertThrows(NullPointerException.class, () -> RateLimitStatus.parse(name -> null, null));
    assertEquals("now == null", noNow.getMessage());
  }

  @Test
  void nearlySpentComparesRemainingWithAFractionOfTheLimit() {
    RateLimitStatus status = parse("X-RateLimit-Limit: 100", "X-RateLimit-Remaining: 10");
    assertTrue(status.nearlySpent(0.1));
    assertTrue(status.nearlySpent(1));
    assertFalse(status.nearlySpent(0.09));
    assertFalse(status.nearlySpent(0));
  }

  @Test
  void nearlySpentAtZeroMeansNothingRemains() {
    assertTrue(parse("X-RateLimit-Limit: 100", "X-RateLimit-Remaining: 0").nearlySpent(0));
  }

  @Test
  void nearlySpentIsFalseWhenLimitOrRemainingIsUnknown() {
    assertFalse(parse("X-RateLimit-Remaining: 0").nearlySpent(1));
    assertFalse(parse("X-RateLimit-Limit: 100").nearlySpent(1));
  }

  @Test
  void nearlySpentRejectsFractionsOutsideZeroToOne() {
    RateLimitStatus status = parse("X-RateLimit-Limit: 100", "X-RateLimit-Remaining: 0");
    for (double fraction : new double[] {-0.01, 1.01, Double.NaN, Double.POSITIVE_INFINITY}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> status.nearlySpent(fraction));
      assertEquals("fraction must be between 0 and 1: " + fraction, e.getMessage());
    }
  }

  @Test
  void emptyStatusKnowsNothing() {
    RateLimitStatus status = parse();
    assertTrue(status.isEmpty());
    assertTrue(status.limit().isEmpty());
    assertTrue(status.remaining().isEmpty());
    assertTrue(status.reset().isEmpty());
    assertTrue(status.window().isEmpty());
    assertEquals(null, status.policyName());
    assertEquals("RateLimitStatus{}", status.toString());
  }

  @Test
  void statusWithAnyValueIsNotEmpty() {
    assertFalse(parse("X-RateLimit-Reset: 0").isEmpty());
    assertFalse(parse("RateLimit-Policy: \"p\"").isEmpty()); // the name alone
  }

  @Test
  void equalHeadersGiveEqualValues() {
    String[] lines = {BURST_AND_DAILY, "RateLimit: \"burst\";r=0;t=30"};
    assertEquals(parse(lines), parse(lines));
    assertEquals(parse(lines).hashCode(), parse(lines).hashCode());
    assertNotEquals(parse(lines), parse("RateLimit: \"burst\";r=1;t=30"));
  }

  @Test
  void toStringListsTheKnownValues() {
    assertEquals(
        "RateLimitStatus{limit=100, remaining=0, reset=PT30S, window=PT1M, policy=burst}",
        parse(BURST_AND_DAILY, "RateLimit: \"burst\";r=0;t=30").toString());
    assertEquals("RateLimitStatus{remaining=3}", parse("X-RateLimit-Remaining: 3").toString());
  }

  private static RateLimitStatus parse(String... lines) {
    return RateLimitStatus.parse(headers(List.of(lines)), NOW);
  }

  private static Arguments row(String what, String expected, String... lines) {
    return Arguments.of(what, expected, List.of(lines));
  }

  /** Header lines "Name: value" as a transport would serve them: by name in any case, in order. */
  static Function<String, List<String>> headers(List<String> lines) {
    Map<String, List<String>> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String line : lines) {
      int colon = line.indexOf(':');
      String value = line.substring(colon + 1);
      if (value.startsWith(" ")) value = value.substring(1);
      byName.computeIfAbsent(line.substring(0, colon), name -> new ArrayList<>()).add(value);
    }
    return name -> byName.getOrDefault(name, List.of());
  }

  static String describe(RateLimitStatus status) {
    List<String> parts = new ArrayList<>();
    status.limit().ifPresent(limit -> parts.add("limit=" + limit));
    status.remaining().ifPresent(remaining -> parts.add("remaining=" + remaining));
    status.reset().ifPresent(reset -> parts.add("reset=" + seconds(reset)));
    status.window().ifPresent(window -> parts.add("window=" + seconds(window)));
    if (status.policyName() != null) parts.add("policy=" + status.policyName());
    return parts.isEmpty() ? "empty" : String.join(" ", parts);
  }

  private static String seconds(Duration duration) {
    if (duration.equals(RetryAfter.MAX)) return "MAX";
    return BigDecimal.valueOf(duration.getSeconds())
        .add(BigDecimal.valueOf(duration.getNano(), 9))
        .stripTrailingZeros()
        .toPlainString();
  }
}
