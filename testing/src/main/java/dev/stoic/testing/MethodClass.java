package dev.stoic.testing;

import dev.stoic.spi.CallInfo;

/**
 * The four kinds of request whose retry safety differs: idempotent methods, and POST without and
 * with the caller's idempotency key.
 */
public enum MethodClass {
  GET("GET", null),
  PUT("PUT", null),
  POST_WITHOUT_KEY("POST", null),
  POST_WITH_KEY("POST", "caller-key-1");

  public static final String URL = "https://api.example.com/items";

  private final String method;
  private final String key;

  MethodClass(String method, String key) {
    this.method = method;
    this.key = key;
  }

  /** The request method. */
  public String method() {
    return method;
  }

  /** The caller's idempotency key, or null. */
  public String key() {
    return key;
  }

  /** A call of this class to {@link #URL}. */
  public CallInfo call() {
    return CallInfo.builder(method, URL).callerIdempotencyKey(key).build();
  }
}
