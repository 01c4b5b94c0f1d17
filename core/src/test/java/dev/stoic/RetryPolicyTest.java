package dev.stoic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  @Test
  void aNegativeDeadlineWasToldItMustBeAtLeastZeroThoughZeroIsRejectedToo() {
    // Regression: the message said ">= 0" for a check that also rejects zero.
    assertEquals("deadline must be > 0: PT-1S", assertThrows(IllegalArgumentException.class,
        () -> RetryPolicy.builder().deadline(Duration.ofSeconds(-1))).getMessage());
    assertEquals("attemptTimeout must be > 0: PT-1S", assertThrows(IllegalArgumentException.class,
        () -> RetryPolicy.builder().attemptTimeout(Duration.ofSeconds(-1))).getMessage());
    assertEquals("base must be > 0: PT-1S", assertThrows(IllegalArgumentException.class,
        () -> Backoff.exponential(Duration.ofSeconds(-1), Duration.ofSeconds(1))).getMessage());
  }
}
