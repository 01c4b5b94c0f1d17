package dev.stoic.internal;

import java.util.List;

/** Reads one response's header values by name, in order; an empty list when absent. Not API. */
@FunctionalInterface
public interface HeaderLookup {
  List<String> values(String name);
}
