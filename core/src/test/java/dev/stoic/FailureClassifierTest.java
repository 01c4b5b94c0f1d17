package dev.stoic;

import static dev.stoic.FailureKind.INTERRUPTED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stoic.internal.FailureClassifier;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {
  @Test
  void aThreadInterruptedDuringChannelIoIsNotRetried() {
    // Regression: ClosedByInterruptException (an IOException, not an InterruptedIOException) was
    // classified AFTER_SEND, so an interrupted GET was retried.
    assertEquals(INTERRUPTED, FailureClassifier.classify(new ClosedByInterruptException()));
    assertEquals(INTERRUPTED, FailureClassifier.classify(
        new IOException("wrapped", new ClosedByInterruptException())));
  }
}
