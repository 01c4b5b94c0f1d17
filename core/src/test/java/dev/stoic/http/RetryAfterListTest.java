package dev.stoic.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A repeated {@code Retry-After} header: the first line that is a valid hint wins. */
class RetryAfterListTest {
  static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  @Test
  void firstValidLineWins() {
    assertEquals(seconds(120), RetryAfter.parse(List.of("120", "60"), NOW));
  }

  @Test
  void invalidFirstLineIsSkipped() {
    assertEquals(seconds(60), RetryAfter.parse(List.of("soon", "60"), NOW));
  }

  @Test
  void severalInvalidLinesAreSkipped() {
    assertEquals(seconds(30), RetryAfter.parse(List.of("-1", "", "1.5", "30", "10"), NOW));
  }

  @Test
  void nullLinesAreSkipped() {
    assertEquals(seconds(60), RetryAfter.parse(Arrays.asList(null, "60", null), NOW));
  }

  @Test
  void nullListIsAbsent() {
    assertEquals(Optional.empty(), RetryAfter.parse((List<String>) null, NOW));
  }

  @Test
  void emptyListIsAbsent() {
    assertEquals(Optional.empty(), RetryAfter.parse(List.of(), NOW));
  }

  @Test
  void listOfOnlyInvalidOrNullLinesIsAbsent() {
    assertEquals(Optional.empty(), RetryAfter.parse(Arrays.asList("abc", null, " ", "+1"), NOW));
  }

  @Test
  void dateLineIsNotSplitOnItsComma() {
    assertEquals(seconds(120), RetryAfter.parse(List.of("Sun, 22 Nov 2026 10:02:00 GMT"), NOW));
  }

  @Test
  void commaSeparatedLineIsInvalidAsAWholeAndTheNextLineWins() {
    assertEquals(seconds(30), RetryAfter.parse(List.of("120, 60", "30"), NOW));
  }

  @Test
  void pastDateInTheFirstLineWinsAsZeroOverALaterDelta() {
    assertEquals(
        seconds(0), RetryAfter.parse(List.of("Sun, 06 Nov 1994 08:49:37 GMT", "60"), NOW));
  }

  @Test
  void firstValidLineWinsEvenWhenLaterLinesAreLonger() {
    assertEquals(
        seconds(5), RetryAfter.parse(List.of("5", "Sunday, 22-Nov-26 11:00:00 GMT"), NOW));
  }

  @Test
  void nullNowIsRejectedEagerly() {
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> RetryAfter.parse(List.of("1"), null));
    assertEquals("now == null", e.getMessage());
    assertThrows(NullPointerException.class, () -> RetryAfter.parse((List<String>) null, null));
    assertThrows(NullPointerException.class, () -> RetryAfter.parse("1", null));
  }

  private static Optional<Duration> seconds(long seconds) {
    return Optional.of(Duration.ofSeconds(seconds));
  }
}
