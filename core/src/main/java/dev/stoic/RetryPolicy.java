package dev.stoic;

import dev.stoic.http.Methods;
import dev.stoic.http.HintHeaders;
import dev.stoic.http.Retryability;
import dev.stoic.http.StatusTable;
import dev.stoic.internal.PolicyAccess;
import dev.stoic.internal.PolicyText;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.function.IntFunction;

/**
 * Decides, for every attempt of a logical HTTP call, whether to return, retry after a wait, or
 * give up.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder()
 *     .maxAttempts(5)
 *     .backoff(Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30)).equalJitter())
 *     .maxRetryAfter(Duration.ofSeconds(60))
 *     .deadline(Duration.ofSeconds(30))
 *     .retryOnStatus(409)
 *     .neverRetryStatus(500)
 *     .idempotencyKey(IdempotencyKey.header("Idempotency-Key").autoGenerate())
 *     .listener(event -> log(event))
 *     .build();
 * }</pre>
 *
 * <p>A policy holds configuration and decides ({@link #decide(Outcome)}); it does no I/O, and
 * adapters run it through one executor. Policies are immutable and thread-safe: share one across
 * all calls, and derive variants with {@link #toBuilder()}.
 *
 * <p><b>Where live state is.</b> Two settings hold state that changes as calls run: the {@link
 * RetryBudget} (tokens per host) and the {@link Throttle}. The policy holds a reference to each,
 * and every client, interceptor and call that uses the policy, or a policy derived from it with
 * {@code toBuilder()}, shares them. A policy built without a budget gets its own;
 * {@link #defaults()} is one instance, so its budget is shared by every user of the defaults in
 * the JVM: build your own policy to get a budget of your own. A client built with {@link
 * RetryRoutes} spends one budget for all its routes, per-request policies and views: that of the
 * routes' {@code otherwise} policy.
 */
public final class RetryPolicy {
  static {
    PolicyAccess.register(new PolicyAccessor());
  }

  private static final RetryPolicy DEFAULTS = new Builder().build();
  private static final RetryPolicy NO_RETRIES = new Builder().maxAttempts(1).build();

  final int maxAttempts;
  final Backoff backoff;
  final Duration maxRetryAfter;
  final Duration deadline;
  final Duration attemptTimeout;
  final Map<Integer, Retryability> statusRules;
  final IntFunction<Retryability> statusClassifier;
  final Map<Class<? extends Throwable>, Boolean> exceptionRules;
  final IdempotencyKey idempotencyKey;
  final List<RetryListener> listeners;
  final List<RetryObserver> observers;
  final Redaction redaction;
  final RetryClock clock;
  final DoubleSupplier random;
  final CredentialRefresher credentialRefresher;
  final boolean throwOnFailureStatus;
  final RetryBudget retryBudget;
  final Throttle throttle;
  /** The keys of the settings the builder set, for {@link #describe()}; the rest are defaults. */
  final Set<String> set;
  final HintHeaders hintHeaders;
  final String attemptCountHeader;
  final int attemptCountFirst;
  final Hedging hedging;
  private final Retryability[] resolved = new Retryability[500];

  RetryPolicy(PolicyBuilder b) {
    this.maxAttempts = b.maxAttempts;
    this.backoff = b.backoff;
    this.maxRetryAfter = b.maxRetryAfter;
    this.deadline = b.deadline;
    this.attemptTimeout = b.attemptTimeout;
    this.statusRules = Map.copyOf(b.statusRules);
    this.statusClassifier = b.statusClassifier;
    this.exceptionRules = Collections.unmodifiableMap(new LinkedHashMap<>(b.exceptionRules));
    this.idempotencyKey = b.idempotencyKey;
    this.listeners = List.copyOf(b.listeners);
    this.observers = List.copyOf(b.observers);
    this.redaction = b.redaction;
    this.clock = b.clock;
    this.random = b.random;
    this.credentialRefresher = b.credentialRefresher;
    this.throwOnFailureStatus = b.throwOnFailureStatus;
    this.retryBudget = b.retryBudget != null ? b.retryBudget : RetryBudget.perHost();
    this.throttle = b.throttle;
    this.set = Set.copyOf(b.set);
    this.hintHeaders = b.hintHeaders;
    this.attemptCountHeader = b.attemptCountHeader;
    this.attemptCountFirst = b.attemptCountFirst;
    this.hedging = b.hedging;
    // Resolve every code once, so a decision is an array read. The classifier runs here, at
    // build time, which also surfaces a broken classifier before the first call.
    for (int code = 100; code < 600; code++) {
      resolved[code - 100] = resolve(code);
    }
  }

  /**
   * The defaults: 5 attempts, {@link Backoff#defaults()}, Retry-After up to 60 s, no deadline, a
   * per-host {@link RetryBudget} shared by every user of this instance.
   */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * One attempt and no retry; every other setting as in {@link #defaults()}. For requests that must
   * never be repeated, such as an upload from a stream:
   *
   * <pre>{@code
   * Request upload = request.newBuilder().tag(RetryPolicy.class, RetryPolicy.noRetries()).build();
   * }</pre>
   */
  public static RetryPolicy noRetries() {
    return NO_RETRIES;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder holding this policy's settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Total attempts allowed, the first included. */
  public int maxAttempts() {
    return maxAttempts;
  }

  public Backoff backoff() {
    return backoff;
  }

  /** The longest server hint Stoic will wait for; a longer hint ends retrying at once. */
  public Duration maxRetryAfter() {
    return maxRetryAfter;
  }

  /** The time limit of the whole logical call across attempts, or null for none. */
  public Duration deadline() {
    return deadline;
  }

  /** The time limit of one attempt, or null to leave the client's own timeouts alone. */
  public Duration attemptTimeout() {
    return attemptTimeout;
  }

  public IdempotencyKey idempotencyKey() {
    return idempotencyKey;
  }

  public List<RetryListener> listeners() {
    return listeners;
  }

  /** The observers that watch each call (metrics, tracing), in the order added. */
  public List<RetryObserver> observers() {
    return observers;
  }

  public Redaction redaction() {
    return redaction;
  }

  public RetryClock clock() {
    return clock;
  }

  /** The source of random draws in [0, 1) used for jitter. */
  public DoubleSupplier random() {
    return random;
  }

  /** The 401 hook, or null. */
  public CredentialRefresher credentialRefresher() {
    return credentialRefresher;
  }

  /** Whether a final non-2xx response is turned into a {@link RetriesExhaustedException}. */
  public boolean throwOnFailureStatus() {
    return throwOnFailureStatus;
  }

  /**
   * The budget that caps retries across all calls of this policy; where a client routes, its
   * {@link RetryRoutes#retryBudget()} is spent instead.
   */
  public RetryBudget retryBudget() {
    return retryBudget;
  }

  /** The client-side throttle, or null. */
  public Throttle throttle() {
    return throttle;
  }

  /**
   * The hint headers read besides {@code Retry-After} and the rate-limit fields ({@link
   * HintHeaders#defaults()} unless set).
   */
  public HintHeaders hintHeaders() {
    return hintHeaders;
  }

  /**
   * When a call sends another attempt while one is still running, or null (the default: never).
   */
  public Hedging hedging() {
    return hedging;
  }

  /** The header that tells the server which attempt a request is, or null (the default). */
  /** 0 or 1: what the attempt-count header says on the first attempt. */
  int attemptCountFirst() {
    return attemptCountFirst;
  }

  public String attemptCountHeader() {
    return attemptCountHeader;
  }

  /**
   * The value of {@link #attemptCountHeader()} on attempt {@code attempt} (1 for the first): the
   * attempt number, or the number of retries so far, as configured.
   */
  public String attemptCountValue(int attempt) {
    return Integer.toString(attempt - 1 + attemptCountFirst);
  }

  /** How this policy treats {@code status}: configured rules first, then the default table. */
  public Retryability retryability(int status) {
    if (status >= 100 && status < 600) return resolved[status - 100];
    return resolve(status);
  }

  /**
   * The exception rule for {@code failure}: TRUE to retry when safe, FALSE never to retry, null
   * to use the built-in classification. The first matching rule, in configuration order, wins.
   */
  public Boolean exceptionRule(Throwable failure) {
    if (exceptionRules.isEmpty()) return null;
    for (Map.Entry<Class<? extends Throwable>, Boolean> rule : exceptionRules.entrySet()) {
      if (rule.getKey().isInstance(failure)) return rule.getValue();
    }
    return null;
  }

  /**
   * True for the methods RFC 9110 section 9.2.2 defines as idempotent.
   *
   * @see Methods#isIdempotent(String)
   */
  public static boolean isIdempotent(String method) {
    return Methods.isIdempotent(method);
  }

  /**
   * Decides what follows one attempt: return its outcome, retry after a wait, or give up. A pure
   * function of this policy's settings and {@code outcome}: it reads no clock and no random
   * source (the outcome carries the elapsed time and the jitter draw) and changes no state, so the
   * same outcome always gets the same decision. The retry budget is not consulted here: the
   * executor spends it after a RETRY, and turns the decision into a GIVE_UP when it is spent.
   *
   * <pre>{@code
   * Decision d = policy.decide(Outcome.status(503).method("PUT").build());
   * assert d.action() == RetryEvent.Action.RETRY;
   * }</pre>
   *
   * @throws NullPointerException if {@code outcome} is null
   */
  public Decision decide(Outcome outcome) {
    if (outcome.failure() != null) return Decider.decideFailure(this, outcome);
    int status = outcome.status();
    Retryability retryability = retryability(status);
    return retryability == Retryability.PASS_THROUGH
        ? Decider.passThrough(status)
        : Decider.decideResponse(this, outcome, retryability);
  }

  private Retryability resolve(int status) {
    Retryability rule = statusRules.get(status);
    if (rule != null) return rule;
    if (statusClassifier != null) {
      Retryability custom = statusClassifier.apply(status);
      if (custom != null) return custom;
    }
    return StatusTable.defaults().lookup(status).retryability();
  }

  /**
   * Every effective setting, one per line, each with where it came from: {@code (set)} on the
   * builder (or from configuration) or {@code (default)}. The keys are those {@link dev.stoic.config.StoicConfig}
   * reads, and values are written so that it can read them back; settings made in code (a
   * listener, a clock) are named by class. For logs and support tickets: it holds no header
   * values and no credentials, only the names of secret headers.
   *
   * <pre>{@code
   * log.info("retry policy:\n" + policy.describe());
   * // max-attempts = 3 (set)
   * // backoff.base = 1s (default)
   * // ...
   * }</pre>
   */
  public String describe() {
    return PolicyText.get().describe(this);
  }

  /** True if the builder set the setting {@code key}, as configuration names it. */
  boolean isSet(String key) {
    return set.contains(key);
  }

  Map<Integer, Retryability> statusRules() {
    return statusRules;
  }

  IntFunction<Retryability> statusClassifier() {
    return statusClassifier;
  }

  Map<Class<? extends Throwable>, Boolean> exceptionRules() {
    return exceptionRules;
  }

  @Override
  public String toString() {
    return "RetryPolicy{maxAttempts=" + maxAttempts + ", backoff=" + backoff
        + ", maxRetryAfter=" + maxRetryAfter + ", deadline=" + deadline
        + ", attemptTimeout=" + attemptTimeout + ", statusRules=" + statusRules
        + ", idempotencyKey=" + idempotencyKey + ", retryBudget=" + retryBudget
        + (hintHeaders.equals(HintHeaders.defaults()) ? "" : ", hintHeaders=" + hintHeaders)
        + (attemptCountHeader == null ? "" : ", attemptCountHeader=" + attemptCountHeader
            + " from " + attemptCountFirst)
        + ", listeners=" + listeners.size() + "}";
  }

  /**
   * Builds a {@link RetryPolicy}. Each setter validates its argument at once and throws naming the
   * setting; {@link #build()} checks the settings against each other. Not thread-safe.
   */
  public static final class Builder extends PolicyBuilder {
    Builder() {}

    Builder(RetryPolicy p) {
      super(p);
    }
  }
}
