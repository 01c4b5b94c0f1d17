package dev.stoic.engine;

import java.util.List;

/**
 * How the executor reads and discards one transport's responses. Not API.
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
