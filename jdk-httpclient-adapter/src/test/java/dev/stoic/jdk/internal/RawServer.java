package dev.stoic.jdk.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 server on a loopback socket that writes exactly what a test scripts, byte by byte
 * and at its own pace: a body that trickles, never ends, or stops after the headers. It records
 * which connection each request came on and when the client closed each connection.
 */
final class RawServer implements Closeable {
  /** Writes the answer to one request. Returns true to keep the connection for another. */
  @FunctionalInterface
  interface Script {
    boolean answer(int arrival, Exchange exchange) throws IOException, InterruptedException;
  }

  /** One request on one connection. */
  static final class Exchange {
    final int connection;
    final Socket socket;
    final OutputStream out;
    final InputStream in;

    Exchange(int connection, Socket socket, OutputStream out, InputStream in) {
      this.connection = connection;
      this.socket = socket;
      this.out = out;
      this.in = in;
    }

    void head(int status, String... headers) throws IOException {
      StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(" X\r\n");
      for (String header : headers) head.append(header).append("\r\n");
      out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }

    /** A complete response with a fixed-length body. */
    boolean complete(int status, String body) throws IOException {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      head(status, "Content-Length: " + bytes.length);
      out.write(bytes);
      out.flush();
      return true;
    }

    /** Writes {@code total} bytes in pieces of {@code piece}, one every {@code periodMillis}. */
    void trickle(long total, int piece, long periodMillis) throws IOException, InterruptedException {
      byte[] bytes = new byte[piece];
      for (long sent = 0; sent < total; sent += piece) {
        out.write(bytes, 0, (int) Math.min(piece, total - sent));
        out.flush();
        Thread.sleep(periodMillis);
      }
    }

    /** Chunks of {@code piece} bytes, one every {@code periodMillis}, until the client leaves. */
    void endlessChunks(int piece, long periodMillis) throws IOException, InterruptedException {
      byte[] chunk = (Integer.toHexString(piece) + "\r\n" + "x".repeat(piece) + "\r\n")
          .getBytes(StandardCharsets.ISO_8859_1);
      while (true) {
        out.write(chunk);
        out.flush();
        Thread.sleep(periodMillis);
      }
    }

    /** Writes nothing more and returns once the client closes the connection. */
    void stall() throws IOException {
      while (in.read() >= 0) {
        // nothing is expected from the client; wait for its close
      }
      throw new IOException("the client closed the connection");
    }
  }

  private final ServerSocket serverSocket;
  private final Script script;
  private final Thread acceptor;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final AtomicInteger arrivals = new AtomicInteger();
  /** The connection (numbered from 0) that each request arrived on, in order. */
  final List<Integer> connectionOfArrival = new CopyOnWriteArrayList<>();
  /** System.nanoTime() when each connection's answer failed or the client closed it. */
  final List<Long> closedNanos = new CopyOnWriteArrayList<>();
  final CountDownLatch firstClose = new CountDownLatch(1);

  RawServer(Script script) throws IOException {
    this.script = script;
    this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::accept, "raw-server-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + serverSocket.getLocalPort() + path);
  }

  int connections() {
    return sockets.size();
  }

  private void accept() {
    while (true) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        return; // closed
      }
      int index = sockets.size();
      sockets.add(socket);
      Thread thread = new Thread(() -> serve(index, socket), "raw-server-" + index);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  private void serve(int index, Socket socket) {
    try (socket) {
      socket.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      while (readRequest(in)) {
        connectionOfArrival.add(index);
        if (!script.answer(arrivals.incrementAndGet(), new Exchange(index, socket, out, in))) {
          break;
        }
      }
    } catch (IOException | InterruptedException e) {
      // the client went away, or the server is closing
    } finally {
      closedNanos.add(System.nanoTime());
      firstClose.countDown();
    }
  }

  /** Reads one request's head (and skips a fixed-length body); false at the end of the stream. */
  private static boolean readRequest(InputStream in) throws IOException {
    long contentLength = 0;
    while (true) {
      String line = readLine(in);
      if (line == null) return false;
      if (line.isEmpty()) break;
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
        contentLength = Long.parseLong(line.substring(colon + 1).trim());
      }
    }
    in.skipNBytes(contentLength);
    return true;
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
