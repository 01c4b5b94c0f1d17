package dev.stoic.reliability.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 server on a raw loopback socket whose 503 bodies are hostile: they trickle, never
 * end, are huge, or stop after the headers. MockWebServer can throttle and delay a body but not
 * send a chunked body that never ends, so this one writes every byte itself.
 *
 * <p>A call's first request ({@code GET /bodies/<KIND>/...}, numbered by its {@link
 * Server#REQUEST_ID} header) gets a 503 with a {@link Body} of that kind and no {@code
 * Retry-After} (OkHttp would repeat a 503 that says 0 by itself); every later request of the call
 * gets {@code 200 "ok <id>"}, as does any request under {@link HostileServer#PROBE_PATH}. A
 * connection is kept for the next request once an answer was written in full.
 */
public final class HostileBodyServer implements Closeable {
  /** The 503 bodies. */
  public enum Body {
    /** 300 KB declared, written 1 KB every 100 ms: 30 s to read, as in issue #20. */
    SLOW,
    /** Chunked, 1 KB every 10 ms, never finished. */
    ENDLESS,
    /** 20 MB declared and written at full speed. */
    HUGE,
    /** 1 KB declared; nothing after the headers until the client leaves. */
    STALLED
  }

  static final int SLOW_LENGTH = 300 * 1024;
  static final int PIECE = 1024;
  static final long SLOW_PERIOD_MILLIS = 100;
  static final long ENDLESS_PERIOD_MILLIS = 10;
  static final long HUGE_LENGTH = 20L * 1024 * 1024;
  static final int STALLED_LENGTH = 1024;

  private final ServerSocket serverSocket;
  private final Thread acceptor;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> arrivals = new ConcurrentHashMap<>();
  private final AtomicInteger connectionCount = new AtomicInteger();
  /** Hostile answers the client left before their end (it closed the connection). */
  public final AtomicInteger abandoned = new AtomicInteger();
  /** Hostile answers written to their end (the client read them whole). */
  public final AtomicInteger finished = new AtomicInteger();

  private HostileBodyServer() throws IOException {
    serverSocket = new ServerSocket(0, 100, InetAddress.getByName("127.0.0.1"));
    acceptor = new Thread(this::accept, "hostile-body-server-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public static HostileBodyServer start() throws IOException {
    return new HostileBodyServer();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + serverSocket.getLocalPort() + path;
  }

  /** Requests that arrived for logical call {@code requestId}. */
  public int arrivals(String requestId) {
    AtomicInteger count = arrivals.get(requestId);
    return count == null ? 0 : count.get();
  }

  /** Connections accepted so far. */
  public int connections() {
    return connectionCount.get();
  }

  private void accept() {
    while (true) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        return; // closed
      }
      sockets.add(socket);
      Thread thread = new Thread(() -> serve(socket),
          "hostile-body-server-" + connectionCount.incrementAndGet());
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      socket.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      while (true) {
        String[] request = readRequest(in);
        if (request == null) return;
        String path = request[0];
        String id = request[1] == null ? path : request[1];
        int attempt = arrivals.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        if (path.startsWith(HostileServer.PROBE_PATH) || attempt > 1
            || !path.startsWith("/bodies/")) {
          complete(out, 200, "ok " + id);
          continue;
        }
        Body body = Body.valueOf(path.split("/")[2].toUpperCase(Locale.ROOT));
        try {
          hostile(body, in, out);
          finished.incrementAndGet();
        } catch (IOException e) {
          abandoned.incrementAndGet();
          return;
        }
      }
    } catch (IOException | InterruptedException e) {
      // the client left, or the server is closing
    } finally {
      sockets.remove(socket);
      threads.remove(Thread.currentThread());
    }
  }

  private static void hostile(Body body, InputStream in, OutputStream out)
      throws IOException, InterruptedException {
    byte[] piece = new byte[PIECE];
    switch (body) {
      case SLOW:
        head(out, "Content-Length: " + SLOW_LENGTH);
        for (int sent = 0; sent < SLOW_LENGTH; sent += PIECE) {
          out.write(piece);
          out.flush();
          TimeUnit.MILLISECONDS.sleep(SLOW_PERIOD_MILLIS);
        }
        return;
      case ENDLESS:
        head(out, "Transfer-Encoding: chunked");
        byte[] chunk = (Integer.toHexString(PIECE) + "\r\n" + "x".repeat(PIECE) + "\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
        while (true) {
          out.write(chunk);
          out.flush();
          TimeUnit.MILLISECONDS.sleep(ENDLESS_PERIOD_MILLIS);
        }
      case HUGE:
        head(out, "Content-Length: " + HUGE_LENGTH);
        byte[] block = new byte[64 * 1024];
        for (long sent = 0; sent < HUGE_LENGTH; sent += block.length) out.write(block);
        out.flush();
        return;
      case STALLED:
        head(out, "Content-Length: " + STALLED_LENGTH);
        while (in.read() >= 0) {
          // nothing is expected from the client: wait for it to leave
        }
        throw new IOException("the client closed the connection");
      default:
        throw new AssertionError(body);
    }
  }

  private static void head(OutputStream out, String header) throws IOException {
    out.write(("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n" + header
        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private static void complete(OutputStream out, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    out.write(("HTTP/1.1 " + status + " OK\r\nContent-Type: text/plain\r\nContent-Length: "
        + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  /** Reads one request's head; returns {path, request id}, or null at the end of the stream. */
  private static String[] readRequest(InputStream in) throws IOException {
    String requestLine = readLine(in);
    while (requestLine != null && requestLine.isEmpty()) requestLine = readLine(in);
    if (requestLine == null) return null;
    String[] parts = requestLine.split(" ");
    String id = null;
    long contentLength = 0;
    for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
      int colon = line.indexOf(':');
      if (colon < 0) continue;
      String name = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (name.equalsIgnoreCase(Server.REQUEST_ID)) id = value;
      if (name.equalsIgnoreCase("Content-Length")) contentLength = Long.parseLong(value);
    }
    in.skipNBytes(contentLength);
    return new String[] {parts.length > 1 ? parts[1] : "/", id};
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') return line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  /** Closes every connection and waits for the server's threads to end. */
  @Override
  public void close() throws IOException {
    serverSocket.close();
    for (Socket socket : sockets) socket.close();
    try {
      acceptor.join(TimeUnit.SECONDS.toMillis(5));
      for (Thread thread : threads) thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
