package dev.stoic.resilience4j;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A response and its request, for exact tests of the bridge's rules without sockets. */
final class FakeHttp {
  static final ResultReader<FakeHttp> READER = new ResultReader<>() {
    @Override
    public int status(FakeHttp response) {
      return response.status;
    }

    @Override
    public List<String> headers(FakeHttp response, String name) {
      String value = response.headers.get(name);
      return value == null ? List.of() : List.of(value);
    }

    @Override
    public String method(FakeHttp response) {
      return response.method;
    }

    @Override
    public String requestHeader(FakeHttp response, String name) {
      return response.requestHeaders.get(name);
    }

    @Override
    public void discard(FakeHttp response) {
      response.closed++;
    }
  };

  final String method;
  final int status;
  final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  final Map<String, String> requestHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  int closed;

  FakeHttp(String method, int status) {
    this.method = method;
    this.status = status;
  }

  FakeHttp header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  FakeHttp requestHeader(String name, String value) {
    requestHeaders.put(name, value);
    return this;
  }

  @Override
  public String toString() {
    return method + " " + status + " " + headers + " " + requestHeaders;
  }
}
