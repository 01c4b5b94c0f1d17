package dev.stoic.okhttp.internal;

import dev.stoic.spi.ResponseAccess;
import java.util.List;
import okhttp3.Response;
import okhttp3.ResponseBody;

/** How Stoic's executor reads and discards OkHttp responses. Stateless; not API. */
public enum OkHttpResponses implements ResponseAccess<Response> {
  INSTANCE;

  @Override
  public int status(Response response) {
    return response.code();
  }

  @Override
  public List<String> headers(Response response, String name) {
    return response.headers(name);
  }

  /**
   * Closes the response. OkHttp drains an unread HTTP/1.1 body for up to 100 ms so the connection
   * can go back to the pool, and otherwise closes the connection; either way nothing leaks.
   */
  @Override
  public void discard(Response response) {
    // Response.body() is nullable in OkHttp 4 (never for a response from a call), not in 5.
    ResponseBody body = response.body();
    if (body != null) body.close();
  }
}
