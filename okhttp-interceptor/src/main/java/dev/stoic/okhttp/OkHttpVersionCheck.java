package dev.stoic.okhttp;

/**
 * Fails fast, with a message that says what to do, when the OkHttp on the class path is older than
 * the oldest one stoic-okhttp runs on.
 *
 * <p>stoic-okhttp brings no OkHttp of its own (its dependency on OkHttp is {@code provided}), so
 * the OkHttp a program runs on is the one its build chose, which can be an older one brought in by
 * another library. On OkHttp 3.x or an early 4.x, Stoic's classes would load and then fail in the
 * middle of a call with a {@link NoSuchMethodError} or a missing Kotlin class. {@link
 * StoicInterceptor#create} and {@link StoicCallFactory#wrap} call {@link #requireSupported()}
 * instead. This class links no OkHttp type: it reads the version by reflection, once.
 *
 * <p>Known gap: with no OkHttp at all this check is never reached. {@code StoicInterceptor} and
 * {@code StoicCallFactory} implement OkHttp interfaces, so the JVM cannot load them and throws
 * {@code NoClassDefFoundError: okhttp3/Interceptor} (or {@code okhttp3/Call$Factory}) at the first
 * line that names them. No class can run code before its own superinterfaces load; the error names
 * the missing package, and the README's Install section says which artifact to add.
 */
final class OkHttpVersionCheck {
  /** OkHttp 4.12.0 is the oldest line the adapter's tests run on (-Pokhttp4). */
  static final int MINIMUM_MAJOR = 4;

  static final int MINIMUM_MINOR = 12;

  private static final String PROBLEM = problem(installedVersion());

  private OkHttpVersionCheck() {}

  /**
   * Returns normally when the OkHttp on the class path is supported, or when its version cannot
   * be told.
   *
   * @throws IllegalStateException if it is older than 4.12
   */
  static void requireSupported() {
    if (PROBLEM != null) throw new IllegalStateException(PROBLEM);
  }

  /**
   * The version of the OkHttp whose classes this class's loader sees, or null if it cannot be
   * told. Read by reflection: {@code OkHttp.VERSION} is a compile-time constant, which javac would
   * inline as the version stoic-okhttp was compiled against.
   */
  static String installedVersion() {
    ClassLoader loader = OkHttpVersionCheck.class.getClassLoader();
    try {
      // OkHttp 4.0 and later.
      return String.valueOf(Class.forName("okhttp3.OkHttp", true, loader).getField("VERSION")
          .get(null));
    } catch (ClassNotFoundException e) {
      try {
        // OkHttp 3.x: okhttp3.internal.Version.userAgent() is "okhttp/3.14.9".
        Object userAgent = Class.forName("okhttp3.internal.Version", true, loader)
            .getMethod("userAgent").invoke(null);
        String agent = String.valueOf(userAgent);
        return agent.startsWith("okhttp/") ? agent.substring("okhttp/".length()) : agent;
      } catch (ReflectiveOperationException | LinkageError | RuntimeException unknown) {
        return null;
      }
    } catch (ReflectiveOperationException | LinkageError | RuntimeException unknown) {
      return null;
    }
  }

  /**
   * The message to fail with for OkHttp {@code version}, or null when it is supported or cannot
   * be parsed (a check that cannot tell must not stand in the way).
   */
  static String problem(String version) {
    if (version == null) return null;
    String[] parts = version.split("[.-]", 3);
    if (parts.length < 2) return null;
    int major;
    int minor;
    try {
      major = Integer.parseInt(parts[0]);
      minor = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      return null;
    }
    if (major > MINIMUM_MAJOR || (major == MINIMUM_MAJOR && minor >= MINIMUM_MINOR)) return null;
    return "stoic-okhttp needs OkHttp " + MINIMUM_MAJOR + "." + MINIMUM_MINOR + " or newer, but"
        + " the class path has OkHttp " + version + " (perhaps brought in by another library):"
        + " depend on com.squareup.okhttp3:okhttp:4.12.0, or com.squareup.okhttp3:okhttp-jvm for"
        + " OkHttp 5";
  }
}
