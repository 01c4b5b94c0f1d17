package dev.stoic.resilience4j;

import dev.stoic.spi.ResponseAccess;

/**
 * How {@link StoicRetry} reads one HTTP client's responses. It is the adapter contract's {@link
 * ResponseAccess} (status, headers, discard), plus the request behind the response, which a
 * resilience4j {@code Retry} can learn only through it (it decorates a {@code Supplier<T>}).
 *
 * <p>Ready-made: {@link OkHttpResultReader#create()} for {@code okhttp3.Response} and {@link
 * JdkResultReader#create()} for {@code java.net.http.HttpResponse}; each lives in its own class,
 * so that using one never loads the other client. Implementations must be stateless and
 * thread-safe.
 *
 * @param <T> the response type the decorated supplier returns
 */
public interface ResultReader<T> extends ResponseAccess<T> {
  /** The method of the request that produced the response, such as {@code "GET"}. */
  String method(T response);

  /** The first value of request header {@code name}, or null when the request had none. */
  String requestHeader(T response, String name);
}
