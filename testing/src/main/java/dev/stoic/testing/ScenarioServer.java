package dev.stoic.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP/1.1 server on a loopback ephemeral port that answers from a script and records what
 * it received: the server of {@link AdapterScenarios}. The JDK's own server, so that the shared
 * scenarios need no client library (and run alike on OkHttp 4 and 5).
 *
 * <pre>{@code
 * try (ScenarioServer server = ScenarioServer.start()) {
 *   server.enqueue(503, "", Map.of());
 *   server.enqueue(200, "ok", Map.of());
 * }
 * }</pre>
 */
public final class ScenarioServer implements AutoCloseable {
  /** A request as received. */
  public record Received(String method, String path, Map<String, List<String>> headers, String body) {
    /** The first value of header {@code name}, any case, or null. */
    public String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) return e.getValue().get(0);
      }
      return null;
    }
  }

  private record Reply(int status, String body, Map<String, String> headers) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "scenario-server");
    t.setDaemon(true);
    return t;
  });
  private final Deque<Reply> script = new ArrayDeque<>();
  private final List<Received> received = new ArrayList<>();

  private boolean closed; // guarded by this

  private ScenarioServer(HttpServer server) {
    this.server = server;
  }

  public static ScenarioServer start() throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ScenarioServer s = new ScenarioServer(http);
    http.createContext("/", s::handle);
    http.setExecutor(s.executor);
    http.start();
    return s;
  }

  /** Queues a reply; an empty script answers 500 "script exhausted". */
  public synchronized void enqueue(int status, String body, Map<String, String> headers) {
    script.add(new Reply(status, body, headers));
  }

  public synchronized List<Received> received() {
    return List.copyOf(received);
  }

  public URI url(String path) {
    return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":"
        + server.getAddress().getPort() + path);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body;
    try (InputStream in = exchange.getRequestBody()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Reply reply;
    synchronized (this) {
      received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
          Map.copyOf(exchange.getRequestHeaders()), body));
      reply = script.isEmpty() ? new Reply(500, "script exhausted", Map.of()) : script.poll();
    }
    reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Stops the server; nothing listens on its port afterwards. Closing twice does nothing. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    server.stop(0);
    executor.shutdownNow();
  }
}
