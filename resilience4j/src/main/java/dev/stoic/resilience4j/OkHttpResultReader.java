package dev.stoic.resilience4j;

import java.util.List;
import okhttp3.Response;

/**
 * Reads OkHttp {@link Response}s for {@link StoicRetry}.
 *
 * <pre>{@code
 * Retry retry = Retry.of("catalog", StoicRetry.config(policy, OkHttpResultReader.create()));
 * Response response = Retry.decorateCheckedSupplier(retry,
 *     () -> client.newCall(request).execute()).get();
 * }</pre>
 *
 * <p>OkHttp is an optional dependency of this module: only this class needs it, and the JVM
 * loads it only when it is used. Stateless and thread-safe.
 */
public final class OkHttpResultReader implements ResultReader<Response> {
  private static final OkHttpResultReader INSTANCE = new OkHttpResultReader();

  private OkHttpResultReader() {}

  public static OkHttpResultReader create() {
    return INSTANCE;
  }

  @Override
  public int status(Response response) {
    return response.code();
  }

  @Override
  public List<String> headers(Response response, String name) {
    return response.headers(name);
  }

  @Override
  public String method(Response response) {
    return response.request().method();
  }

  @Override
  public String requestHeader(Response response, String name) {
    return response.request().header(name);
  }

  /** Closes the response, which releases its connection to the pool. */
  @Override
  public void discard(Response response) {
    response.close();
  }

  @Override
  public String toString() {
    return "OkHttpResultReader";
  }
}
