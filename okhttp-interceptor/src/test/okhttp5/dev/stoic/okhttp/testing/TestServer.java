package dev.stoic.okhttp.testing;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.util.logging.Level;
import java.util.logging.Logger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.HttpUrl;
import okio.ByteString;

/** The test server on OkHttp 5: mockwebserver3, builders and socket effects. */
public final class TestServer extends ServerScript implements Closeable {
  /**
   * Quiet: MockWebServer warns "connection from ... didn't make a request" whenever a client
   * cancels or times out before sending, which these tests do on purpose. Held: loggers are weakly
   * kept.
   */
  private static final Logger LOGGER = quiet(Logger.getLogger(MockWebServer.class.getName()));

  private final MockWebServer server = new MockWebServer();

  private TestServer() {
    server.setServerSocketFactory(new NoDelayServerSocketFactory());
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        ByteString body = request.getBody();
        HttpUrl url = request.getUrl();
        String query = url.encodedQuery();
        Received received = new Received(request.getMethod(),
            url.encodedPath() + (query == null ? "" : "?" + query), request.getHeaders(),
            body == null ? "" : body.utf8());
        return toMockResponse(next(received));
      }
    });
  }

  /** Starts a server on an ephemeral port of 127.0.0.1. */
  public static TestServer start() throws IOException {
    return start(0);
  }

  /** Starts a server on {@code port} of 127.0.0.1 (0 for an ephemeral one). */
  public static TestServer start(int port) throws IOException {
    TestServer server = new TestServer();
    server.server.start(InetAddress.getByName("127.0.0.1"), port);
    return server;
  }

  public int port() {
    return server.getPort();
  }

  /** A URL on this server by IP, so every call has exactly one route. */
  public HttpUrl url(String path) {
    return server.url(path).newBuilder().host("127.0.0.1").build();
  }

  private static MockResponse toMockResponse(Reply reply) {
    MockResponse.Builder builder = new MockResponse.Builder().code(reply.code).body(reply.body);
    for (String[] header : reply.headers) builder.addHeader(header[0], header[1]);
    switch (reply.fault) {
      case DISCONNECT_AFTER_REQUEST:
        builder.onResponseStart(new SocketEffect.CloseSocket());
        break;
      case DISCONNECT_DURING_BODY:
        builder.onResponseBody(new SocketEffect.CloseSocket());
        break;
      case NO_RESPONSE:
        builder.onResponseStart(SocketEffect.Stall.INSTANCE);
        break;
      default:
        break;
    }
    return builder.build();
  }

  private static Logger quiet(Logger logger) {
    logger.setLevel(Level.SEVERE);
    return logger;
  }

  @Override
  public void close() {
    server.close();
  }
}
