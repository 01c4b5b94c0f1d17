package dev.stoic.example.adapter;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A request and its response for {@link StoicUrlConnection}: the client's own types, which the
 * adapter translates. The response body is read whole.
 */
public final class Exchange {
  private Exchange() {}

  /** A request: method, URI, headers and an optional body. */
  public record Request(String method, URI uri, Map<String, String> headers, byte[] body) {
    public Request {
      headers = Map.copyOf(headers);
    }
  }

  /** A response: status, headers (names as the server wrote them) and the body, read whole. */
  public record Response(int status, Map<String, List<String>> headers, byte[] body) {
    /** All values of header {@code name}, in any case; empty when absent. */
    public List<String> headers(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) return e.getValue();
      }
      return List.of();
    }
  }
}
