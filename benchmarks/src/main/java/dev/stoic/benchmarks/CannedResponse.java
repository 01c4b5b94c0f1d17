package dev.stoic.benchmarks;

import dev.stoic.spi.ResponseAccess;
import java.util.List;
import java.util.Map;

/**
 * A response made in advance: a status and headers, with nothing to read or close. It stands in
 * for a transport's response so that a benchmark measures the engine alone; reading its status or
 * a header allocates nothing.
 *
 * <p>Immutable. {@link #ACCESS} is how the executor reads it.
 */
final class CannedResponse {
  static final ResponseAccess<CannedResponse> ACCESS =
      new ResponseAccess<>() {
        @Override
        public int status(CannedResponse response) {
          return response.status;
        }

        @Override
        public List<String> headers(CannedResponse response, String name) {
          return response.headers.getOrDefault(name, List.of());
        }

        @Override
        public void discard(CannedResponse response) {
          // Nothing to close: no connection stands behind a canned response.
        }
      };

  final int status;
  private final Map<String, List<String>> headers;

  private CannedResponse(int status, Map<String, List<String>> headers) {
    this.status = status;
    this.headers = headers;
  }

  static CannedResponse of(int status) {
    return new CannedResponse(status, Map.of());
  }

  static CannedResponse of(int status, String header, String value) {
    return new CannedResponse(status, Map.of(header, List.of(value)));
  }

  @Override
  public String toString() {
    return "CannedResponse(" + status + ")";
  }
}
