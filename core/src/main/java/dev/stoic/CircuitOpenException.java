package dev.stoic;

import java.io.IOException;
import java.time.Instant;
import java.util.Objects;

/**
 * The circuit for a host is open: recent attempts to it failed with server faults, or its
 * rate-limit hint holds it, so the attempt was not sent. Says which host and from when an attempt
 * may go out again.
 *
 * <pre>{@code
 * try {
 *   client.newCall(request).execute();
 * } catch (CircuitOpenException e) {
 *   log.info("{} is down until {}", e.host(), e.notBefore());
 * }
 * }</pre>
 */
public final class CircuitOpenException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String host;
  private final transient Instant notBefore;

  /**
   * Creates the exception; {@code message} should name the host and the time, as Stoic's own do.
   *
   * @throws NullPointerException if an argument is null
   */
  public CircuitOpenException(String host, Instant notBefore, String message) {
    super(Objects.requireNonNull(message, "message == null"));
    this.host = Objects.requireNonNull(host, "host == null");
    this.notBefore = Objects.requireNonNull(notBefore, "notBefore == null");
  }

  /** The host whose circuit is open. */
  public String host() {
    return host;
  }

  /**
   * The earliest time an attempt to {@link #host()} may go out: the next probe of an open circuit,
   * or the end of a rate-limit hold. Not a promise: a probe that fails opens the circuit again.
   */
  public Instant notBefore() {
    return notBefore;
  }
}
