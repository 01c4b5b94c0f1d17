package dev.stoic.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The hint headers besides Retry-After: waits in milliseconds and a server's say on retrying. */
class ServerHintsTest {
  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  /** Headers matched in any case, each line a value; counts the lookups. */
  static final class Headers implements HeaderLookup {
    final Map<String, List<String>> lines = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    final AtomicInteger lookups = new AtomicInteger();

    Headers add(String name, String value) {
      lines.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
      return this;
    }

    @Override
    public List<String> values(String name) {
      lookups.incrementAndGet();
      return lines.getOrDefault(name, List.of());
    }
  }

  static ServerHints hints(Headers headers) {
    return ServerHints.of(headers, NOW);
  }

  @Test
  void millisecondValuesAreReadExactlyAndOddOnesAreAbsent() {
    Map<String, Long> vectors = new java.util.LinkedHashMap<>();
    vectors.put("250", 250_000_000L);
    vectors.put("0", 0L);
    vectors.put("  1500\t", 1_500_000_000L);
    vectors.put("1500.5", 1_500_500_000L);
    vectors.put("0.000001", 1L);
    vectors.put("007", 7_000_000L);
    vectors.put("99999999999999999999999", RetryAfter.MAX.toNanos());
    vectors.put(Long.toString(RetryAfter.MAX.toMillis() + 1), RetryAfter.MAX.toNanos());
    for (String invalid : new String[] {"", " ", "-1", "+5", "1e3", "5.", ".5", "5 ms", "5ms",
        "1,5", "1 000", "\u0665", "0x10", "NaN", "Infinity", "1.2.3"}) {
      vectors.put(invalid, -1L);
    }
    vectors.forEach((value, nanos) -> {
      assertEquals(nanos, ServerHints.parseMillis(value), "\"" + value + "\"");
      long delay = hints(new Headers().add("retry-after-ms", value)).delayNanos();
      assertEquals(nanos, delay, "retry-after-ms: \"" + value + "\"");
    });
  }

  @Test
  void millisecondsWinOverRetryAfterAndTheFirstConfiguredNameWins() {
    Headers headers = new Headers().add("Retry-After", "5").add("X-MS-Retry-After-Ms", "1200")
        .add("Retry-After-Ms", "300");
    ServerHints hints = hints(headers);
    assertEquals(300_000_000L, hints.delayNanos());
    assertEquals("retry-after-ms", hints.delaySource(HintHeaders.defaults()));
    assertEquals(5_000_000_000L, hints.retryAfterNanos(), "Retry-After itself is still there");

    HintHeaders azureFirst = HintHeaders.of(List.of("x-ms-retry-after-ms", "retry-after-ms"), List.of());
    assertEquals(1_200_000_000L, hints.delayNanos(azureFirst));
    assertEquals("x-ms-retry-after-ms", hints.delaySource(azureFirst));

    assertEquals(5_000_000_000L, hints.delayNanos(HintHeaders.none()));
    assertEquals("Retry-After", hints.delaySource(HintHeaders.none()));

    // An invalid millisecond value falls through to the next name, then to Retry-After.
    ServerHints broken = hints(new Headers().add("retry-after-ms", "soon")
        .add("retry-after-ms", "40").add("Retry-After", "5"));
    assertEquals(40_000_000L, broken.delayNanos(), "the first valid line of a repeated header");
    ServerHints none = hints(new Headers().add("retry-after-ms", "soon").add("Retry-After", "5"));
    assertEquals(5_000_000_000L, none.delayNanos());
    ServerHints nothing = hints(new Headers());
    assertEquals(-1, nothing.delayNanos());
    assertNull(nothing.delaySource(HintHeaders.defaults()));
  }

  @Test
  void shouldRetryIsTrueOrFalseInAnyCaseAndTheFirstConfiguredNameWins() {
    assertEquals(Optional.of(false), hints(new Headers().add("x-should-retry", " FALSE "))
        .shouldRetry(HintHeaders.defaults()));
    assertEquals(Optional.of(true), hints(new Headers().add("stripe-should-retry", "true"))
        .shouldRetry(HintHeaders.defaults()));
    for (String invalid : new String[] {"", "yes", "1", "t", "truee", "no", "\u00a0true"}) {
      assertEquals(Optional.empty(), hints(new Headers().add("x-should-retry", invalid))
          .shouldRetry(HintHeaders.defaults()), "\"" + invalid + "\"");
    }
    Headers both = new Headers().add("Stripe-Should-Retry", "true").add("x-should-retry", "false");
    assertEquals(Optional.of(false), hints(both).shouldRetry(HintHeaders.defaults()));
    assertEquals("x-should-retry", hints(both).shouldRetrySource(HintHeaders.defaults()));
    HintHeaders stripeFirst = HintHeaders.of(List.of(), List.of("Stripe-Should-Retry", "x-should-retry"));
    assertEquals(Optional.of(true), hints(both).shouldRetry(stripeFirst));
    assertEquals(Optional.empty(), hints(both).shouldRetry(HintHeaders.none()));
  }

  @Test
  void hintHeadersAreReadOncePerSetOfNames() {
    Headers headers = new Headers().add("retry-after-ms", "100");
    ServerHints hints = hints(headers);
    hints.delayNanos();
    int once = headers.lookups.get();
    for (int i = 0; i < 10; i++) {
      hints.delayNanos();
      hints.delaySource(HintHeaders.defaults());
      hints.shouldRetry(HintHeaders.defaults());
    }
    assertEquals(once, headers.lookups.get());
    assertTrue(once <= 4, once + " lookups");
  }

  @Test
  void badNamesAreRefusedNamingTheirList() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HintHeaders.of(List.of("retry after"), List.of()));
    assertEquals("delayMillis: not a valid header name: \"retry after\"", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> HintHeaders.of(List.of("Retry-After"), List.of()));
    assertThrows(IllegalArgumentException.class, () -> HintHeaders.of(List.of(), List.of("")));
    assertThrows(NullPointerException.class, () -> HintHeaders.of(null, List.of()));
    assertThrows(NullPointerException.class,
        () -> HintHeaders.of(List.of(), java.util.Arrays.asList("x", null)));
    assertEquals(HintHeaders.defaults(), HintHeaders.of(HintHeaders.DEFAULT_DELAY_MILLIS,
        HintHeaders.DEFAULT_SHOULD_RETRY));
  }

  @Test
  void noneSaysNothing() {
    assertEquals(-1, ServerHints.NONE.delayNanos());
    assertEquals(Optional.empty(), ServerHints.NONE.shouldRetry(HintHeaders.defaults()));
    assertEquals(Optional.empty(), hints(new Headers().add("retry-after-ms", "0")).retryAfter(),
        "retryAfter() is Retry-After alone");
  }
}
