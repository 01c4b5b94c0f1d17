package dev.stoic.reliability.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Backend} running in a JVM of its own, started with this JVM's java and class path.
 * {@link #kill()} ends it at once (SIGKILL, as a crash would), {@link #close()} too.
 */
public final class BackendProcess implements AutoCloseable {
  private static final HttpClient STATS = HttpClient.newHttpClient();
  public final int port;
  private final Process process;

  private BackendProcess(int port, Process process) {
    this.port = port;
    this.process = process;
  }

  /**
   * Starts a backend on {@code port} (0 for any free one) answering in {@code fastMillis}, every
   * {@code slowEvery}-th arrival in {@code slowMillis}; returns once it listens.
   */
  public static BackendProcess start(int port, int fastMillis, int slowEvery, int slowMillis)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx64m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), Backend.class.getName(),
        Integer.toString(port), Integer.toString(fastMillis), Integer.toString(slowEvery),
        Integer.toString(slowMillis)));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("listening ")) {
      process.destroyForcibly();
      throw new IOException("the backend did not start: " + line);
    }
    return new BackendProcess(Integer.parseInt(line.substring("listening ".length())), process);
  }

  /** The backend's counts: requests, executions, keyless POSTs. */
  public int[] stats() throws IOException, InterruptedException {
    String body = STATS.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/stats")).build(), BodyHandlers.ofString())
        .body();
    String[] parts = body.split(" ");
    return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1]),
        Integer.parseInt(parts[2])};
  }

  /** Ends the process at once, as a crash would, and waits for it to be gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
