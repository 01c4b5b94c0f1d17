package dev.stoic.okhttp.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * What the test server answers to one request, independent of the MockWebServer version: a status,
 * headers, a body, and optionally a fault. Immutable.
 */
public final class Reply {
  /** How the server misbehaves. */
  public enum Fault {
    NONE,
    /** Reads the request, then closes the connection before any response byte. */
    DISCONNECT_AFTER_REQUEST,
    /** Sends the headers and half the body, then closes the connection. */
    DISCONNECT_DURING_BODY,
    /** Reads the request and never answers; the connection stays open until the client leaves. */
    NO_RESPONSE
  }

  final int code;
  final List<String[]> headers;
  final String body;
  final Fault fault;

  private Reply(int code, List<String[]> headers, String body, Fault fault) {
    this.code = code;
    this.headers = headers;
    this.body = body;
    this.fault = fault;
  }

  public static Reply status(int code) {
    return new Reply(code, List.of(), "", Fault.NONE);
  }

  /** A reply the server gives when the test scripted none: never retried by the default table. */
  static Reply unscripted() {
    return status(418).body("no reply scripted");
  }

  public Reply header(String name, String value) {
    List<String[]> more = new ArrayList<>(headers);
    more.add(new String[] {name, value});
    return new Reply(code, List.copyOf(more), body, fault);
  }

  public Reply body(String body) {
    return new Reply(code, headers, body, fault);
  }

  public Reply fault(Fault fault) {
    String longBody = fault == Fault.DISCONNECT_DURING_BODY && body.length() < 4096
        ? body + "x".repeat(4096 - body.length())
        : body;
    return new Reply(code, headers, longBody, fault);
  }

  public int code() {
    return code;
  }

  public List<String[]> headers() {
    return headers;
  }

  public String body() {
    return body;
  }

  public Fault fault() {
    return fault;
  }
}
