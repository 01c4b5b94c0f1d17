package dev.stoic.config;

import dev.stoic.Backoff;
import dev.stoic.CredentialRefresher;
import dev.stoic.IdempotencyKey;
import dev.stoic.RetryClock;
import dev.stoic.RetryListener;
import dev.stoic.RetryObserver;
import dev.stoic.RetryPolicy;
import dev.stoic.Throttle;

import dev.stoic.http.Retryability;
import dev.stoic.internal.PolicyAccess;
import dev.stoic.internal.PolicyText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
  MAX_ATTEMPTS("max-attempts", "integer", "1 to " + Setting.MAX_ATTEMPTS_LIMIT) {
    @Override Object parse(String text) {
      int value = ConfigText.integer(text);
      if (value < 1 || value > MAX_ATTEMPTS_LIMIT) throw outOfRange();
      return value;
    }

    @Override String value(RetryPolicy p) {
      return Integer.toString(p.maxAttempts());
    }
  },
  BACKOFF_BASE("backoff.base", "duration", "0 to 1d; 0 means no wait at all") {
    @Override Object parse(String text) {
      return ConfigText.upToADay(ConfigText.duration(text), this);
    }

    @Override String value(RetryPolicy p) {
      return ConfigText.duration(p.backoff().base());
    }
  },
  BACKOFF_CAP("backoff.cap", "duration", "backoff.base to 1d") {
    @Override Object parse(String text) {
      return ConfigText.upToADay(ConfigText.duration(text), this);
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
      return ConfigText.upToADay(ConfigText.duration(text), this);
    }

    @Override String value(RetryPolicy p) {
      return ConfigText.duration(p.maxRetryAfter());
    }
  },
  DEADLINE("deadline", "duration or none", "above 0, up to 1d") {
    @Override Object parse(String text) {
      return ConfigText.positiveOrNone(text, this);
    }

    @Override String value(RetryPolicy p) {
      return ConfigText.optionalDuration(p.deadline());
    }
  },
  ATTEMPT_TIMEOUT("attempt-timeout", "duration or none", "above 0, up to 1d, at most deadline") {
    @Override Object parse(String text) {
      return ConfigText.positiveOrNone(text, this);
    }

    @Override String value(RetryPolicy p) {
      return ConfigText.optionalDuration(p.attemptTimeout());
    }
  },
  RETRY_ON_STATUS("retry-on-status", "list of status codes",
      "100 to 599; retried when safe, over the status table") {
    @Override Object parse(String text) {
      return ConfigText.statusCodes(text, this);
    }

    @Override String value(RetryPolicy p) {
      return PolicyDescription.codesWith(p, Retryability.WHEN_SAFE);
    }
  },
  NEVER_RETRY_STATUS("never-retry-status", "list of status codes",
      "100 to 599; never retried, over the status table") {
    @Override Object parse(String text) {
      return ConfigText.statusCodes(text, this);
    }

    @Override String value(RetryPolicy p) {
      return PolicyDescription.codesWith(p, Retryability.NEVER);
    }
  },
  /** One key per code: status.418 = always. */
  STATUS("status.<code>", "one of", String.join(", ", PolicyDescription.retryabilityNames())) {
    @Override Object parse(String text) {
      String name = ConfigText.choice(text, PolicyDescription.retryabilityNames());
      return Retryability.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    @Override String value(RetryPolicy p) {
      throw new UnsupportedOperationException("one line per code");
    }

    /** The codes whose rule is neither of the two lists above; nothing when there are none. */
    @Override void describe(RetryPolicy p, String prefix, StringBuilder out) {
      for (Map.Entry<Integer, Retryability> rule : new TreeMap<>(PolicyDescription.statusRules(p)).entrySet()) {
        Retryability r = rule.getValue();
        if (r == Retryability.WHEN_SAFE || r == Retryability.NEVER) continue;
        PolicyDescription.line(out, prefix + "status." + rule.getKey(), PolicyDescription.retryabilityName(r), true);
      }
    }
  },
  STATUS_CLASSIFIER("status-classifier", null, null) {
    @Override String value(RetryPolicy p) {
      return ACCESS.statusClassifier(p) == null ? "none"
          : ConfigText.codeName(ACCESS.statusClassifier(p));
    }
  },
  RETRY_ON_EXCEPTION("retry-on-exception", "list of class names",
      "Throwable types on the class path; retried when safe") {
    @Override Object parse(String text) {
      return ConfigText.throwableTypes(text);
    }

    @Override String value(RetryPolicy p) {
      return PolicyDescription.typesWith(p, true);
    }
  },
  NEVER_RETRY_ON_EXCEPTION("never-retry-on-exception", "list of class names",
      "Throwable types on the class path; checked before retry-on-exception") {
    @Override Object parse(String text) {
      return ConfigText.throwableTypes(text);
    }

    @Override String value(RetryPolicy p) {
      return PolicyDescription.typesWith(p, false);
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
      Object generator = ACCESS.keyGenerator(p.idempotencyKey());
      return generator == null ? "uuid" : ConfigText.codeName(generator);
    }
  },
  SECRET_HEADERS("secret-headers", "list of header names",
      "added to authorization, cookie, proxy-authorization, set-cookie") {
    @Override Object parse(String text) {
      return ConfigText.list(text);
    }

    @Override String value(RetryPolicy p) {
      return PolicyDescription.names(ACCESS.secretNames(p.redaction(), true));
    }
  },
  SECRET_QUERY_PARAMETERS("secret-query-parameters", "list of names", "added to the defaults") {
    @Override Object parse(String text) {
      return ConfigText.list(text);
    }

    @Override String value(RetryPolicy p) {
      return PolicyDescription.names(ACCESS.secretNames(p.redaction(), false));
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
      if (!p.retryBudget().isEnabled()) return "unlimited";
      return ACCESS.budgetNumbers(p.retryBudget())[3] == 1 ? "per-host" : "shared";
    }
  },
  RETRY_BUDGET_CAPACITY("retry-budget.capacity", "decimal", "1 to 1000000") {
    @Override String value(RetryPolicy p) {
      return ConfigText.decimal(ACCESS.budgetNumbers(p.retryBudget())[0]);
    }
  },
  RETRY_BUDGET_COST("retry-budget.cost-per-retry", "decimal", "0.001 to capacity") {
    @Override String value(RetryPolicy p) {
      return ConfigText.decimal(ACCESS.budgetNumbers(p.retryBudget())[1]);
    }
  },
  RETRY_BUDGET_REFILL("retry-budget.refill-per-success", "decimal", "0, or 0.001 to capacity") {
    @Override String value(RetryPolicy p) {
      return ConfigText.decimal(ACCESS.budgetNumbers(p.retryBudget())[2]);
    }
  },
  THROTTLE("throttle", null, null) {
    @Override String value(RetryPolicy p) {
      Throttle throttle = p.throttle();
      if (throttle == null) return "none";
      Iterable<?> parts = ACCESS.throttleParts(throttle);
      if (parts == null) return ConfigText.codeName(throttle);
      StringBuilder all = new StringBuilder("all of ");
      for (Object part : parts) {
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
  },
  OBSERVERS("observers", null, null) {
    @Override String value(RetryPolicy p) {
      List<String> names = new ArrayList<>();
      for (RetryObserver observer : p.observers()) names.add(ConfigText.codeName(observer));
      return ConfigText.list(names);
    }
  },
  CLOCK("clock", null, null) {
    @Override String value(RetryPolicy p) {
      return p.clock() == RetryClock.system() ? "system" : ConfigText.codeName(p.clock());
    }
  },
  RANDOM("random", null, null) {
    @Override String value(RetryPolicy p) {
      return ACCESS.isSet(p, key) ? ConfigText.codeName(p.random()) : "thread-local-random";
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
      return name == null ? "none" : name + " (counting from " + ACCESS.attemptCountFirst(p) + ")";
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

  /** Lists that are "(set)" when they hold anything: the builder adds to them. */
  private static final Set<Setting> SET_WHEN_GIVEN = EnumSet.of(RETRY_ON_STATUS,
      NEVER_RETRY_STATUS, RETRY_ON_EXCEPTION, NEVER_RETRY_ON_EXCEPTION, LISTENERS, OBSERVERS);

  /** The most attempts a policy allows, as {@code RetryPolicy.Builder.maxAttempts} checks. */
  static final int MAX_ATTEMPTS_LIMIT = 100;
  static final PolicyAccess ACCESS = PolicyAccess.get();

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
    if (SET_WHEN_GIVEN.contains(this)) return !value(p).equals("none");
    return ACCESS.isSet(p, key);
  }

  /**
   * Appends this setting's lines: {@code key = value (set)} or {@code (default)}. An unlimited
   * budget has no numbers, so their lines are left out.
   */
  void describe(RetryPolicy p, String prefix, StringBuilder out) {
    if (BUDGET.contains(this) && this != RETRY_BUDGET && !p.retryBudget().isEnabled()) return;
    PolicyDescription.line(out, prefix + key, value(p), isSet(p));
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
}
