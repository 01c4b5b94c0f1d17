package dev.stoic;

import dev.stoic.http.Retryability;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every setting of a {@link RetryPolicy}, under the key that both {@link StoicConfig} reads and
 * {@link RetryPolicy#describe()} prints, so that the schema and the description cannot drift
 * apart. The order is the order of describe(). Each setting parses its text (throwing {@link
 * IllegalArgumentException} with the accepted range; the caller names the key) and reads its
 * value back from a policy. Settings that hold code (a listener, a clock) are described but can
 * only be set in code.
 */
enum Setting {
  MAX_ATTEMPTS("max-attempts", "integer", "1 to " + RetryPolicy.Builder.MAX_ATTEMPTS_LIMIT) {
    @Override Object parse(String text) {
      int value = ConfigText.integer(text);
      if (value < 1 || value > RetryPolicy.Builder.MAX_ATTEMPTS_LIMIT) throw outOfRange();
      return value;
    }

    @Override String value(RetryPolicy p) {
      return Integer.toString(p.maxAttempts());
    }
  },
  BACKOFF_BASE("backoff.base", "duration", "0 to 1d; 0 means no wait at all") {
    @Override Object parse(String text) {
      return upToADay(ConfigText.duration(text), this);
    }

    @Override String value(RetryPolicy p) {
      return ConfigText.duration(p.backoff().base());
    }
  },
  BACKOFF_CAP("backoff.cap", "duration", "backoff.base to 1d") {
    @Override Object parse(String text) {
      return upToADay(ConfigText.duration(text), this);
    }

    @Override String value(RetryPolicy p) {
      return ConfigText.duration(p.backoff().cap());
    }
  },
  BACKOFF_FACTOR("backoff.factor", "decimal", "1 to 100") {
    @Override Object parse(String text) {
      double value = ConfigText.decimal(text);
      if (value < 1 || value > 100) throw outOfRange();
      return value;
    }

    @Override String value(RetryPolicy p) {
      return ConfigText.decimal(p.backoff().factor());
    }
  },
  BACKOFF_JITTER("backoff.jitter", "one of", "none, full, equal, decorrelated") {
    @Override Object parse(String text) {
      String name = ConfigText.choice(text, List.of("none", "full", "equal", "decorrelated"));
      return Backoff.Jitter.valueOf(name.toUpperCase(Locale.ROOT));
    }

    @Override String value(RetryPolicy p) {
      return p.backoff().jitterKind().name().toLowerCase(Locale.ROOT);
    }
  },
  MAX_RETRY_AFTER("max-retry-after", "duration", "0 to 1d") {
    @Override Object parse(String text) {
      return upToADay(ConfigText.duration(text), this);
    }

    @Override String value(RetryPolicy p) {
      return ConfigText.duration(p.maxRetryAfter());
    }
  },
  DEADLINE("deadline", "duration or none", "above 0, up to 1d") {
    @Override Object parse(String text) {
      return positiveOrNone(text, this);
    }

    @Override String value(RetryPolicy p) {
      return ConfigText.optionalDuration(p.deadline());
    }
  },
  ATTEMPT_TIMEOUT("attempt-timeout", "duration or none", "above 0, up to 1d, at most deadline") {
    @Override Object parse(String text) {
      return positiveOrNone(text, this);
    }

    @Override String value(RetryPolicy p) {
      return ConfigText.optionalDuration(p.attemptTimeout());
    }
  },
  RETRY_ON_STATUS("retry-on-status", "list of status codes",
      "100 to 599; retried when safe, over the status table") {
    @Override Object parse(String text) {
      return statusCodes(text, this);
    }

    @Override String value(RetryPolicy p) {
      return codesWith(p, Retryability.WHEN_SAFE);
    }

    @Override boolean isSet(RetryPolicy p) {
      return !value(p).equals("none");
    }
  },
  NEVER_RETRY_STATUS("never-retry-status", "list of status codes",
      "100 to 599; never retried, over the status table") {
    @Override Object parse(String text) {
      return statusCodes(text, this);
    }

    @Override String value(RetryPolicy p) {
      return codesWith(p, Retryability.NEVER);
    }

    @Override boolean isSet(RetryPolicy p) {
      return !value(p).equals("none");
    }
  },
  /** One key per code: status.418 = always. */
  STATUS("status.<code>", "one of", String.join(", ", retryabilityNames())) {
    @Override Object parse(String text) {
      String name = ConfigText.choice(text, retryabilityNames());
      return Retryability.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    @Override String value(RetryPolicy p) {
      throw new UnsupportedOperationException("one line per code");
    }

    /** The codes whose rule is neither of the two lists above; nothing when there are none. */
    @Override void describe(RetryPolicy p, String prefix, StringBuilder out) {
      for (Map.Entry<Integer, Retryability> rule : new TreeMap<>(p.statusRules()).entrySet()) {
        Retryability r = rule.getValue();
        if (r == Retryability.WHEN_SAFE || r == Retryability.NEVER) continue;
        line(out, prefix + "status." + rule.getKey(), retryabilityName(r), true);
      }
    }
  },
  STATUS_CLASSIFIER("status-classifier", null, null) {
    @Override String value(RetryPolicy p) {
      return p.statusClassifier() == null ? "none" : ConfigText.codeName(p.statusClassifier());
    }
  },
  RETRY_ON_EXCEPTION("retry-on-exception", "list of class names",
      "Throwable types on the class path; retried when safe") {
    @Override Object parse(String text) {
      return throwableTypes(text);
    }

    @Override String value(RetryPolicy p) {
      return typesWith(p, true);
    }

    @Override boolean isSet(RetryPolicy p) {
      return !value(p).equals("none");
    }
  },
  NEVER_RETRY_ON_EXCEPTION("never-retry-on-exception", "list of class names",
      "Throwable types on the class path; checked before retry-on-exception") {
    @Override Object parse(String text) {
      return throwableTypes(text);
    }

    @Override String value(RetryPolicy p) {
      return typesWith(p, false);
    }

    @Override boolean isSet(RetryPolicy p) {
      return !value(p).equals("none");
    }
  },
  IDEMPOTENCY_KEY_HEADER("idempotency-key.header", "header name or none",
      "an HTTP token such as Idempotency-Key; none ignores keys altogether") {
    @Override Object parse(String text) {
      String name = text.trim();
      if (name.equalsIgnoreCase("none")) return IdempotencyKey.none();
      try {
        return IdempotencyKey.header(name);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("not a header name");
      }
    }

    @Override String value(RetryPolicy p) {
      String name = p.idempotencyKey().headerName();
      return name == null ? "none" : name;
    }
  },
  IDEMPOTENCY_KEY_AUTO_GENERATE("idempotency-key.auto-generate", "boolean", "true, false") {
    @Override Object parse(String text) {
      return ConfigText.bool(text);
    }

    @Override String value(RetryPolicy p) {
      return Boolean.toString(p.idempotencyKey().autoGenerates());
    }
  },
  IDEMPOTENCY_KEY_FORMAT("idempotency-key.format", "one of", "structured, plain") {
    @Override Object parse(String text) {
      String name = ConfigText.choice(text, List.of("structured", "plain"));
      return IdempotencyKey.Format.valueOf(name.toUpperCase(Locale.ROOT));
    }

    @Override String value(RetryPolicy p) {
      return p.idempotencyKey().format().name().toLowerCase(Locale.ROOT);
    }
  },
  IDEMPOTENCY_KEY_GENERATOR("idempotency-key.generator", null, null) {
    @Override String value(RetryPolicy p) {
      Object generator = p.idempotencyKey().generator();
      return generator == null ? "uuid" : ConfigText.codeName(generator);
    }
  },
  SECRET_HEADERS("secret-headers", "list of header names",
      "added to authorization, cookie, proxy-authorization, set-cookie") {
    @Override Object parse(String text) {
      return ConfigText.list(text);
    }

    @Override String value(RetryPolicy p) {
      return ConfigText.list(new ArrayList<>(p.redaction().secretHeaderNames()));
    }
  },
  SECRET_QUERY_PARAMETERS("secret-query-parameters", "list of names", "added to the defaults") {
    @Override Object parse(String text) {
      return ConfigText.list(text);
    }

    @Override String value(RetryPolicy p) {
      return ConfigText.list(new ArrayList<>(p.redaction().secretQueryParameterNames()));
    }
  },
  THROW_ON_FAILURE_STATUS("throw-on-failure-status", "boolean", "true, false") {
    @Override Object parse(String text) {
      return ConfigText.bool(text);
    }

    @Override String value(RetryPolicy p) {
      return Boolean.toString(p.throwOnFailureStatus());
    }
  },
  RETRY_BUDGET("retry-budget", "one of", "per-host, shared, unlimited") {
    @Override Object parse(String text) {
      return ConfigText.choice(text, List.of("per-host", "shared", "unlimited"));
    }

    @Override String value(RetryPolicy p) {
      RetryBudget b = p.retryBudget();
      return !b.isEnabled() ? "unlimited" : b.isPerHost() ? "per-host" : "shared";
    }
  },
  RETRY_BUDGET_CAPACITY("retry-budget.capacity", "decimal", "1 to 1000000") {
    @Override String value(RetryPolicy p) {
      return ConfigText.decimal(p.retryBudget().capacity());
    }
  },
  RETRY_BUDGET_COST("retry-budget.cost-per-retry", "decimal", "0.001 to capacity") {
    @Override String value(RetryPolicy p) {
      return ConfigText.decimal(p.retryBudget().costPerRetry());
    }
  },
  RETRY_BUDGET_REFILL("retry-budget.refill-per-success", "decimal", "0, or 0.001 to capacity") {
    @Override String value(RetryPolicy p) {
      return ConfigText.decimal(p.retryBudget().refillPerSuccess());
    }
  },
  THROTTLE("throttle", null, null) {
    @Override String value(RetryPolicy p) {
      Throttle throttle = p.throttle();
      if (throttle == null) return "none";
      if (!(throttle instanceof AllThrottles)) return ConfigText.codeName(throttle);
      StringBuilder all = new StringBuilder("all of ");
      for (Throttle part : ((AllThrottles) throttle).parts()) {
        if (all.length() > 7) all.append(", ");
        all.append(ConfigText.codeName(part));
      }
      return all.toString();
    }
  },
  CREDENTIAL_REFRESHER("credential-refresher", null, null) {
    @Override String value(RetryPolicy p) {
      CredentialRefresher r = p.credentialRefresher();
      return r == null ? "none" : ConfigText.codeName(r);
    }
  },
  LISTENERS("listeners", null, null) {
    @Override String value(RetryPolicy p) {
      List<String> names = new ArrayList<>();
      for (RetryListener listener : p.listeners()) names.add(ConfigText.codeName(listener));
      return ConfigText.list(names);
    }

    @Override boolean isSet(RetryPolicy p) {
      return !p.listeners().isEmpty();
    }
  },
  OBSERVERS("observers", null, null) {
    @Override String value(RetryPolicy p) {
      List<String> names = new ArrayList<>();
      for (RetryObserver observer : p.observers()) names.add(ConfigText.codeName(observer));
      return ConfigText.list(names);
    }

    @Override boolean isSet(RetryPolicy p) {
      return !p.observers().isEmpty();
    }
  },
  CLOCK("clock", null, null) {
    @Override String value(RetryPolicy p) {
      return p.clock() == RetryClock.system() ? "system" : ConfigText.codeName(p.clock());
    }
  },
  RANDOM("random", null, null) {
    @Override String value(RetryPolicy p) {
      return p.isSet(this) ? ConfigText.codeName(p.random()) : "thread-local-random";
    }
  },
  DELAY_HINT_HEADERS("delay-hint-headers", null, null) {
    @Override String value(RetryPolicy p) {
      return ConfigText.list(p.hintHeaders().delayMillis());
    }
  },
  SHOULD_RETRY_HEADERS("should-retry-headers", null, null) {
    @Override String value(RetryPolicy p) {
      return ConfigText.list(p.hintHeaders().shouldRetry());
    }
  },
  ATTEMPT_COUNT_HEADER("attempt-count-header", null, null) {
    @Override String value(RetryPolicy p) {
      String name = p.attemptCountHeader();
      return name == null ? "none" : name + " (counting from " + p.attemptCountFirst() + ")";
    }
  },
  HEDGING("hedging", null, null) {
    @Override String value(RetryPolicy p) {
      return p.hedging() == null ? "none" : p.hedging().toString();
    }
  };

  /** The budget's keys: one budget serves a whole client, so routes cannot set them. */
  static final List<Setting> BUDGET =
      List.of(RETRY_BUDGET, RETRY_BUDGET_CAPACITY, RETRY_BUDGET_COST, RETRY_BUDGET_REFILL);

  final String key;
  /** What kind of value the key takes; null for a setting made in code only. */
  final String type;
  /** The values accepted, as the error for a bad value and the schema table say it. */
  final String accepted;

  Setting(String key, String type, String accepted) {
    this.key = key;
    this.type = type;
    this.accepted = accepted;
  }

  /** True if the setting can be read from a configuration source. */
  boolean configurable() {
    return type != null;
  }

  /**
   * Reads the value from its text. The exception's message is {@link #outOfRange()}'s, or says
   * what is wrong with the text (then the caller adds what is accepted). The budget's numbers
   * are checked against each other when applied.
   */
  Object parse(String text) {
    if (BUDGET.contains(this)) return ConfigText.decimal(text);
    throw new IllegalArgumentException("can only be set in code");
  }

  /** The policy's value as text that {@link #parse} reads back. */
  abstract String value(RetryPolicy p);

  /** True if the policy's builder set it; false for the default. */
  boolean isSet(RetryPolicy p) {
    return p.isSet(this);
  }

  /**
   * Appends this setting's lines: {@code key = value (set)} or {@code (default)}. An unlimited
   * budget has no numbers, so their lines are left out.
   */
  void describe(RetryPolicy p, String prefix, StringBuilder out) {
    if (BUDGET.contains(this) && this != RETRY_BUDGET && !p.retryBudget().isEnabled()) return;
    line(out, prefix + key, value(p), isSet(p));
  }

  /** Every line of {@code p}, each key behind {@code prefix}; the budget's only if asked. */
  static void describe(RetryPolicy p, String prefix, boolean budget, StringBuilder out) {
    for (Setting setting : values()) {
      if (!budget && BUDGET.contains(setting)) continue;
      setting.describe(p, prefix, out);
    }
  }

  static void line(StringBuilder out, String key, String value, boolean set) {
    out.append(key).append(" = ").append(value).append(set ? " (set)\n" : " (default)\n");
  }

  IllegalArgumentException outOfRange() {
    return new IllegalArgumentException("must be " + expected());
  }

  /** "an integer: 1 to 100", "one of: none, full, equal, decorrelated". */
  String expected() {
    if (type.startsWith("one of")) return "one of: " + accepted;
    String article = "aeiou".indexOf(type.charAt(0)) >= 0 ? "an " : "a ";
    return article + type + ": " + accepted;
  }

  private static Duration upToADay(Duration d, Setting setting) {
    if (d.isNegative() || d.compareTo(Duration.ofDays(1)) > 0) throw setting.outOfRange();
    return d;
  }

  /** A positive duration, or null for "none". */
  private static Duration positiveOrNone(String text, Setting setting) {
    if (text.trim().equalsIgnoreCase("none")) return null;
    Duration d = upToADay(ConfigText.duration(text), setting);
    if (d.isZero()) throw setting.outOfRange();
    return d;
  }

  private static List<Integer> statusCodes(String text, Setting setting) {
    List<Integer> codes = new ArrayList<>();
    for (String item : ConfigText.list(text)) {
      int code;
      try {
        code = ConfigText.integer(item);
      } catch (IllegalArgumentException e) {
        throw setting.outOfRange();
      }
      if (code < 100 || code > 599) throw setting.outOfRange();
      codes.add(code);
    }
    return codes;
  }

  private static String codesWith(RetryPolicy p, Retryability retryability) {
    List<String> codes = new ArrayList<>();
    for (Map.Entry<Integer, Retryability> rule : new TreeMap<>(p.statusRules()).entrySet()) {
      if (rule.getValue() == retryability) codes.add(rule.getKey().toString());
    }
    return ConfigText.list(codes);
  }

  private static List<Class<? extends Throwable>> throwableTypes(String text) {
    List<Class<? extends Throwable>> types = new ArrayList<>();
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) loader = Setting.class.getClassLoader();
    for (String name : ConfigText.list(text)) {
      Class<?> type;
      try {
        type = Class.forName(name, false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        throw new IllegalArgumentException(name + " is not on the class path");
      }
      if (!Throwable.class.isAssignableFrom(type)) {
        throw new IllegalArgumentException(name + " is not a Throwable");
      }
      types.add(type.asSubclass(Throwable.class));
    }
    return types;
  }

  private static String typesWith(RetryPolicy p, boolean retry) {
    List<String> names = new ArrayList<>();
    for (Map.Entry<Class<? extends Throwable>, Boolean> rule : p.exceptionRules().entrySet()) {
      if (rule.getValue() == retry) names.add(rule.getKey().getName());
    }
    return ConfigText.list(names);
  }

  static List<String> retryabilityNames() {
    List<String> names = new ArrayList<>();
    for (Retryability r : Retryability.values()) names.add(retryabilityName(r));
    return names;
  }

  static String retryabilityName(Retryability r) {
    return r.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
