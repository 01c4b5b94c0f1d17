package dev.stoic.examples.demo;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.HttpUrl;

/**
 * The server of {@link ObservedDemo}: healthy but for 10% of connections it drops after reading
 * the request, until an incident, during which it also answers 35% of requests with {@code 503}
 * and {@code Retry-After: 1}, 10% with a bare {@code 503} and 5% so slowly that the attempt times
 * out. It counts every request it reads, re-sent or not.
 */
final class LoadServer implements Closeable {
  /** MockWebServer warns when a client hangs up on a slow answer, which the incident causes. */
  private static final Logger SERVER_LOG = quiet(Logger.getLogger(MockWebServer.class.getName()));

  private final MockWebServer server = new MockWebServer();
  private final AtomicLong requests = new AtomicLong();
  private final Map<String, AtomicLong> byPath = new ConcurrentHashMap<>();
  private final DoubleSupplier incident;

  /** @param incident 1 while the incident lasts, else 0; read per request */
  LoadServer(DoubleSupplier incident) {
    this.incident = incident;
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        requests.incrementAndGet();
        byPath.computeIfAbsent(request.getUrl().encodedPath(), p -> new AtomicLong())
            .incrementAndGet();
        return answer();
      }
    });
  }

  LoadServer start() throws IOException {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    return this;
  }

  /** A URL on this server; {@code host} is 127.0.0.1 or localhost, the same server either way. */
  HttpUrl url(String host, String path) {
    return server.url(path).newBuilder().host(host).build();
  }

  /** Every request the server read, including those it dropped and those clients re-sent. */
  long requests() {
    return requests.get();
  }

  /** The requests the server read on {@code path}. */
  long requests(String path) {
    AtomicLong n = byPath.get(path);
    return n == null ? 0 : n.get();
  }

  private MockResponse answer() {
    double roll = ThreadLocalRandom.current().nextDouble();
    if (roll < 0.10) {
      return new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build();
    }
    if (incident.getAsDouble() > 0) {
      if (roll < 0.45) return status(503).addHeader("Retry-After", "1").build();
      if (roll < 0.55) return status(503).build();
      if (roll < 0.60) return status(200).headersDelay(2, TimeUnit.SECONDS).body("late").build();
    }
    return status(200).body("ok").build();
  }

  private static MockResponse.Builder status(int code) {
    return new MockResponse.Builder().code(code);
  }

  private static Logger quiet(Logger logger) {
    logger.setLevel(Level.OFF);
    return logger;
  }

  @Override
  public void close() {
    server.close();
  }
}
