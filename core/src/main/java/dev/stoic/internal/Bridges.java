package dev.stoic.internal;

/** Initializes the class that registers a bridge, by name: this package may not import it. */
final class Bridges {
  private Bridges() {}

  static void load(String className) {
    try {
      Class.forName(className, true, Bridges.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(className + " is missing", e);
    }
  }
}
