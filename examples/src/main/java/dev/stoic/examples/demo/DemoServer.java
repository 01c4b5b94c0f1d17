package dev.stoic.examples.demo;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.HttpUrl;

/**
 * A local server on 127.0.0.1 that misbehaves on purpose, a different way on each path, and keeps
 * a log of what it did to every request. The first request to a path misbehaves; later ones
 * succeed (except {@code /orders}, which always fails).
 */
public final class DemoServer implements Closeable {
  /** IMF-fixdate, the HTTP-date form servers send (RFC 9110 section 5.6.7). */
  static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  /**
   * MockWebServer warns when a client hangs up before reading its answer, which the slow-response
   * scenario does on purpose. Held here: loggers are weakly referenced.
   */
  private static final Logger SERVER_LOG = quiet(Logger.getLogger(MockWebServer.class.getName()));

  private final MockWebServer server = new MockWebServer();
  private final Map<String, List<String>> log = new ConcurrentHashMap<>();
  private final List<String> paymentKeys = new CopyOnWriteArrayList<>();

  public DemoServer() {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return answer(request);
      }
    });
  }

  /** Starts the server on an ephemeral port of the loopback interface. */
  public DemoServer start() throws IOException {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    return this;
  }

  /** A URL on this server by IP address, so that no name lookup is involved. */
  public HttpUrl url(String path) {
    return server.url(path).newBuilder().host("127.0.0.1").build();
  }

  /** What the server did to each request on {@code path}, in order. */
  public List<String> log(String path) {
    List<String> entries = log.getOrDefault(path, List.of());
    synchronized (entries) {
      return List.copyOf(entries);
    }
  }

  private MockResponse answer(RecordedRequest request) {
    String path = request.getUrl().encodedPath();
    if (path.equals("/payments")) {
      paymentKeys.add(String.valueOf(request.getHeaders().get("Idempotency-Key")));
    }
    List<String> entries = log.computeIfAbsent(path, p -> new ArrayList<>());
    synchronized (entries) {
      Reply reply = reply(path, entries.size() + 1, request);
      entries.add(reply.note);
      return reply.response;
    }
  }

  private static Reply reply(String path, int hit, RecordedRequest request) {
    boolean first = hit == 1;
    switch (path) {
      case "/inventory":
        return first
            ? new Reply("503, Retry-After: 1", status(503).addHeader("Retry-After", "1"))
            : new Reply("200", status(200).body("12 widgets in stock"));
      case "/quota": {
        if (!first) return new Reply("200", status(200).body("quota restored"));
        // Two seconds ahead, to the whole second as HTTP-dates are: a wait of 1 to 2 s.
        String date = HTTP_DATE.format(Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS));
        return new Reply("429, Retry-After: " + date, status(429).addHeader("Retry-After", date));
      }
      case "/report":
        return first
            ? new Reply("200, but holds the headers back for 2 s",
                status(200).headersDelay(2, TimeUnit.SECONDS).body("late report"))
            : new Reply("200 at once", status(200).body("report"));
      case "/feed":
        return first
            ? new Reply("read the request, then closed the connection without answering",
                new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()))
            : new Reply("200", status(200).body("feed"));
      case "/payments": {
        String key = request.getHeaders().get("Idempotency-Key");
        String seen = "Idempotency-Key: " + key;
        return first
            ? new Reply("503 (" + seen + ")", status(503).body("try again"))
            : new Reply("201 (" + seen + ")", status(201).body("payment accepted"));
      }
      case "/orders":
        return new Reply("500 (it may have stored the order before failing)",
            status(500).body("database error"));
      case "/users/42":
        return first
            ? new Reply("502", status(502).body("bad gateway"))
            : new Reply("404", status(404).body("no such user"));
      default:
        return new Reply("404", status(404));
    }
  }

  private static MockResponse.Builder status(int code) {
    return new MockResponse.Builder().code(code);
  }

  private static Logger quiet(Logger logger) {
    logger.setLevel(Level.SEVERE);
    return logger;
  }

  /** The Idempotency-Key header of every request to {@code /payments}, in order. */
  List<String> paymentKeys() {
    return List.copyOf(paymentKeys);
  }

  @Override
  public void close() {
    server.close();
  }

  /** A response and the line the log keeps for it. */
  private static final class Reply {
    final String note;
    final MockResponse response;

    Reply(String note, MockResponse.Builder response) {
      this.note = note;
      this.response = response.build();
    }
  }
}
