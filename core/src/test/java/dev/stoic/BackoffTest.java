package dev.stoic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void retryIntegerMinValueOverflowedToTheCapInsteadOfTheFirstRetryWait() {
    // Regression: the exponent was max(0, retry - 1), and MIN_VALUE - 1 is MAX_VALUE.
    Backoff backoff =
        Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30)).noJitter();
    assertEquals(1_000_000_000L, backoff.delayNanos(Integer.MIN_VALUE, 0, 0.5));
    assertEquals(1_000_000_000L, backoff.delayNanos(0, 0, 0.5));
  }
}
