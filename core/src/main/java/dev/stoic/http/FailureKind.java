package dev.stoic.http;

/**
 * What an attempt's exception says about whether the server may have seen the request.
 *
 * <p>Stoic classifies each transport failure once; the policy then decides from the kind alone
 * (unless an exception rule on the policy overrides it).
 */
public enum FailureKind {
  /**
   * The connection was never made: refused, no route, connect timeout. The request was not sent,
   * so any method may be retried, even a one-shot body.
   */
  CONNECT,
  /**
   * The protocol proved the server did not process the request, though it was sent: an HTTP/2
   * stream refused ({@code RST_STREAM} with {@code REFUSED_STREAM}, RFC 9113 section 8.7), or one
   * above the last stream a {@code GOAWAY} says the server will process. Any method may be sent
   * again, at once, on another stream; a one-shot body that already went out may not.
   */
  UNPROCESSED,
  /**
   * The request may have reached the server: read timeout, reset, unexpected end of stream.
   * Retried only when safe (idempotent method or idempotency key) and the body can be replayed.
   */
  AFTER_SEND,
  /** The host name did not resolve. Not retried: a typo does not fix itself in a second. */
  UNKNOWN_HOST,
  /** TLS handshake or certificate failure. Not retried: it needs configuration, not time. */
  TLS,
  /** The caller cancelled the call. Not retried. */
  CANCELLED,
  /** The calling thread was interrupted. Not retried; the interrupt flag is restored. */
  INTERRUPTED,
  /** Not an I/O failure (a bug, a runtime exception from user code). Never retried. */
  NOT_IO,
  /**
   * Nothing was sent: the client itself refused the attempt (a throttle with no permit, an open
   * circuit). Never retried. Set by the executor; {@link #of} never returns it.
   */
  REFUSED;

  /**
   * Classifies {@code failure}: its causes are examined from the outside in and the first that
   * says something definite wins. Anything that is not an {@link java.io.IOException} and is
   * neither a cancel nor an interrupt is {@link #NOT_IO}, whatever its causes say.
   *
   * @throws NullPointerException if {@code failure} is null
   */
  public static FailureKind of(Throwable failure) {
    FailureKind kind = FailureClassifier.classify(failure);
    if (!(failure instanceof java.io.IOException) && kind != CANCELLED && kind != INTERRUPTED) {
      return NOT_IO;
    }
    return kind;
  }
}
