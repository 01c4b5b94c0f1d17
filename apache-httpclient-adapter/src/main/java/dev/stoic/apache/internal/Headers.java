package dev.stoic.apache.internal;

import dev.stoic.http.HeaderLookup;
import java.util.ArrayList;
import java.util.List;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.MessageHeaders;

/** A message's headers as the engine reads them: every value of a name, in order, any case. */
final class Headers implements HeaderLookup {
  private final MessageHeaders message;

  Headers(MessageHeaders message) {
    this.message = message;
  }

  @Override
  public List<String> values(String name) {
    return values(message, name);
  }

  static List<String> values(MessageHeaders message, String name) {
    Header[] headers = message.getHeaders(name);
    if (headers.length == 0) return List.of();
    if (headers.length == 1) return List.of(headers[0].getValue());
    List<String> values = new ArrayList<>(headers.length);
    for (Header header : headers) values.add(header.getValue());
    return values;
  }

  /** The first value of {@code name}, or null; null for a null name. */
  static String first(MessageHeaders message, String name) {
    if (name == null) return null;
    Header header = message.getFirstHeader(name);
    return header == null ? null : header.getValue();
  }
}
