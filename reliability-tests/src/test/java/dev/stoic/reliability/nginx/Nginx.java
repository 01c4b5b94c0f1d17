package dev.stoic.reliability.nginx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real nginx on a loopback port, started as a child process for one test: a test-only
 * nginx.conf in a temp directory that also holds its pid file, logs and temp paths, so nothing
 * outside it is touched and no root is needed. It answers:
 *
 * <ul>
 *   <li>{@code /limited}: {@code limit_req} at {@code rate} a second, {@code burst=5 nodelay},
 *       {@code limit_req_status 429}, and {@code Retry-After: 1} on the 429 (added with {@code
 *       always}, as an nginx 429 has no Retry-After of its own);
 *   <li>{@code /backend/...}: {@code proxy_pass} to a backend on {@code backendPort};
 *   <li>{@code /down/...}: {@code proxy_pass} to a port nothing listens on: 502, a total outage.
 * </ul>
 */
final class Nginx implements AutoCloseable {
  /** Where nginx may write, all under the test's own directory (%DIR%). */
  static final String TEMP_PATHS = String.join("\n",
      "  client_body_temp_path %DIR%/temp/client_body;",
      "  proxy_temp_path %DIR%/temp/proxy;",
      "  fastcgi_temp_path %DIR%/temp/fastcgi;",
      "  uwsgi_temp_path %DIR%/temp/uwsgi;",
      "  scgi_temp_path %DIR%/temp/scgi;");

  static final String TEMPLATE = String.join("\n",
      "# Test-only configuration, written by dev.stoic.reliability.nginx.Nginx.",
      "%USER%",
      "master_process off;",
      "pid %DIR%/nginx.pid;",
      "error_log %DIR%/logs/error.log warn;",
      "events { worker_connections 1024; }",
      "http {",
      "  access_log off;",
      TEMP_PATHS,
      "  keepalive_requests 100000;",
      "  limit_req_zone $binary_remote_addr zone=api:1m rate=%RATE%r/s;",
      "  limit_req_status 429;",
      "  map $status $retry_after { 429 1; default \"\"; }",
      "  server {",
      "    listen 127.0.0.1:%PORT%;",
      "    add_header Retry-After $retry_after always;",
      "    location = /limited {",
      "      limit_req zone=api burst=5 nodelay;",
      "      root %DIR%/www;",
      "      default_type text/plain;",
      "      try_files /ok.txt =404;",
      "    }",
      "    location /backend/ { proxy_pass http://127.0.0.1:%BACKEND%; }",
      "    location /down/ { proxy_pass http://127.0.0.1:%DOWN%; }",
      "  }",
      "}",
      "");

  final int port;
  final Path dir;
  private final Process process;

  private Nginx(int port, Path dir, Process process) {
    this.port = port;
    this.dir = dir;
    this.process = process;
  }

  /** The nginx binary: {@code -Dstoic.nginx.binary}, else {@code nginx} on the PATH or in /usr/sbin. */
  static String binary() {
    String configured = System.getProperty("stoic.nginx.binary");
    if (configured != null && !configured.isBlank()) return configured;
    for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin")
        .split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nginx"))) {
        return Path.of(dir, "nginx").toString();
      }
    }
    throw new IllegalStateException("nginx not found: install it (apt-get install nginx) or set"
        + " -Dstoic.nginx.binary; .ci/run does the first");
  }

  /** Starts nginx limiting {@code /limited} to {@code rate} a second; 0 for no backend. */
  static Nginx start(int rate, int backendPort) throws IOException, InterruptedException {
    IOException last = null;
    for (int tries = 0; tries < 3; tries++) {
      try {
        return tryStart(rate, backendPort);
      } catch (IOException e) {
        last = e; // most likely the free port was taken in between: pick another
      }
    }
    throw last;
  }

  private static Nginx tryStart(int rate, int backendPort) throws IOException, InterruptedException {
    int port = freePort();
    int down = freePort(); // closed again at once: nothing listens there
    Path dir = Files.createTempDirectory("stoic-nginx-");
    for (String sub : List.of("logs", "www", "temp")) Files.createDirectories(dir.resolve(sub));
    Files.writeString(dir.resolve("www/ok.txt"), "ok\n");
    // A master process run by root drops to "nobody" unless told otherwise, and nobody cannot
    // read a private temp directory: only then is the user named.
    boolean root = "root".equals(System.getProperty("user.name"));
    String conf = TEMPLATE
        .replace("%USER%", root ? "user root;" : "")
        .replace("%DIR%", dir.toString())
        .replace("%RATE%", Integer.toString(rate))
        .replace("%PORT%", Integer.toString(port))
        .replace("%BACKEND%", Integer.toString(backendPort == 0 ? down : backendPort))
        .replace("%DOWN%", Integer.toString(down));
    Files.writeString(dir.resolve("nginx.conf"), conf, StandardCharsets.UTF_8);
    Process process = launch(dir);
    Nginx nginx = new Nginx(port, dir, process);
    awaitListening(process, port, dir, nginx::close);
    return nginx;
  }

  /** Starts the nginx whose configuration is {@code dir}/nginx.conf, in the foreground. */
  static Process launch(Path dir) throws IOException {
    return new ProcessBuilder(binary(), "-p", dir.toString(), "-c",
        dir.resolve("nginx.conf").toString(), "-e", dir.resolve("logs/error.log").toString(),
        "-g", "daemon off;")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("logs/stdout.log").toFile())
        .start();
  }

  /** Waits up to 10 s for {@code port} to accept; on failure runs {@code close} and throws. */
  static void awaitListening(Process process, int port, Path dir, Runnable close)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        String log = log(dir);
        close.run();
        throw new IOException("nginx exited with " + process.exitValue() + ": " + log);
      }
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(20);
      }
    }
    close.run();
    throw new IOException("nginx did not listen on port " + port + " within 10 s");
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  String log() {
    return log(dir);
  }

  /** nginx's error log and output under {@code dir}, for a failure message. */
  static String log(Path dir) {
    StringBuilder text = new StringBuilder();
    for (String name : List.of("logs/error.log", "logs/stdout.log")) {
      try {
        Path file = dir.resolve(name);
        if (Files.exists(file)) text.append(Files.readString(file));
      } catch (IOException e) {
        text.append(e);
      }
    }
    return text.toString();
  }

  @Override
  public void close() {
    stop(process, dir);
  }

  /** Stops nginx (SIGTERM: its fast shutdown) and deletes {@code dir}. */
  static void stop(Process process, Path dir) {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
