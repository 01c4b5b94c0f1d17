package dev.stoic.webclient;

import java.io.IOException;

/**
 * An attempt's transport failure as the engine reads failures: an {@link IOException} whose cause
 * is what WebClient reported (a {@code WebClientRequestException} around the socket's error), so
 * that the engine classifies the socket's error. The caller gets the cause back unwrapped ({@link
 * #reported()}), with what Stoic attached.
 */
final class TransportFailure extends IOException {
  private static final long serialVersionUID = 1L;

  TransportFailure(Throwable reported) {
    super(reported.getMessage(), reported);
  }

  /**
   * What WebClient reported, carrying what the engine suppressed on this: the earlier attempts'
   * failures (as WebClient reported them) and the call's history.
   */
  Throwable reported() {
    Throwable reported = getCause();
    for (Throwable attached : getSuppressed()) {
      Throwable t = attached instanceof TransportFailure ? attached.getCause() : attached;
      if (t != reported) reported.addSuppressed(t);
    }
    return reported;
  }

  /** {@code failure} as the engine should see it: I/O failures as IOExceptions, others as they are. */
  static Throwable of(Throwable failure) {
    if (failure instanceof IOException) return failure;
    if (failure instanceof org.springframework.web.reactive.function.client.WebClientRequestException) {
      return new TransportFailure(failure);
    }
    for (Throwable t = failure.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      if (t instanceof IOException) return new TransportFailure(failure);
    }
    return failure;
  }
}
