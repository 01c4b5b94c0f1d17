package dev.stoic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.engine.RetryExecutor;
import dev.stoic.spi.CallInfo;
import dev.stoic.spi.Cancellation;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.VirtualClock;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stoic's Flight Recorder events are written only while a recording enables them, and read back
 * from the recording file with the fields JDK Mission Control shows.
 */
class FlightEventsTest {
  @TempDir Path temp;

  final VirtualClock clock = new VirtualClock();
  final RetryPolicy policy = RetryPolicy.builder()
      .clock(clock)
      .random(() -> 0.25)
      .backoff(Backoff.fixed(Duration.ofMillis(100)))
      .build();
  final List<Boolean> observed = new ArrayList<>();

  @Test
  void attemptsAndWaitsAreRecordedWhenARecordingEnablesThem() throws Exception {
    List<RecordedEvent> events;
    try (Recording recording = new Recording()) {
      recording.enable("dev.stoic.Attempt");
      recording.enable("dev.stoic.Wait");
      recording.start();
      call(FakeResponse.of(503, "Retry-After", "1"), new SocketTimeoutException("Read timed out"),
          FakeResponse.of(200));
      recording.stop();
      Path file = temp.resolve("stoic.jfr");
      recording.dump(file);
      events = RecordingFile.readAllEvents(file).stream()
          .filter(e -> e.getEventType().getName().startsWith("dev.stoic."))
          .collect(Collectors.toList());
    }
    assertEquals(List.of(true), observed);

    List<RecordedEvent> attempts = named(events, "dev.stoic.Attempt");
    assertEquals(3, attempts.size(), events.toString());
    RecordedEvent first = attempts.get(0);
    assertEquals(1, first.getInt("attempt"));
    assertEquals("GET", first.getString("method"));
    assertEquals("https://api.example.com/orders?token=REDACTED", first.getString("url"));
    assertEquals("api.example.com", first.getString("host"));
    assertEquals(503, first.getInt("status"));
    assertNull(first.getString("exception"));
    assertEquals("retry", first.getString("action"));
    assertEquals("hint", first.getString("cause"));
    // 1 s of Retry-After + 0.25 x 100 ms of spread, 925 ms beyond the 100 ms backoff.
    assertEquals(Duration.ofMillis(1025), first.getDuration("wait"));
    assertEquals(Duration.ofMillis(925), first.getDuration("hintedWait"));
    assertEquals(-1, first.getInt("resends"));

    RecordedEvent second = attempts.get(1);
    assertEquals(-1, second.getInt("status"));
    assertEquals("java.net.SocketTimeoutException", second.getString("exception"));
    assertEquals("exception", second.getString("cause"));
    assertEquals(Duration.ofMillis(100), second.getDuration("wait"));

    RecordedEvent third = attempts.get(2);
    assertEquals(200, third.getInt("status"));
    assertEquals("return", third.getString("action"));
    assertEquals("status", third.getString("cause"));

    List<RecordedEvent> waits = named(events, "dev.stoic.Wait");
    assertEquals(2, waits.size(), events.toString());
    assertEquals("retry", waits.get(0).getString("kind"));
    assertEquals("hint", waits.get(0).getString("cause"));
    assertEquals(Duration.ofMillis(1025), waits.get(0).getDuration("planned"));
    assertEquals(Duration.ofMillis(925), waits.get(0).getDuration("hinted"));
    assertEquals(Duration.ofMillis(100), waits.get(1).getDuration("planned"));
    assertEquals("api.example.com", waits.get(1).getString("host"));
  }

  @Test
  void aRecordingWithoutStoicsEventsLeavesCallsUnobserved() throws Exception {
    try (Recording recording = new Recording()) {
      recording.enable("jdk.ThreadSleep"); // a recording is running, but not for Stoic
      recording.start();
      call(FakeResponse.of(200));
      recording.stop();
      Path file = temp.resolve("other.jfr");
      recording.dump(file);
      assertFalse(RecordingFile.readAllEvents(file).stream()
          .anyMatch(e -> e.getEventType().getName().startsWith("dev.stoic.")));
    }
    assertEquals(List.of(false), observed, "no observer was made for the call");
  }

  @Test
  void theEventsAreDisabledUntilARecordingAsksForThem() throws Exception {
    try (Recording recording = new Recording(jdk.jfr.Configuration.getConfiguration("profile"))) {
      recording.start();
      call(FakeResponse.of(200));
      recording.stop();
      Path file = temp.resolve("profile.jfr");
      recording.dump(file);
      assertTrue(RecordingFile.readAllEvents(file).stream()
          .noneMatch(e -> e.getEventType().getName().startsWith("dev.stoic.")),
          "even the JDK's profile settings leave Stoic's events off");
    }
    assertEquals(List.of(false), observed);
  }

  private void call(Object... script) throws Exception {
    List<Object> left = new ArrayList<>(List.of(script));
    new RetryExecutor(policy).execute(
        CallInfo.builder("GET", "https://api.example.com/orders?token=s3cret").build(),
        context -> {
          if (context.number() == 1) observed.add(context.observed());
          Object next = left.remove(0);
          if (next instanceof SocketTimeoutException) throw (SocketTimeoutException) next;
          return (FakeResponse) next;
        },
        FakeResponse.ACCESS, Cancellation.NEVER);
  }

  private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
    return events.stream()
        .filter(e -> e.getEventType().getName().equals(name))
        .sorted((a, b) -> a.getStartTime().compareTo(b.getStartTime()))
        .collect(Collectors.toList());
  }
}
