package dev.stoic.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local HTTP/1.1 server on 127.0.0.1 and an ephemeral port that answers every request with 200
 * and a 2-byte body. It runs in the benchmark's process on its own threads ({@code
 * com.sun.net.httpserver}, which keeps connections alive), so each benchmark measures real sockets
 * and real parsing on both sides.
 *
 * <p>{@code sun.net.httpserver.nodelay} is switched on before the server class loads: without
 * it the server writes headers and body as two segments and Nagle's algorithm meets the client's
 * delayed ACK, which adds up to 40 ms to a response.
 *
 * <p>Thread-safe. {@link #close()} stops it.
 */
final class LoopbackServer implements AutoCloseable {
  private static final byte[] BODY = {'o', 'k'};

  private final HttpServer server;
  private final ExecutorService handlers;
  final AtomicLong requests = new AtomicLong();

  LoopbackServer(int handlerThreads) throws IOException {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    handlers = Executors.newFixedThreadPool(handlerThreads, runnable -> {
      Thread thread = new Thread(runnable, "loopback-server");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(handlers);
    server.createContext("/", this::handle);
    server.start();
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    exchange.getRequestBody().readAllBytes();
    exchange.sendResponseHeaders(200, BODY.length);
    try (OutputStream body = exchange.getResponseBody()) {
      body.write(BODY);
    }
  }

  /** {@code http://127.0.0.1:<port><path>}. */
  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Stops the server and waits up to 5 s for its handlers; an interrupt ends the wait. */
  @Override
  public void close() {
    server.stop(0);
    handlers.shutdownNow();
    try {
      handlers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // AutoCloseable.close should not throw it
    }
  }
}
