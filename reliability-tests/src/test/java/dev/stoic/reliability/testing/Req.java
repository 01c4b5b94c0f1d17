package dev.stoic.reliability.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One logical call, independent of the client that makes it: method, absolute URL, headers and
 * an optional text body. The {@link Server#REQUEST_ID} header is always set to {@code id}.
 */
public record Req(String id, String method, String url, Map<String, String> headers, String body) {
  public Req {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put(Server.REQUEST_ID, id);
    headers = Map.copyOf(all);
  }

  public static Req of(String id, String method, String url) {
    boolean hasBody = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    return new Req(id, method, url, Map.of(), hasBody ? "payload of " + id : null);
  }

  public Req header(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new Req(id, method, url, more, body);
  }
}
