package dev.stoic.resilience4j;

import java.util.List;

/**
 * How {@link StoicRetry} reads one HTTP client's responses: a resilience4j {@code Retry}
 * decorates a {@code Supplier<T>}, so the bridge sees only the response, and learns the request
 * through it.
 *
 * <p>Ready-made: {@link OkHttpResultReader#create()} for {@code okhttp3.Response} and {@link
 * JdkResultReader#create()} for {@code java.net.http.HttpResponse}; each lives in its own class,
 * so that using one never loads the other client. Implementations must be stateless and
 * thread-safe.
 *
 * @param <T> the response type the decorated supplier returns
 */
public interface ResultReader<T> {
  /** The response's status code. */
  int status(T response);

  /** All values of response header {@code name}, in order, in any case; empty when absent. */
  List<String> headers(T response, String name);

  /** The method of the request that produced the response, such as {@code "GET"}. */
  String method(T response);

  /** The first value of request header {@code name}, or null when the request had none. */
  String requestHeader(T response, String name);

  /** Releases a response nobody will read: closes its body and frees its connection. */
  void close(T response);
}
