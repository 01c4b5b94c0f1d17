package dev.stoic.http;

/** What RFC 9110 says about request methods that matters for retrying. */
public final class Methods {
  private Methods() {}

  /**
   * True for the methods RFC 9110 section 9.2.2 defines as idempotent: GET, HEAD, OPTIONS, TRACE,
   * PUT and DELETE. Method names are case-sensitive (section 9.1), so "get" is not GET.
   */
  public static boolean isIdempotent(String method) {
    switch (method) {
      case "GET":
      case "HEAD":
      case "OPTIONS":
      case "TRACE":
      case "PUT":
      case "DELETE":
        return true;
      default:
        return false;
    }
  }
}
