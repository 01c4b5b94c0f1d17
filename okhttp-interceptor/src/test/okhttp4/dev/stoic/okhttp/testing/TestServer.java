package dev.stoic.okhttp.testing;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.util.logging.Level;
import java.util.logging.Logger;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;

/** The test server on OkHttp 4.12: okhttp3.mockwebserver, setters and socket policies. */
public final class TestServer extends ServerScript implements Closeable {
  /**
   * Quiet: 4.12 warns "connection from ... didn't make a request" whenever a client cancels or
   * times out before sending, which these tests do on purpose. Held: loggers are weakly kept.
   */
  private static final Logger LOGGER = quiet(Logger.getLogger(MockWebServer.class.getName()));

  private final MockWebServer server = new MockWebServer();

  private TestServer() {
    server.setServerSocketFactory(new NoDelayServerSocketFactory());
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        Received received = new Received(request.getMethod(), request.getPath(),
            request.getHeaders(), request.getBody().clone().readUtf8());
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
    MockResponse response = new MockResponse().setResponseCode(reply.code).setBody(reply.body);
    for (String[] header : reply.headers) response.addHeader(header[0], header[1]);
    switch (reply.fault) {
      case DISCONNECT_AFTER_REQUEST:
        response.setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST);
        break;
      case DISCONNECT_DURING_BODY:
        response.setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY);
        break;
      case NO_RESPONSE:
        response.setSocketPolicy(SocketPolicy.NO_RESPONSE);
        break;
      default:
        break;
    }
    return response;
  }

  private static Logger quiet(Logger logger) {
    logger.setLevel(Level.SEVERE);
    return logger;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
