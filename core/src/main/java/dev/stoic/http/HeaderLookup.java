package dev.stoic.http;

import java.util.List;

/**
 * Reads one response's header values by name (in any case), in the order received; an empty
 * list when the header is absent. The one way Stoic reads headers from any client:
 * {@code response::headers} for OkHttp, {@code response.headers()::allValues} for the JDK client.
 */
@FunctionalInterface
public interface HeaderLookup {
  List<String> values(String name);
}
