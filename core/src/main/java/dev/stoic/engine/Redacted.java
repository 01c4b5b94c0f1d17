package dev.stoic.engine;

/**
 * A stand-in for a user callback's exception in a log record: the same type name, stack trace and
 * causes, without messages. A message is free text that may quote a token or a header, and
 * nothing Stoic logs may hold a secret; the type and the frames say where it failed.
 */
final class Redacted extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final int MAX_DEPTH = 8;

  private Redacted(Throwable original, Throwable cause) {
    super(original.getClass().getName() + " (message withheld)", cause, false, true);
    setStackTrace(original.getStackTrace());
  }

  static Throwable of(Throwable t) {
    return of(t, 0);
  }

  private static Throwable of(Throwable t, int depth) {
    Throwable cause = t.getCause();
    Throwable redactedCause =
        cause == null || cause == t || depth >= MAX_DEPTH ? null : of(cause, depth + 1);
    return new Redacted(t, redactedCause);
  }

  @Override
  public String toString() {
    return getMessage();
  }
}
