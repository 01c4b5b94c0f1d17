package dev.stoic.internal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Holds the bridges between core's packages ({@link PolicyAccess}, {@link PolicyText}), each
 * registered by the class that implements it when that class initializes, which is loaded by
 * name when a bridge is asked for first: this package may not import it.
 */
final class Bridges {
  private static final ConcurrentHashMap<Class<?>, Object> REGISTERED = new ConcurrentHashMap<>();

  private Bridges() {}

  /** The bridge of {@code type}, initializing {@code registrar} first if none is registered. */
  static <T> T get(Class<T> type, String registrar) {
    Object bridge = REGISTERED.get(type);
    if (bridge == null) {
      try {
        Class.forName(registrar, true, Bridges.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(registrar + " is missing", e);
      }
      bridge = REGISTERED.get(type);
    }
    return type.cast(bridge);
  }

  static <T> void register(Class<T> type, T bridge) {
    REGISTERED.put(type, bridge);
  }
}
