package dev.stoic.okhttp.testing;

import java.time.Instant;
import okhttp3.Headers;

/** One request as the test server received it, with when it arrived. Immutable. */
public final class Received {
  public final String method;
  public final String path;
  public final Headers headers;
  public final String body;
  /** Wall-clock arrival, for HTTP-date hints. */
  public final Instant at;
  /** Monotonic arrival, for gaps between attempts. */
  public final long nanos;

  public Received(String method, String path, Headers headers, String body) {
    this.method = method;
    this.path = path;
    this.headers = headers;
    this.body = body;
    this.at = Instant.now();
    this.nanos = System.nanoTime();
  }

  public String header(String name) {
    return headers.get(name);
  }

  @Override
  public String toString() {
    return method + " " + path;
  }
}
