package dev.stoic.testing;

import dev.stoic.spi.ResponseAccess;
import java.util.List;
import java.util.Map;

/** A canned response that remembers whether it was closed. */
public final class FakeResponse {
  public static final ResponseAccess<FakeResponse> ACCESS =
      new ResponseAccess<>() {
        @Override
        public int status(FakeResponse response) {
          return response.status;
        }

        @Override
        public List<String> headers(FakeResponse response, String name) {
          return response.headers.getOrDefault(name, List.of());
        }

        @Override
        public void discard(FakeResponse response) {
          response.closed++;
        }
      };

  public final int status;
  public final Map<String, List<String>> headers;
  public int closed;

  public FakeResponse(int status, Map<String, List<String>> headers) {
    this.status = status;
    this.headers = headers;
  }

  public static FakeResponse of(int status) {
    return new FakeResponse(status, Map.of());
  }

  public static FakeResponse of(int status, String header, String value) {
    return new FakeResponse(status, Map.of(header, List.of(value)));
  }

  @Override
  public String toString() {
    return "FakeResponse(" + status + ")";
  }
}
