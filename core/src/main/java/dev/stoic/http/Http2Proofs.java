package dev.stoic.http;

import java.io.IOException;

/**
 * Recognises the failures by which an HTTP client reports that HTTP/2 proved a request was not
 * processed (RFC 9113 section 8.7): the server refused the stream ({@code RST_STREAM} with {@code
 * REFUSED_STREAM}), or its {@code GOAWAY} named a last stream below this one. Matched by class
 * name and message, so that core needs neither OkHttp nor {@code java.net.http}; each one below is
 * what that client's own source throws for the proof and for nothing else.
 *
 * <p>What the clients cannot tell apart stays "may have been processed": OkHttp's reset with any
 * other code; before JDK 17.0.16 (and 21.0.6) the JDK client fails every stream of a connection
 * that received a {@code GOAWAY} with "GOAWAY received", processed or not.
 */
final class Http2Proofs {
  /** OkHttp 4 and 5: a refused stream, and a stream above a GOAWAY's last stream id. */
  private static final String OKHTTP_RESET = "okhttp3.internal.http2.StreamResetException";
  private static final String OKHTTP_REFUSED = "stream was reset: REFUSED_STREAM";
  /**
   * OkHttp 4 and 5: a new stream asked of a connection that had received a GOAWAY (or was shut
   * down); thrown before the request's headers are written.
   */
  private static final String OKHTTP_SHUTDOWN = "okhttp3.internal.http2.ConnectionShutdownException";
  /**
   * JDK 17.0.16+, 21.0.6+ and 25: a refused stream or one above a GOAWAY's last stream id, after
   * the client's own single retry on a new connection was also not processed.
   */
  private static final String JDK_UNPROCESSED = "request not processed by peer";
  /** JDK 17 before 17.0.16: a refused stream ("Stream not processed" is REFUSED_STREAM's name). */
  private static final String JDK_REFUSED = "Received RST_STREAM: Stream not processed";
  /**
   * JDK 17: the connection already has as many streams as the server allows, so the client gave
   * up on the request before sending any of it (Http2Connection.reserveStream).
   */
  private static final String JDK_NO_STREAM = "too many concurrent streams";

  private Http2Proofs() {}

  static boolean unprocessed(Throwable t) {
    if (!(t instanceof IOException)) return false;
    String type = t.getClass().getName();
    String message = t.getMessage();
    if (type.equals(OKHTTP_RESET)) return OKHTTP_REFUSED.equals(message);
    if (type.equals(OKHTTP_SHUTDOWN)) return true;
    if (t.getClass() == IOException.class) {
      return JDK_UNPROCESSED.equals(message) || JDK_REFUSED.equals(message)
          || JDK_NO_STREAM.equals(message);
    }
    return false;
  }
}
