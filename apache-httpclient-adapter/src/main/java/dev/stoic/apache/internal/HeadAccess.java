package dev.stoic.apache.internal;

import dev.stoic.spi.ResponseAccess;
import java.util.List;
import org.apache.hc.core5.http.HttpResponse;

/**
 * How the engine reads an HC5 response's status and headers; subclasses say how to let go of
 * one the caller will not get.
 *
 * @param <R> the response type: a classic response, or an async response's head
 */
abstract class HeadAccess<R extends HttpResponse> implements ResponseAccess<R> {
  @Override
  public final int status(R response) {
    return response.getCode();
  }

  @Override
  public final List<String> headers(R response, String name) {
    return Headers.values(response, name);
  }
}
