package dev.stoic.reliability.testing;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ServerSocketFactory;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okio.ByteString;

/**
 * A MockWebServer on an ephemeral port of 127.0.0.1 whose every answer comes from a {@link
 * Handler}. It numbers the arrivals of each logical call (by its {@code X-Request-Id} header, which
 * the tests set and which stays the same on every attempt) so a handler can script attempt by
 * attempt, whatever order concurrent calls arrive in.
 */
public final class Server implements Closeable {
  /** The header carrying the test's id of a logical call: unique per call, the same per attempt. */
  public static final String REQUEST_ID = "X-Request-Id";

  /**
   * Quiet: MockWebServer warns "didn't make a request" and logs failed writes whenever a client
   * gives up on a connection, which these tests make clients do thousands of times. Held strongly:
   * java.util.logging keeps loggers weakly.
   */
  private static final Logger MOCK_WEB_SERVER_LOGGER = quiet(MockWebServer.class.getName());

  /** Answers one request; runs on the server's connection thread, and may block. */
  @FunctionalInterface
  public interface Handler {
    MockResponse handle(Arrival arrival) throws InterruptedException;
  }

  /** One request as it arrived. */
  public record Arrival(
      String method, String path, Headers headers, String body, String requestId, int attempt,
      long nanos) {
    public String header(String name) {
      return headers.get(name);
    }
  }

  private final MockWebServer server = new MockWebServer();
  private final Map<String, AtomicInteger> arrivals = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();

  private Server(Handler handler) {
    server.setServerSocketFactory(new NoDelayServerSocketFactory());
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        long now = System.nanoTime();
        HttpUrl url = request.getUrl();
        String query = url.encodedQuery();
        String path = url.encodedPath() + (query == null ? "" : "?" + query);
        String id = request.getHeaders().get(REQUEST_ID);
        if (id == null) id = url.encodedPath();
        int attempt = arrivals.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        total.incrementAndGet();
        ByteString body = request.getBody();
        return handler.handle(new Arrival(request.getMethod(), path, request.getHeaders(),
            body == null ? "" : body.utf8(), id, attempt, now));
      }
    });
  }

  public static Server start(Handler handler) throws IOException {
    Server server = new Server(handler);
    server.server.start(InetAddress.getByName("127.0.0.1"), 0);
    return server;
  }

  public int port() {
    return server.getPort();
  }

  /** A URL on this server by IP, so that every call has exactly one route. */
  public HttpUrl url(String path) {
    return server.url(path).newBuilder().host("127.0.0.1").build();
  }

  public URI uri(String path) {
    return url(path).uri();
  }

  /** Requests that reached the handler for logical call {@code requestId}. */
  public int arrivals(String requestId) {
    AtomicInteger count = arrivals.get(requestId);
    return count == null ? 0 : count.get();
  }

  /** Requests that reached the handler, all calls together. */
  public int totalArrivals() {
    return total.get();
  }

  @Override
  public void close() {
    server.close();
  }

  private static Logger quiet(String name) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(Level.OFF);
    return logger;
  }

  /**
   * Server sockets that send small writes at once: MockWebServer writes headers and body
   * separately, and with Nagle's algorithm the body waits for the client's delayed ACK (~40 ms).
   */
  private static final class NoDelayServerSocketFactory extends ServerSocketFactory {
    @Override
    public ServerSocket createServerSocket() throws IOException {
      return new ServerSocket() {
        @Override
        public Socket accept() throws IOException {
          Socket socket = super.accept();
          socket.setTcpNoDelay(true);
          return socket;
        }
      };
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
      ServerSocket socket = createServerSocket();
      socket.bind(new InetSocketAddress(port));
      return socket;
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
      ServerSocket socket = createServerSocket();
      socket.bind(new InetSocketAddress(port), backlog);
      return socket;
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address)
        throws IOException {
      ServerSocket socket = createServerSocket();
      socket.bind(new InetSocketAddress(address, port), backlog);
      return socket;
    }
  }
}
