package dev.stoic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stoic.Decision.Action;
import dev.stoic.http.FailureKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Regression: after serialization, attempts() threw a NullPointerException (history was transient). */
class RetriesExhaustedSerializationTest {
  @Test
  void historySurvivesSerializationSoAttemptsNoLongerThrowsAfterwards() throws Exception {
    List<RetryEvent> history = List.of(
        new RetryEvent(1, "GET", "https://api.example.com/items", 503, null, null, Action.RETRY,
            "503 is retryable", Duration.ofMillis(200), Duration.ofMillis(30)),
        new RetryEvent(2, "GET", "https://api.example.com/items", -1,
            SocketTimeoutException.class.getName(), FailureKind.AFTER_SEND, Action.GIVE_UP,
            "attempts exhausted", Duration.ZERO, Duration.ofMillis(260), true));
    RetriesExhaustedException original = new RetriesExhaustedException(
        "gave up after 2 attempts", new SocketTimeoutException("Read timed out"), history, -1);

    RetriesExhaustedException copy = roundTrip(original);

    assertEquals(2, copy.attempts());
    assertEquals(-1, copy.lastStatus());
    assertEquals(original.getMessage(), copy.getMessage());
    assertEquals(history.toString(), copy.history().toString());
    assertEquals(Duration.ofMillis(200), copy.history().get(0).waitTime());
    assertEquals(true, copy.history().get(1).hedge());
  }

  @Test
  void theCallersOwnExceptionKeepsTheHistoryThroughSerialization() throws Exception {
    SocketTimeoutException last = new SocketTimeoutException("Read timed out");
    last.addSuppressed(new RetriesExhaustedException("failed after 1 attempt", null, List.of(
        new RetryEvent(1, "GET", "https://api.example.com/items", -1,
            SocketTimeoutException.class.getName(), FailureKind.AFTER_SEND, Action.GIVE_UP,
            "no retry", Duration.ZERO, Duration.ofMillis(30))), -1));

    Throwable copy = roundTrip(last);

    assertEquals(1, RetriesExhaustedException.historyOf(copy).size());
    assertEquals("no retry", RetriesExhaustedException.historyOf(copy).get(0).reason());
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T roundTrip(T e)
      throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(e);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }
}
