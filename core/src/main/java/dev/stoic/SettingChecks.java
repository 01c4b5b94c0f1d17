package dev.stoic;

import dev.stoic.http.Retryability;
import dev.stoic.internal.DurationText;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The checks {@link RetryPolicy.Builder}'s setters make on their arguments, each throwing an
 * {@link IllegalArgumentException} (or a {@link NullPointerException}) that names the setting.
 * Stateless.
 */
final class SettingChecks {
  /** A limit on attempts that no sane policy reaches; protects against typos like 1_000_000. */
  static final int MAX_ATTEMPTS_LIMIT = 100;

  private SettingChecks() {}

  /** Codes in [100, 599]; a retrying rule only for 4xx and 5xx. */
  static void statusCodes(Retryability retryability, int... codes) {
    boolean retrying =
        retryability != Retryability.NEVER && retryability != Retryability.PASS_THROUGH;
    for (int code : codes) {
      if (code < 100 || code > 599) {
        throw new IllegalArgumentException("status code must be in [100, 599]: " + code);
      }
      // The decision returns every 1xx, 2xx and 3xx response before it looks at the rules (an
      // answer, a success or a redirect for the client to follow), so such a rule would be
      // silently ignored. Refuse it here, where the mistake is made.
      if (retrying && code < 400) {
        throw new IllegalArgumentException("status " + code + " cannot be retried ("
            + retryability + "): 1xx, 2xx and 3xx responses are not failures and are always"
            + " returned as they are; only 4xx and 5xx codes can be retried");
      }
    }
  }

  /** Types that can match an IOException, the only failures ever retried. */
  static void exceptionTypes(String setting, List<Class<? extends Throwable>> types) {
    for (Class<? extends Throwable> type : types) {
      Objects.requireNonNull(type, "exception type == null");
      // Types unrelated to IOException (RuntimeException, Error, InterruptedException...) never
      // reach the rules: a failure that is not an IOException is rethrown as it is.
      if (!IOException.class.isAssignableFrom(type)
          && !type.isAssignableFrom(IOException.class)) {
        throw new IllegalArgumentException(setting + "(" + type.getName() + ") can never"
            + " apply: " + type.getSimpleName() + " is neither an IOException nor a supertype"
            + " of one, and only IOExceptions are retried (other failures are rethrown as they"
            + " are)");
      }
    }
  }

  /** A valid header name and 0 or 1. */
  static void attemptCountHeader(String name, int first) {
    Objects.requireNonNull(name, "attemptCountHeader == null");
    if (name.isEmpty() || !name.chars().allMatch(IdempotencyKey::isTokenChar)) {
      throw new IllegalArgumentException(
          "attemptCountHeader: not a valid header name: \"" + name + "\"");
    }
    if (first != 0 && first != 1) {
      throw new IllegalArgumentException("attemptCountHeader: first must be 0 or 1: " + first);
    }
  }

  /** Valid header names, none of them Retry-After (always read). */
  static List<String> headerNames(String setting, String[] names) {
    Objects.requireNonNull(names, setting + " == null");
    for (String name : names) {
      Objects.requireNonNull(name, setting + ": a header name is null");
      if (name.isEmpty() || !name.chars().allMatch(IdempotencyKey::isTokenChar)) {
        throw new IllegalArgumentException(setting + ": not a valid header name: \"" + name + "\"");
      }
      if (name.equalsIgnoreCase("Retry-After")) {
        throw new IllegalArgumentException(setting + ": Retry-After is always read, in seconds"
            + " or as a date, after the millisecond hints");
      }
    }
    return Arrays.asList(names);
  }

  /** Above 0 and at most a day. */
  static Duration positive(Duration value, String name) {
    Objects.requireNonNull(value, name + " == null");
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be > 0: " + DurationText.of(value));
    }
    Backoff.checkDuration(value, name);
    return value;
  }

  /** maxAttempts in [1, {@link #MAX_ATTEMPTS_LIMIT}]. */
  static void maxAttempts(int maxAttempts) {
    if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
      throw new IllegalArgumentException(
          "maxAttempts must be in [1, " + MAX_ATTEMPTS_LIMIT + "]: " + maxAttempts);
    }
  }

  /** What {@code build()} checks: the attempt timeout, if any, within the deadline, if any. */
  static void timeoutWithinDeadline(Duration attemptTimeout, Duration deadline) {
    if (deadline != null && attemptTimeout != null && attemptTimeout.compareTo(deadline) > 0) {
      throw new IllegalStateException(
          "attemptTimeout (" + DurationText.of(attemptTimeout) + ") exceeds deadline ("
              + DurationText.of(deadline) + ")");
    }
  }
}
