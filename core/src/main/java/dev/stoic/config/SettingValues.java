package dev.stoic.config;

import dev.stoic.Backoff;
import dev.stoic.IdempotencyKey;
import dev.stoic.RetryBudget;
import dev.stoic.RetryPolicy;

import dev.stoic.http.Retryability;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The settings one configuration source gives one policy (the top level, or one route), parsed
 * and range-checked, and how they apply on top of a base policy. Checks that involve two settings
 * (cap and base, timeout and deadline, a budget's cost and capacity) are made when applying,
 * against the base's values for keys the source leaves out; every problem names its key as the
 * source wrote it. Not thread-safe while filled; read-only afterwards.
 */
final class SettingValues {
  private final Map<Setting, Object> values = new EnumMap<>(Setting.class);
  private final Map<Setting, String> keys = new EnumMap<>(Setting.class);
  private final Map<Integer, Retryability> statuses = new TreeMap<>();
  private final Map<Integer, String> statusKeys = new TreeMap<>();

  /** Parses {@code text} for {@code setting}; returns the problem, or null if it is fine. */
  String put(Setting setting, String sourceKey, String text) {
    try {
      values.put(setting, setting.parse(text));
      keys.put(setting, sourceKey);
      return null;
    } catch (IllegalArgumentException e) {
      return problem(setting, sourceKey, text, e);
    }
  }

  /** key = "text": what is wrong; must be what is accepted. */
  private static String problem(
      Setting setting, String sourceKey, String text, IllegalArgumentException e) {
    String expected = "must be " + setting.expected();
    String why = e.getMessage();
    return sourceKey + " = " + ConfigText.quote(text) + ": "
        + (why.equals(expected) ? why : why + "; " + expected);
  }

  /** Parses a {@code status.<code>} rule; returns the problem, or null. */
  String putStatus(int code, String sourceKey, String text) {
    try {
      statuses.put(code, (Retryability) Setting.STATUS.parse(text));
      statusKeys.put(code, sourceKey);
      return null;
    } catch (IllegalArgumentException e) {
      return problem(Setting.STATUS, sourceKey, text, e);
    }
  }

  boolean has(Setting setting) {
    return values.containsKey(setting);
  }

  /** The key as the source wrote it: stoic.max-attempts, or STOIC_MAX_ATTEMPTS. */
  String key(Setting setting) {
    return keys.get(setting);
  }

  /**
   * Returns {@code base} with these settings on top.
   *
   * @throws IllegalArgumentException listing every problem, one per line, each naming its key
   */
  RetryPolicy applyTo(RetryPolicy base) {
    List<String> problems = new ArrayList<>();
    RetryPolicy policy = applyTo(base, problems);
    if (policy == null) throw StoicConfig.problems(problems);
    return policy;
  }

  /** Returns {@code base} with these settings on top, or null after adding to {@code problems}. */
  RetryPolicy applyTo(RetryPolicy base, List<String> problems) {
    int before = problems.size();
    RetryPolicy.Builder b = base.toBuilder();
    if (has(Setting.MAX_ATTEMPTS)) b.maxAttempts((Integer) get(Setting.MAX_ATTEMPTS));
    backoff(base, b, problems);
    if (has(Setting.MAX_RETRY_AFTER)) b.maxRetryAfter((Duration) get(Setting.MAX_RETRY_AFTER));
    limits(base, b, problems);
    statusRules(b, problems);
    exceptionRules(b, problems);
    idempotencyKey(base, b, problems);
    if (has(Setting.SECRET_HEADERS)) b.secretHeaders(strings(Setting.SECRET_HEADERS));
    if (has(Setting.SECRET_QUERY_PARAMETERS)) {
      b.secretQueryParameters(strings(Setting.SECRET_QUERY_PARAMETERS));
    }
    if (has(Setting.THROW_ON_FAILURE_STATUS)) {
      b.throwOnFailureStatus((Boolean) get(Setting.THROW_ON_FAILURE_STATUS));
    }
    budget(base, b, problems);
    return problems.size() > before ? null : b.build();
  }

  private Object get(Setting setting) {
    return values.get(setting);
  }

  private String[] strings(Setting setting) {
    @SuppressWarnings("unchecked")
    List<String> list = (List<String>) get(setting);
    return list.toArray(new String[0]);
  }

  private void backoff(RetryPolicy base, RetryPolicy.Builder b, List<String> problems) {
    List<Setting> given = new ArrayList<>();
    for (Setting s : List.of(Setting.BACKOFF_BASE, Setting.BACKOFF_CAP, Setting.BACKOFF_FACTOR,
        Setting.BACKOFF_JITTER)) {
      if (has(s)) given.add(s);
    }
    if (given.isEmpty()) return;
    Backoff from = base.backoff();
    Duration start = has(Setting.BACKOFF_BASE) ? (Duration) get(Setting.BACKOFF_BASE) : from.base();
    if (start.isZero()) {
      // No wait at all: a cap, factor or jitter would change nothing, so one given is a mistake.
      for (Setting s : given) {
        if (s != Setting.BACKOFF_BASE) {
          problems.add(key(s) + ": has no effect when backoff.base is 0 (no wait between"
              + " attempts); remove it or set backoff.base above 0");
        }
      }
      b.backoff(Backoff.none());
      return;
    }
    Duration cap = has(Setting.BACKOFF_CAP) ? (Duration) get(Setting.BACKOFF_CAP)
        : from.cap().compareTo(start) >= 0 ? from.cap() : start;
    if (cap.compareTo(start) < 0) {
      problems.add(key(Setting.BACKOFF_CAP) + " = " + ConfigText.duration(cap)
          + ": must be at least backoff.base (" + ConfigText.duration(start) + ")");
      return;
    }
    double factor = has(Setting.BACKOFF_FACTOR) ? (Double) get(Setting.BACKOFF_FACTOR)
        : from.factor();
    Backoff.Jitter jitter = has(Setting.BACKOFF_JITTER)
        ? (Backoff.Jitter) get(Setting.BACKOFF_JITTER) : from.jitterKind();
    b.backoff(Backoff.exponential(start, cap).factor(factor).jitter(jitter));
  }

  private void limits(RetryPolicy base, RetryPolicy.Builder b, List<String> problems) {
    Duration deadline = has(Setting.DEADLINE) ? (Duration) get(Setting.DEADLINE) : base.deadline();
    Duration timeout = has(Setting.ATTEMPT_TIMEOUT)
        ? (Duration) get(Setting.ATTEMPT_TIMEOUT) : base.attemptTimeout();
    if ((has(Setting.DEADLINE) || has(Setting.ATTEMPT_TIMEOUT)) && deadline != null
        && timeout != null && timeout.compareTo(deadline) > 0) {
      String key = has(Setting.ATTEMPT_TIMEOUT) ? key(Setting.ATTEMPT_TIMEOUT)
          : key(Setting.DEADLINE);
      problems.add(key + ": attempt-timeout (" + ConfigText.duration(timeout)
          + ") must be at most deadline (" + ConfigText.duration(deadline) + ")");
      return;
    }
    if (has(Setting.DEADLINE)) {
      if (deadline == null) b.noDeadline(); else b.deadline(deadline);
    }
    if (has(Setting.ATTEMPT_TIMEOUT) && timeout != null) b.attemptTimeout(timeout);
    if (has(Setting.ATTEMPT_TIMEOUT) && timeout == null && base.attemptTimeout() != null) {
      problems.add(key(Setting.ATTEMPT_TIMEOUT) + " = \"none\": the base policy sets an"
          + " attempt timeout in code, which configuration cannot remove");
    }
  }

  @SuppressWarnings("unchecked")
  private void statusRules(RetryPolicy.Builder b, List<String> problems) {
    Map<Integer, String> claimed = new TreeMap<>(statusKeys);
    for (Setting list : List.of(Setting.RETRY_ON_STATUS, Setting.NEVER_RETRY_STATUS)) {
      if (!has(list)) continue;
      for (int code : (List<Integer>) get(list)) {
        String earlier = claimed.putIfAbsent(code, key(list));
        if (earlier != null && !earlier.equals(key(list))) {
          problems.add(key(list) + ": status " + code + " is also given by " + earlier
              + "; give each code one rule");
        }
      }
    }
    if (has(Setting.RETRY_ON_STATUS)) {
      b.retryOnStatus(codes((List<Integer>) get(Setting.RETRY_ON_STATUS)));
    }
    if (has(Setting.NEVER_RETRY_STATUS)) {
      b.neverRetryStatus(codes((List<Integer>) get(Setting.NEVER_RETRY_STATUS)));
    }
    for (Map.Entry<Integer, Retryability> rule : statuses.entrySet()) {
      b.statusRule(rule.getValue(), rule.getKey());
    }
  }

  private static int[] codes(List<Integer> list) {
    int[] codes = new int[list.size()];
    for (int i = 0; i < codes.length; i++) codes[i] = list.get(i);
    return codes;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void exceptionRules(RetryPolicy.Builder b, List<String> problems) {
    List<Class<? extends Throwable>> retry = has(Setting.RETRY_ON_EXCEPTION)
        ? (List<Class<? extends Throwable>>) get(Setting.RETRY_ON_EXCEPTION) : List.of();
    List<Class<? extends Throwable>> never = has(Setting.NEVER_RETRY_ON_EXCEPTION)
        ? (List<Class<? extends Throwable>>) get(Setting.NEVER_RETRY_ON_EXCEPTION) : List.of();
    for (Class<? extends Throwable> type : retry) {
      if (never.contains(type)) {
        problems.add(key(Setting.RETRY_ON_EXCEPTION) + ": " + type.getName() + " is also in "
            + key(Setting.NEVER_RETRY_ON_EXCEPTION) + "; give each type one rule");
      }
    }
    // Never-rules first: the first matching rule wins, so for related types "never" is checked
    // before "retry" whatever order the source listed them in.
    if (!never.isEmpty()) b.neverRetryOnException(never.toArray(new Class[0]));
    if (!retry.isEmpty()) b.retryOnException(retry.toArray(new Class[0]));
  }

  private void idempotencyKey(RetryPolicy base, RetryPolicy.Builder b, List<String> problems) {
    boolean header = has(Setting.IDEMPOTENCY_KEY_HEADER);
    boolean auto = has(Setting.IDEMPOTENCY_KEY_AUTO_GENERATE);
    boolean format = has(Setting.IDEMPOTENCY_KEY_FORMAT);
    if (!header && !auto && !format) return;
    IdempotencyKey from = base.idempotencyKey();
    IdempotencyKey key = header ? (IdempotencyKey) get(Setting.IDEMPOTENCY_KEY_HEADER) : from;
    boolean generate = auto ? (Boolean) get(Setting.IDEMPOTENCY_KEY_AUTO_GENERATE)
        : from.autoGenerates();
    IdempotencyKey.Format written = format
        ? (IdempotencyKey.Format) get(Setting.IDEMPOTENCY_KEY_FORMAT) : from.format();
    if (key.headerName() == null) {
      if (generate && auto) {
        problems.add(key(Setting.IDEMPOTENCY_KEY_AUTO_GENERATE) + " = true: needs a header;"
            + " idempotency-key.header is none");
      } else if (format) {
        problems.add(key(Setting.IDEMPOTENCY_KEY_FORMAT) + ": has no effect when"
            + " idempotency-key.header is none");
      }
      b.idempotencyKey(IdempotencyKey.none());
      return;
    }
    key = IdempotencyKey.header(key.headerName());
    if (generate) {
      key = Setting.ACCESS.keyGenerator(from) != null
          ? key.autoGenerate(Setting.ACCESS.keyGenerator(from)) : key.autoGenerate();
    }
    if (written == IdempotencyKey.Format.PLAIN) key = key.plain();
    b.idempotencyKey(key);
  }

  private void budget(RetryPolicy base, RetryPolicy.Builder b, List<String> problems) {
    List<Setting> given = new ArrayList<>();
    for (Setting s : Setting.BUDGET) {
      if (has(s)) given.add(s);
    }
    if (given.isEmpty()) return;
    double[] from = Setting.ACCESS.budgetNumbers(base.retryBudget()); // defaults if unlimited
    String kind = has(Setting.RETRY_BUDGET) ? (String) get(Setting.RETRY_BUDGET)
        : Setting.RETRY_BUDGET.value(base);
    if (kind.equals("unlimited")) {
      for (Setting s : given) {
        if (s != Setting.RETRY_BUDGET) {
          problems.add(key(s) + ": has no effect with retry-budget = unlimited");
        }
      }
      b.retryBudget(RetryBudget.unlimited());
      return;
    }
    double capacity = number(Setting.RETRY_BUDGET_CAPACITY, from[0]);
    double cost = number(Setting.RETRY_BUDGET_COST, from[1]);
    double refill = number(Setting.RETRY_BUDGET_REFILL, from[2]);
    int before = problems.size();
    if (!(capacity >= 1 && capacity <= 1_000_000)) {
      problems.add(bad(Setting.RETRY_BUDGET_CAPACITY, capacity)
          + "must be " + Setting.RETRY_BUDGET_CAPACITY.expected());
      return; // the others are checked against the capacity
    }
    if (!(cost >= 0.001 && cost <= capacity)) {
      problems.add(bad(Setting.RETRY_BUDGET_COST, cost) + "must be "
          + Setting.RETRY_BUDGET_COST.expected() + " (" + ConfigText.decimal(capacity) + ")");
    }
    if (!(refill == 0 || (refill >= 0.001 && refill <= capacity))) {
      problems.add(bad(Setting.RETRY_BUDGET_REFILL, refill) + "must be "
          + Setting.RETRY_BUDGET_REFILL.expected() + " (" + ConfigText.decimal(capacity) + ")");
    }
    if (problems.size() > before) return;
    b.retryBudget(kind.equals("shared")
        ? RetryBudget.shared(capacity, cost, refill)
        : RetryBudget.perHost(capacity, cost, refill));
  }

  private double number(Setting setting, double otherwise) {
    return has(setting) ? (Double) get(setting) : otherwise;
  }

  /** The start of a problem with a number: the key as given, or the base's value if not given. */
  private String bad(Setting setting, double value) {
    return has(setting) ? key(setting) + " = " + ConfigText.decimal(value) + ": "
        : setting.key + " (" + ConfigText.decimal(value) + ", from the base policy): ";
  }
}
