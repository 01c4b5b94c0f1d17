package dev.stoic.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Properties of {@link RateLimitStatus#parse} over generated headers: it never throws, never
 * leaves its bounds, and agrees with simple oracles on valid input.
 *
 * <p>Every run uses the same seed, so a failure reproduces; its message names the seed, the
 * iteration and the input. Run with {@code -Dstoic.seed=N} to explore other inputs.
 */
class RateLimitStatusPropertiesTest {
  static final long SEED = Long.getLong("stoic.seed", 0x5701C_2026_1122L);
  static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  static final long MAX_SECONDS = RetryAfter.MAX.getSeconds();

  static final List<String> NAMES = List.of(
      "RateLimit", "RateLimit-Policy", "RateLimit-Limit", "RateLimit-Remaining",
      "RateLimit-Reset", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset",
      "X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset");

  /** Pieces of valid and nearly valid rate-limit fields, for generating near misses. */
  static final List<String> PIECES = List.of(
      "\"burst\"", "\"daily\"", "\"", "default", "burst", "*", ";", "=", ",", ", ", " ", "\t",
      ";r=", ";t=", ";q=", ";w=", ";pk=", ";qu=\"request\"", "r", "t", "q", "w", "0", "1", "30",
      "-1", "1.5", "0.001", "1234567890123456", "999999999999999", "1795341660",
      "1795341630000", "99999999999999999999", ":cHsdsRa894==:", ":", "?1", "?0", "?", "(", ")",
      "@1795341660", "%\"caf%c3%a9\"", "%\"%ff\"", "\\", "\\\"", "limit=", "remaining=",
      "reset=", "limit=100", "remaining=0", "reset=30", "\u00e9", "\u0661", "\r\n", "\u0000");

  @Test
  void noHeaderValueUnderAnyNameMakesParseThrowOrLeaveItsBounds() {
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < 12_000; i++) {
      String value = anyValue(random);
      Instant now = anyInstant(random);
      for (String name : NAMES) {
        assertWithinBounds(i, Map.of(name, List.of(value)), now);
      }
    }
  }

  @Test
  void noMixOfHeadersAndRepeatedLinesMakesParseThrowOrLeaveItsBounds() {
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < 10_000; i++) {
      Map<String, List<String>> headers = new LinkedHashMap<>();
      int count = 1 + random.nextInt(6);
      for (int h = 0; h < count; h++) {
        String name = NAMES.get(random.nextInt(NAMES.size()));
        headers.computeIfAbsent(name, n -> new ArrayList<>()).add(anyValue(random));
      }
      assertWithinBounds(i, headers, anyInstant(random));
    }
  }

  @Test
  void digitsInALegacyCountReadAsTheirValueUnlessTooLongForALong() {
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < 10_000; i++) {
      String digits = fromAlphabet(random, "0123456789", 1 + random.nextInt(25));
      BigInteger number = new BigInteger(digits);
      String value = ows(random) + digits + ows(random);
      String name = random.nextBoolean() ? "X-RateLimit-Remaining" : "X-Rate-Limit-Limit";
      Map<String, List<String>> headers = Map.of(name, List.of(value));
      RateLimitStatus status = parse(headers, NOW);
      OptionalLong expected = number.bitLength() < 64
          ? OptionalLong.of(number.longValueExact()) : OptionalLong.empty();
      OptionalLong actual = name.endsWith("Remaining") ? status.remaining() : status.limit();
      int iteration = i;
      assertEquals(expected, actual, () -> context(iteration, headers, NOW));
    }
  }

  @Test
  void everyResetFollowsTheDeltaOrEpochRuleInEveryFamily() {
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < 10_000; i++) {
      long value = anyResetNumber(random);
      Instant now = random.nextInt(8) == 0 ? anyInstant(random) : nearNow(random);
      Map<String, List<String>> headers;
      switch (random.nextInt(4)) {
        case 0:
          headers = Map.of("RateLimit", List.of("\"p\";r=0;t=" + value));
          break;
        case 1:
          headers = Map.of("RateLimit", List.of("remaining=0, reset=" + value));
          break;
        case 2:
          headers = Map.of("RateLimit-Reset", List.of(Long.toString(value)));
          break;
        default:
          headers = Map.of("X-RateLimit-Reset", List.of(Long.toString(value)));
      }
      int iteration = i;
      assertEquals(
          Optional.of(expectedReset(value, now)), parse(headers, now).reset(),
          () -> context(iteration, headers, now));
    }
  }

  @Test
  void theItemWithTheLeastRemainingAndThenTheLongestResetBinds() {
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < 10_000; i++) {
      int count = 1 + random.nextInt(6);
      List<String> items = new ArrayList<>();
      List<String> policies = new ArrayList<>();
      long bestR = Long.MAX_VALUE;
      long bestT = -2;
      int best = -1;
      for (int k = 0; k < count; k++) {
        long r = random.nextInt(4);
        long t = random.nextInt(4) == 0 ? -1 : random.nextInt(5);
        String name = "p" + k;
        items.add((random.nextBoolean() ? name : '"' + name + '"')
            + ";r=" + r + (t < 0 ? "" : ";t=" + t) + (random.nextBoolean() ? ";x=?1" : ""));
        policies.add('"' + name + "\";q=" + (100 + k) + ";w=" + (60 + k));
        if (r < bestR || (r == bestR && t > bestT)) {
          bestR = r;
          bestT = t;
          best = k;
        }
      }
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      headers.put("RateLimit", splitOverLines(random, items));
      headers.put("RateLimit-Policy", splitOverLines(random, shuffled(random, policies)));
      RateLimitStatus status = parse(headers, NOW);
      int iteration = i;
      Supplier<String> context = () -> context(iteration, headers, NOW);
      assertEquals("p" + best, status.policyName(), context);
      assertEquals(OptionalLong.of(bestR), status.remaining(), context);
      assertEquals(
          bestT < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(bestT)),
          status.reset(), context);
      assertEquals(OptionalLong.of(100 + best), status.limit(), context);
      assertEquals(Optional.of(Duration.ofSeconds(60 + best)), status.window(), context);
    }
  }

  private static void assertWithinBounds(int i, Map<String, List<String>> headers, Instant now) {
    RateLimitStatus status;
    try {
      status = parse(headers, now);
    } catch (RuntimeException e) {
      throw new AssertionError("parse threw: " + context(i, headers, now), e);
    }
    Supplier<String> context = () -> context(i, headers, now);
    status.limit().ifPresent(limit -> assertTrue(limit >= 0, context));
    status.remaining().ifPresent(remaining -> assertTrue(remaining >= 0, context));
    status.reset().ifPresent(reset -> assertTrue(
        !reset.isNegative() && reset.compareTo(RetryAfter.MAX) <= 0, context));
    status.window().ifPresent(window -> assertTrue(!window.isNegative(), context));
    if (status.isEmpty() != status.toString().equals("RateLimitStatus{}")) fail(context);
  }

  /** An oracle for the rule in RateLimitNumbers, from java.time rather than its arithmetic. */
  private static Duration expectedReset(long value, Instant now) {
    if (value < 1_000_000_000L) return Duration.ofSeconds(Math.min(value, MAX_SECONDS));
    Instant at = value < 1_000_000_000_000L
        ? Instant.ofEpochSecond(value) : Instant.ofEpochMilli(value);
    Duration wait = Duration.between(now, at);
    if (wait.isNegative()) return Duration.ZERO;
    return wait.compareTo(RetryAfter.MAX) > 0 ? RetryAfter.MAX : wait;
  }

  /** Values up to 15 digits (what a Structured Field integer holds), near every boundary. */
  private static long anyResetNumber(SplittableRandom random) {
    long nowSeconds = NOW.getEpochSecond();
    switch (random.nextInt(7)) {
      case 0: return random.nextLong(0, 2 * MAX_SECONDS);
      case 1: return random.nextLong(MAX_SECONDS - 3, MAX_SECONDS + 3);
      case 2: return random.nextLong(999_999_990L, 1_000_000_010L);
      case 3: return random.nextLong(nowSeconds - 2 * MAX_SECONDS, nowSeconds + 2 * MAX_SECONDS);
      case 4: return random.nextLong(999_999_999_990L, 1_000_000_000_010L);
      case 5: return random.nextLong(
          (nowSeconds - 2 * MAX_SECONDS) * 1000, (nowSeconds + 2 * MAX_SECONDS) * 1000);
      default: return random.nextLong(0, 1_000_000_000_000_000L);
    }
  }

  private static String anyValue(SplittableRandom random) {
    switch (random.nextInt(5)) {
      case 0: return anyUnicode(random);
      case 1: return fromAlphabet(random, "\"burst;=,rtqw0123456789 -.:?*()@%\t\\abc");
      case 2: return fromAlphabet(random, "0123456789 \t+-.,eE");
      default: return fromPieces(random);
    }
  }

  /** Any UTF-16 text, lone surrogates and controls included. */
  private static String anyUnicode(SplittableRandom random) {
    StringBuilder s = new StringBuilder();
    int length = random.nextInt(41);
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(4)) {
        case 0: s.append((char) random.nextInt(0x80)); break;
        case 1: s.append((char) random.nextInt(0x10000)); break;
        case 2: s.appendCodePoint(random.nextInt(0x10000, 0x110000)); break;
        default: s.append((char) random.nextInt(0xd800, 0xe000));
      }
    }
    return s.toString();
  }

  private static String fromAlphabet(SplittableRandom random, String alphabet) {
    return fromAlphabet(random, alphabet, random.nextInt(61));
  }

  private static String fromAlphabet(SplittableRandom random, String alphabet, int length) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    return s.toString();
  }

  private static String fromPieces(SplittableRandom random) {
    StringBuilder s = new StringBuilder();
    int count = random.nextInt(16);
    for (int i = 0; i < count; i++) s.append(PIECES.get(random.nextInt(PIECES.size())));
    return s.toString();
  }

  private static Instant anyInstant(SplittableRandom random) {
    if (random.nextInt(4) != 0) return nearNow(random);
    long second = random.nextLong(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond() + 1);
    return Instant.ofEpochSecond(second, random.nextInt(1_000_000_000));
  }

  private static Instant nearNow(SplittableRandom random) {
    return NOW.plusSeconds(random.nextLong(-MAX_SECONDS, MAX_SECONDS))
        .plusNanos(random.nextInt(1_000_000_000));
  }

  private static String ows(SplittableRandom random) {
    return fromAlphabet(random, " \t", random.nextInt(4));
  }

  /** The items as one line, or spread over several lines that RFC 8941 joins with commas. */
  private static List<String> splitOverLines(SplittableRandom random, List<String> items) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String item : items) {
      if (line.length() > 0 && random.nextInt(3) == 0) {
        lines.add(line.toString());
        line.setLength(0);
      }
      if (line.length() > 0) line.append(random.nextBoolean() ? ", " : ",\t");
      line.append(item);
    }
    lines.add(line.toString());
    return lines;
  }

  private static List<String> shuffled(SplittableRandom random, List<String> list) {
    List<String> copy = new ArrayList<>(list);
    for (int i = copy.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      copy.set(j, copy.set(i, copy.get(j)));
    }
    return copy;
  }

  /** Looks names up ignoring case, as transports do. */
  private static RateLimitStatus parse(Map<String, List<String>> headers, Instant now) {
    Function<String, List<String>> lookup = name -> {
      for (Map.Entry<String, List<String>> header : headers.entrySet()) {
        if (header.getKey().equalsIgnoreCase(name)) return header.getValue();
      }
      return List.of();
    };
    return RateLimitStatus.parse(lookup, now);
  }

  /** Says how to reproduce a failure: the seed, the iteration, and the input, escaped. */
  private static String context(int iteration, Map<String, List<String>> headers, Instant now) {
    StringBuilder s = new StringBuilder("seed=").append(SEED).append(" iteration=")
        .append(iteration).append(" now=").append(now).append(" headers={");
    headers.forEach((name, lines) -> {
      for (String line : lines) s.append(name).append(": \"").append(escape(line)).append("\"; ");
    });
    return s.append('}').toString();
  }

  private static String escape(String value) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        s.append(c);
      } else {
        s.append(String.format("\\u%04x", (int) c));
      }
    }
    return s.toString();
  }
}
