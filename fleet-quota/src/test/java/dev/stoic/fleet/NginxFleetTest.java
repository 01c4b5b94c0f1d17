package dev.stoic.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fleet against a real nginx {@code limit_req} (20 a second, burst 5, 429 with
 * {@code Retry-After: 1}, one bucket for every client) and a real redis-server: 4 JVM processes
 * ({@link FleetMember}) of 4 threads each, with the default policy alone or with a
 * {@link FleetQuota} each on the one Redis; 20 s, as in issue 27, counted by nginx from the 5th
 * second to the 19th. Runs in the nginx profile, which needs the Debian packages nginx and
 * redis-server:
 * {@code mvn -B -ntp -pl fleet-quota -am -Pnginx verify -Dtest='NginxFleet*'
 * -Dsurefire.failIfNoSpecifiedTests=false}. Figures go to target/fleet-report.txt.
 */
@Tag("nginx")
@Timeout(300)
class NginxFleetTest {
  static final int RATE = 20;
  static final int PROCESSES = 4;
  static final int THREADS = 4;
  static final long RUN_MILLIS = 20_000;
  static final long SKIPPED_MILLIS = 5_000;
  /**
   * The last second is not counted either: the threads stop at the end with send times reserved
   * past it, which a real fleet would use.
   */
  static final long TAIL_MILLIS = 1_000;

  private static LimitingNginx nginx;
  private static RedisServer redis;

  record Figures(String label, int answers, int refused, int accepted) {
    double refusedShare() {
      return answers == 0 ? 0 : refused / (double) answers;
    }

    double acceptedRate() {
      return accepted / (RATE * (RUN_MILLIS - SKIPPED_MILLIS - TAIL_MILLIS) / 1000.0);
    }

    @Override
    public String toString() {
      return String.format("nginx limit_req %d r/s, %s: %d answers from %d s to the last, %d 429s "
              + "(%.1f%%), %d accepted (%.0f%% of the rate)", RATE, label, answers,
          SKIPPED_MILLIS / 1000, refused, 100 * refusedShare(), accepted, 100 * acceptedRate());
    }
  }

  @BeforeAll
  static void start() throws Exception {
    nginx = new LimitingNginx(RATE);
    redis = new RedisServer();
  }

  @AfterAll
  static void stop() throws Exception {
    if (nginx != null) nginx.close();
    if (redis != null) redis.close();
  }

  @Test
  void withNothingAnnouncedAFleetDoesAtLeastAsWellAsInstancesAlone() throws Exception {
    Figures alone = run("/plain", false, "429 + Retry-After only, instances alone");
    Figures fleet = run("/plain", true, "429 + Retry-After only, FleetQuota on Redis");
    // Alone, each refused call waits its own Retry-After while the others keep the bucket full:
    // many 429s, all of the rate. The fleet learns the rate from its counts and paces a little
    // above it: the bucket stays full, with far fewer 429s. Both then get what nginx lets
    // through, the rate, give or take its burst, which is all a count over a span can tell apart.
    assertTrue(fleet.refusedShare() <= alone.refusedShare(), fleet + " against " + alone);
    assertTrue(fleet.accepted() >= alone.accepted() - LimitingNginx.BURST,
        fleet + " against " + alone);
  }

  @Test
  void withTheQuotaAnnouncedAFleetMeetsFew429sAndUsesNearlyAllOfIt() throws Exception {
    run("/announced", false, "quota announced, instances alone");
    Figures fleet = run("/announced", true, "quota announced, FleetQuota on Redis");
    assertTrue(fleet.refusedShare() < 0.01, fleet.toString());
    assertTrue(fleet.acceptedRate() >= 0.90, fleet.toString());
  }

  /** Runs the fleet's processes against {@code path} and counts what nginx answered. */
  private static Figures run(String path, boolean shared, String label) throws Exception {
    String key = "nginx-" + UUID.randomUUID();
    List<Process> processes = new ArrayList<>();
    List<Path> outputs = new ArrayList<>();
    StringBuilder done = new StringBuilder();
    for (int i = 0; i < PROCESSES; i++) {
      Path output = Files.createTempFile("stoic-fleet-member-", ".log");
      outputs.add(output);
      processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
          .toString(), "-Xmx128m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
          FleetMember.class.getName(), nginx.url(path), Integer.toString(shared ? redis.port() : 0),
          key, Integer.toString(THREADS))
          .redirectErrorStream(true)
          .redirectOutput(output.toFile())
          .start());
    }
    long start;
    long end;
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      for (Path output : outputs) {
        while (!Files.readString(output).contains("ready")) {
          assertTrue(System.nanoTime() < deadline, "a member did not start: " + Files.readString(output));
          Thread.sleep(20);
        }
      }
      start = System.currentTimeMillis() + 200;
      end = start + RUN_MILLIS;
      for (Process process : processes) {
        process.getOutputStream().write((start + " " + end + "\n").getBytes());
        process.getOutputStream().close();
      }
      for (int i = 0; i < PROCESSES; i++) {
        Process process = processes.get(i);
        boolean ended = process.waitFor(end - System.currentTimeMillis() + 60_000,
            TimeUnit.MILLISECONDS);
        String output = Files.readString(outputs.get(i));
        assertTrue(ended, "member " + i + " did not end: " + output);
        assertEquals(0, process.exitValue(), "member " + i + ": " + output);
        assertTrue(output.contains("done "), "member " + i + ": " + output);
        done.append(output.trim()).append(";\n");
      }
    } finally {
      for (Process process : processes) process.destroyForcibly();
      for (Path output : outputs) Files.deleteIfExists(output);
    }
    Thread.sleep(200); // nginx has written its last lines
    List<Integer> statuses = nginx.statuses(path, start + SKIPPED_MILLIS, end - TAIL_MILLIS);
    int refused = (int) statuses.stream().filter(s -> s == 429).count();
    int accepted = (int) statuses.stream().filter(s -> s == 200).count();
    Figures figures = new Figures(label, statuses.size(), refused, accepted);
    StringBuilder seconds = new StringBuilder();
    for (long from = start; from < end; from += 1000) {
      List<Integer> second = nginx.statuses(path, from, from + 1000);
      seconds.append(' ').append(second.stream().filter(st -> st == 200).count()).append('/')
          .append(second.stream().filter(st -> st == 429).count());
    }
    System.out.println(label + ": accepted/refused each second" + seconds
        + "; calls, errors and state per member " + done);
    FleetRun.report(figures.toString());
    nginx.clearLog();
    return figures;
  }
}
