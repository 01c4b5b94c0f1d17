package dev.stoic.reliability.process;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend in its own process, for tests that must not share a JVM with the client they
 * measure: {@code Backend <port> <fastMillis> <slowEvery> <slowMillis>} listens on loopback
 * {@code port} (0 for any), prints {@code listening <port>} and answers every request with 200
 * after {@code fastMillis}, except every {@code slowEvery}-th arrival (0 for none), which takes
 * {@code slowMillis}. A POST's {@code Idempotency-Key} runs once: a key seen before is not run
 * again (its request still takes its time). {@code GET /stats} answers {@code requests
 * executions keyless} without counting itself.
 */
public final class Backend {
  private final AtomicInteger arrivals = new AtomicInteger();
  private final AtomicInteger executions = new AtomicInteger();
  private final AtomicInteger keyless = new AtomicInteger();
  private final Set<String> keys = ConcurrentHashMap.newKeySet();
  private final int fastMillis;
  private final int slowEvery;
  private final int slowMillis;

  private Backend(int fastMillis, int slowEvery, int slowMillis) {
    this.fastMillis = fastMillis;
    this.slowEvery = slowEvery;
    this.slowMillis = slowMillis;
  }

  public static void main(String[] args) throws IOException {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    int port = Integer.parseInt(args[0]);
    Backend backend = new Backend(Integer.parseInt(args[1]), Integer.parseInt(args[2]),
        Integer.parseInt(args[3]));
    HttpServer http = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4096);
    http.setExecutor(Executors.newCachedThreadPool());
    http.createContext("/stats", backend::stats);
    http.createContext("/", backend::handle);
    http.start();
    System.out.println("listening " + http.getAddress().getPort());
    System.out.flush();
  }

  private void handle(HttpExchange exchange) throws IOException {
    int arrival = arrivals.incrementAndGet();
    exchange.getRequestBody().readAllBytes();
    if (exchange.getRequestMethod().equals("POST")) {
      String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
      if (key == null) {
        keyless.incrementAndGet();
        executions.incrementAndGet();
      } else if (keys.add(key)) {
        executions.incrementAndGet();
      }
    }
    pause(slowEvery > 0 && arrival % slowEvery == 0 ? slowMillis : fastMillis);
    answer(exchange, "ok");
  }

  private void stats(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    answer(exchange, arrivals.get() + " " + executions.get() + " " + keyless.get());
  }

  private static void answer(HttpExchange exchange, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try (OutputStream out = exchange.getResponseBody()) {
      exchange.sendResponseHeaders(200, bytes.length);
      out.write(bytes);
    } catch (IOException e) {
      // the client gave up on this request (a hedge answered first)
    } finally {
      exchange.close();
    }
  }

  private static void pause(int millis) {
    if (millis <= 0) return;
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
