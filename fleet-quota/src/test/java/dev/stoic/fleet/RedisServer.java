package dev.stoic.fleet;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code redis-server} (Debian package redis-server) on a free loopback port, without
 * persistence, started and killed by the tests; it can be paused (SIGSTOP) to answer slowly and
 * restarted on the same port.
 */
final class RedisServer implements AutoCloseable {
  private final int port;
  private Process process;
  private final List<RedisClient> clients = new ArrayList<>();

  RedisServer() throws IOException, InterruptedException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    start();
  }

  static String binary() {
    for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
      if (new File(candidate).canExecute()) return candidate;
    }
    throw new IllegalStateException("redis-server is not installed: apt-get install redis-server "
        + "(the redis profile needs it; .ci/run installs it when missing)");
  }

  void start() throws IOException, InterruptedException {
    process = new ProcessBuilder(binary(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!answersPing()) {
      if (!process.isAlive()) throw new IOException("redis-server exited: " + process.exitValue());
      if (System.nanoTime() > deadline) throw new IOException("redis-server did not start");
      Thread.sleep(20);
    }
  }

  private boolean answersPing() {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(500);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = new byte[7];
      int n = in.read(reply);
      return n > 0 && new String(reply, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  int port() {
    return port;
  }

  /** A new connection, as each pod would have its own. */
  StatefulRedisConnection<byte[], byte[]> connect() {
    RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port));
    clients.add(client);
    return client.connect(ByteArrayCodec.INSTANCE);
  }

  /** Kills the server: its data is gone, as nothing is persisted. */
  void stop() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** Freezes the server (SIGSTOP): connections stay open, nothing is answered. */
  void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** Lets a paused server go on (SIGCONT). */
  void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
    if (kill.waitFor() != 0) throw new IOException("kill -" + name + " failed");
  }

  @Override
  public void close() throws InterruptedException {
    for (RedisClient client : clients) client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    if (process.isAlive()) resumeQuietly();
    process.destroyForcibly();
    process.waitFor();
  }

  private void resumeQuietly() {
    try {
      resume();
    } catch (IOException | InterruptedException e) {
      // killed next anyway
    }
  }
}
