package dev.stoic.fleet;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx (Debian package nginx) on a free loopback port, limiting every client together
 * with {@code limit_req}: a leaky bucket of {@code rate} a second with a burst of 5, answering
 * 429 with {@code Retry-After: 1}. {@code /plain} says nothing more; {@code /announced} adds
 * {@code RateLimit-Policy: "fleet";q=rate;w=1} to every answer. Each path has its own bucket.
 * Every answer is logged with its time, for {@link #statuses}. Started in a temporary directory
 * that holds its configuration, logs and pid file: nothing else is touched, no root needed.
 */
final class LimitingNginx implements AutoCloseable {
  /** The requests nginx takes beyond its rate when they come early. */
  static final int BURST = 5;
  private final Path dir;
  private final Process process;
  private final int port;

  LimitingNginx(int rate) throws IOException, InterruptedException {
    dir = Files.createTempDirectory("stoic-fleet-nginx-");
    Files.createDirectories(dir.resolve("logs"));
    Files.createDirectories(dir.resolve("www"));
    Files.writeString(dir.resolve("www/ok.txt"), "ok\n");
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    String location = "    location = /%s { limit_req zone=%s burst=" + BURST
        + " nodelay; %s try_files /ok.txt =404; }\n";
    String conf = (root ? "user root;\n" : "")
        + "master_process off;\npid " + dir + "/nginx.pid;\nerror_log " + dir + "/logs/error.log warn;\n"
        + "events { worker_connections 1024; }\nhttp {\n"
        + "  log_format timed '$msec $status $request_uri';\n"
        + "  access_log " + dir + "/logs/access.log timed;\n"
        + "  client_body_temp_path " + dir + "/body; proxy_temp_path " + dir + "/proxy;\n"
        + "  fastcgi_temp_path " + dir + "/fcgi; uwsgi_temp_path " + dir + "/uwsgi;"
        + " scgi_temp_path " + dir + "/scgi;\n"
        + "  keepalive_requests 1000000;\n  root " + dir + "/www;\n  default_type text/plain;\n"
        + "  limit_req_zone $binary_remote_addr zone=plain:1m rate=" + rate + "r/s;\n"
        + "  limit_req_zone $binary_remote_addr zone=announced:1m rate=" + rate + "r/s;\n"
        + "  limit_req_status 429;\n"
        + "  map $status $retry_after { 429 1; default \"\"; }\n"
        + "  server {\n    listen 127.0.0.1:" + port + ";\n"
        + "    add_header Retry-After $retry_after always;\n"
        + String.format(location, "plain", "plain", "")
        + String.format(location, "announced", "announced",
            "add_header RateLimit-Policy '\"fleet\";q=" + rate + ";w=1' always;")
        + "  }\n}\n";
    Files.writeString(dir.resolve("nginx.conf"), conf);
    process = new ProcessBuilder(binary(), "-p", dir.toString(), "-c",
        dir.resolve("nginx.conf").toString(), "-e", dir.resolve("logs/error.log").toString(),
        "-g", "daemon off;")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("logs/stdout.log").toFile())
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException notYet) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          String log = Files.readString(dir.resolve("logs/stdout.log"));
          close();
          throw new IOException("nginx did not start: " + log);
        }
        Thread.sleep(20);
      }
    }
  }

  static String binary() {
    for (String candidate : List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx")) {
      if (Files.isExecutable(Path.of(candidate))) return candidate;
    }
    throw new IllegalStateException("nginx is not installed: apt-get install nginx (the nginx "
        + "profile needs it; .ci/run installs it when missing)");
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  /** The answers to {@code path} logged from {@code fromMillis} (epoch) to {@code toMillis}. */
  List<Integer> statuses(String path, long fromMillis, long toMillis) throws IOException {
    List<Integer> statuses = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("logs/access.log"))) {
      String[] parts = line.split(" ");
      if (parts.length != 3 || !parts[2].equals(path)) continue;
      long at = Math.round(Double.parseDouble(parts[0]) * 1000);
      if (at >= fromMillis && at < toMillis) statuses.add(Integer.parseInt(parts[1]));
    }
    return statuses;
  }

  /** Forgets what was logged so far; nginx goes on writing to the same (now empty) file. */
  void clearLog() throws IOException {
    Files.write(dir.resolve("logs/access.log"), new byte[0]);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
