package dev.stoic.config;

import dev.stoic.LivePolicy;
import dev.stoic.RetryPolicy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.testing.VirtualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A live policy following a settings file, polled in virtual time. */
class PolicyFileTest {
  final VirtualClock clock = new VirtualClock();
  final RetryPolicy base = RetryPolicy.builder().clock(clock).build();
  final LivePolicy live = LivePolicy.of(RetryPolicy.defaults());
  @TempDir Path dir;
  Path file;
  int version;

  /** Writes {@code text} to a properties file and has {@link #live} follow it. */
  PolicyFile watch(String text) throws Exception {
    file = dir.resolve("stoic.properties");
    write(file, text);
    return PolicyFile.watch(file, live, base, Duration.ofSeconds(5));
  }

  /** Writes {@code text} with a modification time of its own, as an editor's save would. */
  void write(Path file, String text) throws Exception {
    Files.writeString(file, text);
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")
        .plusSeconds(++version)));
  }

  @Test
  void aChangedFileIsReadOnTheNextPollAndCallsFollowIt() throws Exception {
    try (PolicyFile watched = watch("stoic.max-attempts=2\n")) {
      assertEquals(2, live.policy().maxAttempts());
      write(file, "stoic.max-attempts=4\nstoic.max-retry-after=2m\n");

      clock.advance(Duration.ofSeconds(4));
      assertEquals(2, live.policy().maxAttempts(), "not polled yet");
      clock.advance(Duration.ofSeconds(1));

      assertEquals(4, live.policy().maxAttempts());
      assertEquals(Duration.ofMinutes(2), live.policy().maxRetryAfter());
      assertEquals(clock, live.policy().clock(), "code settings come from the base");
      assertEquals(2, live.swaps());
      assertNull(watched.problems());
    }
  }

  @Test
  void aBadFileIsRefusedWholeWithEveryProblemNamedAndTheOldPolicyKept() throws Exception {
    try (PolicyFile watched = watch("stoic.max-attempts=3\n")) {
      write(file, "stoic.max-attempts=0\nstoic.max-retry-after=soon\nstoic.max-atempts=5\n");
      clock.advance(Duration.ofSeconds(5));

      assertEquals(3, live.policy().maxAttempts(), "the old policy stays");
      assertEquals(1, live.swaps());
      String problems = watched.problems();
      assertTrue(problems.contains("max-attempts"), problems);
      assertTrue(problems.contains("max-retry-after"), problems);
      assertTrue(problems.contains("max-atempts"), problems);

      write(file, "stoic.max-attempts=5\n");
      clock.advance(Duration.ofSeconds(5));
      assertEquals(5, live.policy().maxAttempts(), "a fixed file is read");
      assertNull(watched.problems());
    }
  }

  @Test
  void aFileThatIsBadAtTheStartIsRefusedAtOnce() throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> watch("stoic.max-attempts=many\n"));
    assertTrue(e.getMessage().contains("max-attempts"), e.getMessage());
    assertEquals(0, clock.pendingTasks(), "nothing is polled");
  }

  @Test
  void aMissingFileIsAProblemAndTheOldPolicyStays() throws Exception {
    try (PolicyFile watched = watch("stoic.max-attempts=3\n")) {
      Files.delete(file);
      clock.advance(Duration.ofSeconds(5));
      assertEquals(3, live.policy().maxAttempts());
      assertTrue(watched.problems().contains("cannot be read"), watched.problems());
    }
  }

  @Test
  void closedStopsPolling() throws Exception {
    watch("stoic.max-attempts=3\n").close();
    write(file, "stoic.max-attempts=4\n");
    clock.advance(Duration.ofSeconds(60));
    assertEquals(3, live.policy().maxAttempts());
  }

  @Test
  void yamlNestsKeysUnderStoicAsSpringBootWritesThem() throws Exception {
    Path yaml = dir.resolve("application.yml");
    write(yaml, String.join("\n",
        "server:",
        "  port: 8080",
        "stoic:",
        "  max-attempts: 4   # during the incident",
        "  max-retry-after: \"90s\"",
        "  routes:",
        "    payments:",
        "      host: pay.example.com",
        "      max-attempts: 2",
        "  retry-on-status: [500, 418]",
        ""));
    try (PolicyFile watched = PolicyFile.watch(yaml, live, base, Duration.ofSeconds(5))) {
      assertEquals(4, live.policy().maxAttempts());
      assertEquals(Duration.ofSeconds(90), live.policy().maxRetryAfter());
      assertEquals(2, live.routes().policyFor("pay.example.com", "/").maxAttempts());
      assertEquals(dev.stoic.http.Retryability.WHEN_SAFE, live.policy().retryability(418));
    }
  }

  @Test
  void yamlItCannotReadIsNamedByLine() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> YamlKeys.read("stoic:\n  backoff: &b\n    base: 1s\n  just words\n"));
    assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("line 4"),
        e.getMessage());
    assertEquals(Map.of("stoic.a", "x,y", "stoic.b.c", "1"),
        YamlKeys.read("stoic:\n  a:\n    - x\n    - 'y'\n  b:\n    c: 1\n"));
  }
}
