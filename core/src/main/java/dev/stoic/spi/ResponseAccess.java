package dev.stoic.spi;

import java.util.List;

/**
 * How the engine reads and discards one client's responses: the status and headers it decides
 * on, and how to let go of a response the caller will not get. Stateless implementations are one
 * per adapter.
 *
 * <pre>{@code
 * enum OkHttpResponses implements ResponseAccess<Response> { ... }
 * }</pre>
 *
 * @param <R> the transport's response type
 */
public interface ResponseAccess<R> {
  int status(R response);

  /** All values of header {@code name} in order, or an empty list. */
  List<String> headers(R response, String name);

  /** Releases a response that will not reach the caller: closes it and frees its connection. */
  void discard(R response);
}
