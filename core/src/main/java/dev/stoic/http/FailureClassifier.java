package dev.stoic.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedByInterruptException;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import javax.net.ssl.SSLException;

/**
 * Sorts a transport failure into a {@link FailureKind}.
 *
 * <p>The exception and its causes are examined from the outside in, and the first one that says
 * something definite wins: clients wrap (the JDK client throws a {@code ConnectException} whose
 * cause is the socket's {@code ConnectException}; OkHttp surfaces the socket's exception).
 *
 * <p>Known gap: a connect timeout reaches us as a {@link SocketTimeoutException} in OkHttp and in
 * plain sockets, told apart from a read timeout only by its message ("connect timed out",
 * "Connect timed out"). The JDK client has a distinct type, matched by name so core needs no
 * java.net.http module.
 */
final class FailureClassifier {
  private static final int MAX_DEPTH = 8;

  private FailureClassifier() {}

  static FailureKind classify(Throwable failure) {
    java.util.Objects.requireNonNull(failure, "failure == null");
    Throwable t = failure;
    for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
      FailureKind kind = definite(t);
      if (kind != null) return kind;
      if (t.getCause() == t) break;
    }
    return failure instanceof IOException ? FailureKind.AFTER_SEND : FailureKind.NOT_IO;
  }

  private static FailureKind definite(Throwable t) {
    if (t instanceof CancellationException) return FailureKind.CANCELLED;
    if (t instanceof InterruptedException) return FailureKind.INTERRUPTED;
    // A thread interrupted in blocking channel I/O: an IOException, but no InterruptedIOException.
    if (t instanceof ClosedByInterruptException) return FailureKind.INTERRUPTED;
    if (t instanceof UnknownHostException) return FailureKind.UNKNOWN_HOST;
    if (t instanceof SSLException || t instanceof CertificateException) return FailureKind.TLS;
    if (t instanceof ConnectException
        || t instanceof NoRouteToHostException
        || t instanceof PortUnreachableException) {
      return FailureKind.CONNECT;
    }
    if (t.getClass().getName().equals("java.net.http.HttpConnectTimeoutException")) {
      return FailureKind.CONNECT;
    }
    if (Http2Proofs.unprocessed(t)) return FailureKind.UNPROCESSED;
    if (t instanceof SocketTimeoutException) {
      String message = t.getMessage();
      return message != null && message.toLowerCase(Locale.ROOT).contains("connect")
          ? FailureKind.CONNECT
          : FailureKind.AFTER_SEND;
    }
    if (t instanceof InterruptedIOException) {
      // Plain InterruptedIOException: a thread interrupt or a client-side cancel. Timeouts are
      // SocketTimeoutException (handled above) or the JDK's HttpTimeoutException (an IOException).
      return FailureKind.INTERRUPTED;
    }
    return null;
  }
}
