package dev.stoic;

import dev.stoic.http.HintHeaders;
import dev.stoic.http.Retryability;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.IntFunction;

/**
 * The settings of a {@link RetryPolicy} being built, and the builder's methods, which {@link
 * RetryPolicy.Builder} (the public name) inherits: kept apart so that neither file grows past a
 * reading. Each setter validates its argument at once ({@link SettingChecks}) and records the key
 * it set, which {@link RetryPolicy#describe()} marks "(set)". Not thread-safe.
 */
abstract class PolicyBuilder {
  static final List<String> BACKOFF_KEYS =
      List.of("backoff.base", "backoff.cap", "backoff.factor", "backoff.jitter");
  static final List<String> IDEMPOTENCY_KEY_KEYS = List.of("idempotency-key.header",
      "idempotency-key.auto-generate", "idempotency-key.format", "idempotency-key.generator");
  /** The budget's keys: one budget serves a whole client. */
  static final List<String> BUDGET_KEYS = List.of("retry-budget", "retry-budget.capacity",
      "retry-budget.cost-per-retry", "retry-budget.refill-per-success");

  int maxAttempts = 5;
  Backoff backoff = Backoff.defaults();
  Duration maxRetryAfter = Duration.ofSeconds(60);
  Duration deadline;
  Duration attemptTimeout;
  final Map<Integer, Retryability> statusRules = new LinkedHashMap<>();
  IntFunction<Retryability> statusClassifier;
  final Map<Class<? extends Throwable>, Boolean> exceptionRules = new LinkedHashMap<>();
  IdempotencyKey idempotencyKey = IdempotencyKey.defaults();
  final List<RetryListener> listeners = new ArrayList<>();
  final List<RetryObserver> observers = new ArrayList<>();
  Redaction redaction = Redaction.defaults();
  RetryClock clock = RetryClock.system();
  DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
  CredentialRefresher credentialRefresher;
  boolean throwOnFailureStatus;
  RetryBudget retryBudget;
  Throttle throttle;
  /** The keys of the settings this builder set, as configuration names them. */
  final Set<String> set = new HashSet<>();
  HintHeaders hintHeaders = HintHeaders.defaults();
  String attemptCountHeader;
  int attemptCountFirst;
  Hedging hedging;

  PolicyBuilder() {}

  private RetryPolicy.Builder self() {
    return (RetryPolicy.Builder) this;
  }

  PolicyBuilder(RetryPolicy p) {
    maxAttempts = p.maxAttempts;
    backoff = p.backoff;
    maxRetryAfter = p.maxRetryAfter;
    deadline = p.deadline;
    attemptTimeout = p.attemptTimeout;
    statusRules.putAll(p.statusRules);
    statusClassifier = p.statusClassifier;
    exceptionRules.putAll(p.exceptionRules);
    idempotencyKey = p.idempotencyKey;
    listeners.addAll(p.listeners);
    observers.addAll(p.observers);
    redaction = p.redaction;
    clock = p.clock;
    random = p.random;
    credentialRefresher = p.credentialRefresher;
    throwOnFailureStatus = p.throwOnFailureStatus;
    retryBudget = p.retryBudget;
    throttle = p.throttle;
    set.addAll(p.set);
    hintHeaders = p.hintHeaders;
    attemptCountHeader = p.attemptCountHeader;
    attemptCountFirst = p.attemptCountFirst;
    hedging = p.hedging;
  }

  /**
   * Total attempts, the first included: 1 disables retrying.
   *
   * @throws IllegalArgumentException if not in [1, 100]
   */
  public RetryPolicy.Builder maxAttempts(int maxAttempts) {
    SettingChecks.maxAttempts(maxAttempts);
    this.maxAttempts = maxAttempts;
    set.add("max-attempts");
    return self();
  }

  /** The wait between attempts when the server gives no hint. */
  public RetryPolicy.Builder backoff(Backoff backoff) {
    this.backoff = Objects.requireNonNull(backoff, "backoff == null");
    set.addAll(BACKOFF_KEYS);
    return self();
  }

  /**
   * The longest {@code Retry-After} (or rate-limit reset) Stoic waits for; a longer hint returns
   * the response at once, since waiting that long inside one call is rarely what a caller wants.
   *
   * @throws IllegalArgumentException if negative or longer than a day
   */
  public RetryPolicy.Builder maxRetryAfter(Duration maxRetryAfter) {
    Backoff.checkDuration(maxRetryAfter, "maxRetryAfter");
    this.maxRetryAfter = maxRetryAfter;
    set.add("max-retry-after");
    return self();
  }

  /**
   * The time limit of the whole logical call, all attempts and waits included. A retry whose
   * wait would cross it is not started.
   *
   * @throws IllegalArgumentException if not positive or longer than a day
   */
  public RetryPolicy.Builder deadline(Duration deadline) {
    this.deadline = SettingChecks.positive(deadline, "deadline");
    set.add("deadline");
    return self();
  }

  /** Removes the deadline (the default). */
  public RetryPolicy.Builder noDeadline() {
    this.deadline = null;
    set.add("deadline");
    return self();
  }

  /**
   * The time limit of each attempt, applied by the adapter on top of the client's own timeouts.
   *
   * @throws IllegalArgumentException if not positive or longer than a day
   */
  public RetryPolicy.Builder attemptTimeout(Duration attemptTimeout) {
    this.attemptTimeout = SettingChecks.positive(attemptTimeout, "attemptTimeout");
    set.add("attempt-timeout");
    return self();
  }

  /**
   * Retries these status codes when safe (see {@link Retryability#WHEN_SAFE}).
   *
   * @throws IllegalArgumentException if a code is outside [400, 599]: 1xx, 2xx and 3xx are not
   *     failures and are never retried
   */
  public RetryPolicy.Builder retryOnStatus(int... codes) {
    return statusRule(Retryability.WHEN_SAFE, codes);
  }

  /** Never retries these status codes. */
  public RetryPolicy.Builder neverRetryStatus(int... codes) {
    return statusRule(Retryability.NEVER, codes);
  }

  /**
   * Treats these status codes as {@code retryability}, overriding the default table and any
   * classifier. The last rule set for a code wins.
   *
   * @throws IllegalArgumentException if a code is outside [100, 599], or if a retrying rule
   *     (anything but {@link Retryability#NEVER} and {@link Retryability#PASS_THROUGH}) names a
   *     1xx, 2xx or 3xx code
   */
  public RetryPolicy.Builder statusRule(Retryability retryability, int... codes) {
    Objects.requireNonNull(retryability, "retryability == null");
    Objects.requireNonNull(codes, "codes == null");
    SettingChecks.statusCodes(retryability, codes);
    for (int code : codes) statusRules.put(code, retryability);
    return self();
  }

  /**
   * Full control: {@code classifier} maps a status code to its treatment, or to null to fall
   * back to the default table. Explicit {@link #statusRule} entries still win. It is called
   * once per code in [100, 599] when the policy is built (so a broken classifier fails then),
   * and for a code outside that range each time one is seen.
   */
  public RetryPolicy.Builder statusClassifier(IntFunction<Retryability> classifier) {
    this.statusClassifier = Objects.requireNonNull(classifier, "classifier == null");
    set.add("status-classifier");
    return self();
  }

  /**
   * Retries failures of these types when safe, whatever the built-in classification says.
   * Cancellation and interruption are never retried.
   *
   * <p>Only {@link java.io.IOException}s are ever retried, so each type must be able to match
   * one: an {@code IOException} subtype, or a supertype such as {@code Exception}, which matches
   * every {@code IOException}.
   *
   * @throws IllegalArgumentException if a type can never be an {@code IOException} (such as
   *     {@code RuntimeException})
   */
  @SafeVarargs
  @SuppressWarnings("varargs") // the array is only read, as in Arrays.asList
  public final RetryPolicy.Builder retryOnException(Class<? extends Throwable>... types) {
    return exceptionRule(true, types == null ? null : Arrays.asList(types));
  }

  /**
   * Never retries failures of these types.
   *
   * <p>Failures that are not {@link java.io.IOException}s are never retried anyway, so the same
   * restriction as for {@link #retryOnException} applies: a rule that could never match would
   * only suggest that it does something.
   *
   * @throws IllegalArgumentException if a type can never be an {@code IOException}
   */
  @SafeVarargs
  @SuppressWarnings("varargs") // the array is only read, as in Arrays.asList
  public final RetryPolicy.Builder neverRetryOnException(Class<? extends Throwable>... types) {
    return exceptionRule(false, types == null ? null : Arrays.asList(types));
  }

  private RetryPolicy.Builder exceptionRule(boolean retry, List<Class<? extends Throwable>> types) {
    Objects.requireNonNull(types, "types == null");
    SettingChecks.exceptionTypes(retry ? "retryOnException" : "neverRetryOnException", types);
    for (Class<? extends Throwable> type : types) {
      exceptionRules.remove(type);
      exceptionRules.put(type, retry);
    }
    return self();
  }

  /** Where the idempotency key lives and whether Stoic generates one. */
  public RetryPolicy.Builder idempotencyKey(IdempotencyKey idempotencyKey) {
    this.idempotencyKey = Objects.requireNonNull(idempotencyKey, "idempotencyKey == null");
    set.addAll(IDEMPOTENCY_KEY_KEYS);
    return self();
  }

  /** Adds a listener; listeners are called in the order added. */
  public RetryPolicy.Builder listener(RetryListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener == null"));
    return self();
  }

  /**
   * Adds an observer that watches every call as it runs: Stoic's metrics ({@code
   * StoicMetrics}) and tracing ({@code StoicTracing}) are observers. Called in the order added.
   */
  public RetryPolicy.Builder observer(RetryObserver observer) {
    observers.add(Objects.requireNonNull(observer, "observer == null"));
    set.add("observers");
    return self();
  }

  /** Treats these headers as secret, on top of Authorization, Proxy-Authorization and Cookie. */
  public RetryPolicy.Builder secretHeaders(String... names) {
    Objects.requireNonNull(names, "names == null");
    redaction = redaction.withSecretHeaders(Arrays.asList(names));
    set.add("secret-headers");
    return self();
  }

  /** Redacts these query parameters' values, on top of the {@link Redaction} defaults. */
  public RetryPolicy.Builder secretQueryParameters(String... names) {
    Objects.requireNonNull(names, "names == null");
    redaction = redaction.withSecretQueryParameters(Arrays.asList(names));
    set.add("secret-query-parameters");
    return self();
  }

  /** The source of time and waits; tests pass a virtual clock. */
  public RetryPolicy.Builder clock(RetryClock clock) {
    this.clock = Objects.requireNonNull(clock, "clock == null");
    set.add("clock");
    return self();
  }

  /** The source of jitter draws in [0, 1); tests pass a fixed sequence. */
  public RetryPolicy.Builder random(DoubleSupplier random) {
    this.random = Objects.requireNonNull(random, "random == null");
    set.add("random");
    return self();
  }

  /** Enables one retry after a 401 with the credentials {@code refresher} returns. */
  public RetryPolicy.Builder credentialRefresher(CredentialRefresher refresher) {
    this.credentialRefresher = Objects.requireNonNull(refresher, "refresher == null");
    set.add("credential-refresher");
    return self();
  }

  /**
   * When true, a final response with a 4xx or 5xx status is closed and a {@link
   * RetriesExhaustedException} explaining it is thrown instead. Off by default: Stoic returns
   * what the server last said.
   */
  public RetryPolicy.Builder throwOnFailureStatus(boolean throwOnFailureStatus) {
    this.throwOnFailureStatus = throwOnFailureStatus;
    set.add("throw-on-failure-status");
    return self();
  }

  /**
   * The budget that caps retries across calls; {@link RetryBudget#unlimited()} turns it off. A
   * policy built without one gets its own {@link RetryBudget#perHost()}; policies derived with
   * {@link RetryPolicy#toBuilder()} share their origin's budget.
   */
  public RetryPolicy.Builder retryBudget(RetryBudget retryBudget) {
    this.retryBudget = Objects.requireNonNull(retryBudget, "retryBudget == null");
    set.addAll(BUDGET_KEYS);
    return self();
  }

  /** Paces every attempt through {@code throttle} (client-side rate limiting). */
  public RetryPolicy.Builder throttle(Throttle throttle) {
    this.throttle = Objects.requireNonNull(throttle, "throttle == null");
    set.add("throttle");
    return self();
  }

  /**
   * The headers whose value is the wait the server asks for in milliseconds, in order of
   * precedence; they win over {@code Retry-After}, under the same cap and deadline rules. By
   * default {@code retry-after-ms} and {@code x-ms-retry-after-ms}; no names turns them off.
   *
   * <pre>{@code
   * builder.delayHintHeaders("retry-after-ms", "x-ms-retry-after-ms", "x-acme-retry-in-ms");
   * }</pre>
   *
   * @throws IllegalArgumentException if a name is not a valid header name, or is Retry-After
   */
  public RetryPolicy.Builder delayHintHeaders(String... names) {
    hintHeaders = HintHeaders.of(SettingChecks.headerNames("delayHintHeaders", names), hintHeaders.shouldRetry());
    set.add("delay-hint-headers");
    return self();
  }

  /**
   * The headers whose {@code true} or {@code false} is the server's say on retrying, in order
   * of precedence: {@code false} ends retrying, {@code true} retries a status the table would
   * not, when the request is safe to repeat. By default {@code x-should-retry} and {@code
   * Stripe-Should-Retry}; no names turns them off.
   *
   * @throws IllegalArgumentException if a name is not a valid header name
   */
  public RetryPolicy.Builder shouldRetryHeaders(String... names) {
    hintHeaders = HintHeaders.of(hintHeaders.delayMillis(), SettingChecks.headerNames("shouldRetryHeaders", names));
    set.add("should-retry-headers");
    return self();
  }


  /**
   * Adds header {@code name} to every attempt, counting from {@code first}: 1 sends the
   * attempt number (1, 2, 3, as {@code x-envoy-attempt-count}), 0 the retries so far (0, 1, 2,
   * as {@code X-Stainless-Retry-Count}). A value the caller set on the request is kept. Off
   * by default.
   *
   * <pre>{@code
   * builder.attemptCountHeader("X-Stainless-Retry-Count", 0);
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code name} is not a valid header name, or {@code
   *     first} is neither 0 nor 1
   */
  public RetryPolicy.Builder attemptCountHeader(String name, int first) {
    SettingChecks.attemptCountHeader(name, first);
    this.attemptCountHeader = name;
    this.attemptCountFirst = first;
    set.add("attempt-count-header");
    return self();
  }

  /**
   * Sends another attempt of a call that is safe to repeat while the first is still running,
   * as {@code hedging} says; the first answer wins and the rest are cancelled. Hedges spend the
   * retry budget and count as attempts. Only {@code StoicCallFactory} and {@code
   * StoicHttpClient} hedge; {@code StoicInterceptor} refuses such a policy.
   *
   * <pre>{@code
   * builder.hedging(Hedging.after(Duration.ofMillis(200)).maxHedges(1));
   * }</pre>
   */
  public RetryPolicy.Builder hedging(Hedging hedging) {
    this.hedging = Objects.requireNonNull(hedging, "hedging == null");
    set.add("hedging");
    return self();
  }

  /** Turns hedging off (the default). */
  public RetryPolicy.Builder noHedging() {
    this.hedging = null;
    set.add("hedging");
    return self();
  }

  /**
   * Returns the policy.
   *
   * @throws IllegalStateException if {@code attemptTimeout} exceeds {@code deadline}
   */
  public RetryPolicy build() {
    SettingChecks.timeoutWithinDeadline(attemptTimeout, deadline);
    return new RetryPolicy(this);
  }
}
