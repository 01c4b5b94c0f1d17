package dev.stoic.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The server side of {@link AsyncScale}, run in a process of its own so that its threads, sockets
 * and heap are not counted with the client's. It listens on 127.0.0.1 and an ephemeral port, prints
 * {@code PORT <n>} on its first line, and stops when its standard input closes (when the process
 * that started it ends).
 *
 * <ul>
 *   <li>{@code /scale}: each logical call, named by its {@code X-Call} header, gets 503, 503, then
 *       200 (no {@code Retry-After}, so the client's own backoff sets the wait).
 *   <li>{@code /ping}: 200 at once, to measure a round trip.
 * </ul>
 *
 * <p>It keeps connections alive and holds up to 20,000 of them idle (the JDK's default of 200
 * would close the rest after every wave and make the clients reconnect); {@code TCP_NODELAY} is on.
 */
public final class ScaleServer {
  private final ConcurrentHashMap<String, Integer> seen = new ConcurrentHashMap<>();

  public static void main(String[] args) throws Exception {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    System.setProperty("sun.net.httpserver.maxIdleConnections", "20000");
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    ScaleServer scale = new ScaleServer();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16_384);
    ExecutorService handlers = Executors.newFixedThreadPool(threads);
    server.setExecutor(handlers);
    server.createContext("/scale", scale::scale);
    server.createContext("/ping", exchange -> respond(exchange, 200));
    server.start();
    System.out.println("PORT " + server.getAddress().getPort());
    System.out.flush();
    // Until the parent goes away: its end closes our standard input.
    while (System.in.read() >= 0) {
      // nothing to read; just wait
    }
    server.stop(0);
    handlers.shutdownNow();
  }

  private void scale(HttpExchange exchange) throws IOException {
    String call = exchange.getRequestHeaders().getFirst("X-Call");
    int attempt = seen.merge(call == null ? "" : call, 1, Integer::sum);
    if (attempt >= 3) seen.remove(call);
    respond(exchange, attempt < 3 ? 503 : 200);
  }

  private static void respond(HttpExchange exchange, int status) throws IOException {
    exchange.getRequestBody().readAllBytes();
    exchange.sendResponseHeaders(status, -1); // no body
    exchange.close();
  }
}
