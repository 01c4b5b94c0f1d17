package dev.stoic;

import dev.stoic.http.Methods;
import dev.stoic.http.HintHeaders;
import dev.stoic.http.Retryability;
import dev.stoic.http.StatusTable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
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
  private static final RetryPolicy DEFAULTS = new Builder().build();
  private static final RetryPolicy NO_RETRIES = new Builder().maxAttempts(1).build();

  private final int maxAttempts;
  private final Backoff backoff;
  private final Duration maxRetryAfter;
  private final Duration deadline;
  private final Duration attemptTimeout;
  private final Map<Integer, Retryability> statusRules;
  private final IntFunction<Retryability> statusClassifier;
  private final Map<Class<? extends Throwable>, Boolean> exceptionRules;
  private final IdempotencyKey idempotencyKey;
  private final List<RetryListener> listeners;
  private final List<RetryObserver> observers;
  private final Redaction redaction;
  private final RetryClock clock;
  private final DoubleSupplier random;
  private final CredentialRefresher credentialRefresher;
  private final boolean throwOnFailureStatus;
  private final RetryBudget retryBudget;
  private final Throttle throttle;
  /** The settings the builder set, for {@link #describe()}; the rest are defaults. */
  private final EnumSet<Setting> set;
  private final HintHeaders hintHeaders;
  private final String attemptCountHeader;
  private final int attemptCountFirst;
  private final Hedging hedging;
  private final Retryability[] resolved = new Retryability[500];

  private RetryPolicy(Builder b) {
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
    this.set = EnumSet.copyOf(b.set);
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
   * builder (or from configuration) or {@code (default)}. The keys are those {@link StoicConfig}
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
    StringBuilder out = new StringBuilder(1024);
    Setting.describe(this, "", true, out);
    return out.toString();
  }

  boolean isSet(Setting setting) {
    return set.contains(setting);
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
  public static final class Builder {
    /** A limit on attempts that no sane policy reaches; protects against typos like 1_000_000. */
    static final int MAX_ATTEMPTS_LIMIT = 100;

    private int maxAttempts = 5;
    private Backoff backoff = Backoff.defaults();
    private Duration maxRetryAfter = Duration.ofSeconds(60);
    private Duration deadline;
    private Duration attemptTimeout;
    private final Map<Integer, Retryability> statusRules = new LinkedHashMap<>();
    private IntFunction<Retryability> statusClassifier;
    private final Map<Class<? extends Throwable>, Boolean> exceptionRules = new LinkedHashMap<>();
    private IdempotencyKey idempotencyKey = IdempotencyKey.defaults();
    private final List<RetryListener> listeners = new ArrayList<>();
    private final List<RetryObserver> observers = new ArrayList<>();
    private Redaction redaction = Redaction.defaults();
    private RetryClock clock = RetryClock.system();
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    private CredentialRefresher credentialRefresher;
    private boolean throwOnFailureStatus;
    private RetryBudget retryBudget;
    private Throttle throttle;
    private final EnumSet<Setting> set = EnumSet.noneOf(Setting.class);
    private HintHeaders hintHeaders = HintHeaders.defaults();
    private String attemptCountHeader;
    private int attemptCountFirst;
    private Hedging hedging;

    Builder() {}

    Builder(RetryPolicy p) {
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
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
        throw new IllegalArgumentException(
            "maxAttempts must be in [1, " + MAX_ATTEMPTS_LIMIT + "]: " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      set.add(Setting.MAX_ATTEMPTS);
      return this;
    }

    /** The wait between attempts when the server gives no hint. */
    public Builder backoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff == null");
      set.addAll(EnumSet.range(Setting.BACKOFF_BASE, Setting.BACKOFF_JITTER));
      return this;
    }

    /**
     * The longest {@code Retry-After} (or rate-limit reset) Stoic waits for; a longer hint returns
     * the response at once, since waiting that long inside one call is rarely what a caller wants.
     *
     * @throws IllegalArgumentException if negative or longer than a day
     */
    public Builder maxRetryAfter(Duration maxRetryAfter) {
      Backoff.checkDuration(maxRetryAfter, "maxRetryAfter");
      this.maxRetryAfter = maxRetryAfter;
      set.add(Setting.MAX_RETRY_AFTER);
      return this;
    }

    /**
     * The time limit of the whole logical call, all attempts and waits included. A retry whose
     * wait would cross it is not started.
     *
     * @throws IllegalArgumentException if not positive or longer than a day
     */
    public Builder deadline(Duration deadline) {
      this.deadline = positive(deadline, "deadline");
      set.add(Setting.DEADLINE);
      return this;
    }

    /** Removes the deadline (the default). */
    public Builder noDeadline() {
      this.deadline = null;
      set.add(Setting.DEADLINE);
      return this;
    }

    /**
     * The time limit of each attempt, applied by the adapter on top of the client's own timeouts.
     *
     * @throws IllegalArgumentException if not positive or longer than a day
     */
    public Builder attemptTimeout(Duration attemptTimeout) {
      this.attemptTimeout = positive(attemptTimeout, "attemptTimeout");
      set.add(Setting.ATTEMPT_TIMEOUT);
      return this;
    }

    /**
     * Retries these status codes when safe (see {@link Retryability#WHEN_SAFE}).
     *
     * @throws IllegalArgumentException if a code is outside [400, 599]: 1xx, 2xx and 3xx are not
     *     failures and are never retried
     */
    public Builder retryOnStatus(int... codes) {
      return statusRule(Retryability.WHEN_SAFE, codes);
    }

    /** Never retries these status codes. */
    public Builder neverRetryStatus(int... codes) {
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
    public Builder statusRule(Retryability retryability, int... codes) {
      Objects.requireNonNull(retryability, "retryability == null");
      Objects.requireNonNull(codes, "codes == null");
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
      for (int code : codes) statusRules.put(code, retryability);
      return this;
    }

    /**
     * Full control: {@code classifier} maps a status code to its treatment, or to null to fall
     * back to the default table. Explicit {@link #statusRule} entries still win. It is called
     * once per code in [100, 599] when the policy is built (so a broken classifier fails then),
     * and for a code outside that range each time one is seen.
     */
    public Builder statusClassifier(IntFunction<Retryability> classifier) {
      this.statusClassifier = Objects.requireNonNull(classifier, "classifier == null");
      set.add(Setting.STATUS_CLASSIFIER);
      return this;
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
    public final Builder retryOnException(Class<? extends Throwable>... types) {
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
    public final Builder neverRetryOnException(Class<? extends Throwable>... types) {
      return exceptionRule(false, types == null ? null : Arrays.asList(types));
    }

    private Builder exceptionRule(boolean retry, List<Class<? extends Throwable>> types) {
      Objects.requireNonNull(types, "types == null");
      for (Class<? extends Throwable> type : types) {
        Objects.requireNonNull(type, "exception type == null");
        // Types unrelated to IOException (RuntimeException, Error, InterruptedException...) never
        // reach the rules: a failure that is not an IOException is rethrown as it is.
        if (!IOException.class.isAssignableFrom(type)
            && !type.isAssignableFrom(IOException.class)) {
          String setting = retry ? "retryOnException" : "neverRetryOnException";
          throw new IllegalArgumentException(setting + "(" + type.getName() + ") can never"
              + " apply: " + type.getSimpleName() + " is neither an IOException nor a supertype"
              + " of one, and only IOExceptions are retried (other failures are rethrown as they"
              + " are)");
        }
      }
      for (Class<? extends Throwable> type : types) {
        exceptionRules.remove(type);
        exceptionRules.put(type, retry);
      }
      return this;
    }

    /** Where the idempotency key lives and whether Stoic generates one. */
    public Builder idempotencyKey(IdempotencyKey idempotencyKey) {
      this.idempotencyKey = Objects.requireNonNull(idempotencyKey, "idempotencyKey == null");
      set.addAll(EnumSet.range(Setting.IDEMPOTENCY_KEY_HEADER, Setting.IDEMPOTENCY_KEY_GENERATOR));
      return this;
    }

    /** Adds a listener; listeners are called in the order added. */
    public Builder listener(RetryListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener == null"));
      return this;
    }

    /**
     * Adds an observer that watches every call as it runs: Stoic's metrics ({@code
     * StoicMetrics}) and tracing ({@code StoicTracing}) are observers. Called in the order added.
     */
    public Builder observer(RetryObserver observer) {
      observers.add(Objects.requireNonNull(observer, "observer == null"));
      set.add(Setting.OBSERVERS);
      return this;
    }

    /** Treats these headers as secret, on top of Authorization, Proxy-Authorization and Cookie. */
    public Builder secretHeaders(String... names) {
      Objects.requireNonNull(names, "names == null");
      redaction = redaction.withSecretHeaders(Arrays.asList(names));
      set.add(Setting.SECRET_HEADERS);
      return this;
    }

    /** Redacts these query parameters' values, on top of the {@link Redaction} defaults. */
    public Builder secretQueryParameters(String... names) {
      Objects.requireNonNull(names, "names == null");
      redaction = redaction.withSecretQueryParameters(Arrays.asList(names));
      set.add(Setting.SECRET_QUERY_PARAMETERS);
      return this;
    }

    /** The source of time and waits; tests pass a virtual clock. */
    public Builder clock(RetryClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      set.add(Setting.CLOCK);
      return this;
    }

    /** The source of jitter draws in [0, 1); tests pass a fixed sequence. */
    public Builder random(DoubleSupplier random) {
      this.random = Objects.requireNonNull(random, "random == null");
      set.add(Setting.RANDOM);
      return this;
    }

    /** Enables one retry after a 401 with the credentials {@code refresher} returns. */
    public Builder credentialRefresher(CredentialRefresher refresher) {
      this.credentialRefresher = Objects.requireNonNull(refresher, "refresher == null");
      set.add(Setting.CREDENTIAL_REFRESHER);
      return this;
    }

    /**
     * When true, a final response with a 4xx or 5xx status is closed and a {@link
     * RetriesExhaustedException} explaining it is thrown instead. Off by default: Stoic returns
     * what the server last said.
     */
    public Builder throwOnFailureStatus(boolean throwOnFailureStatus) {
      this.throwOnFailureStatus = throwOnFailureStatus;
      set.add(Setting.THROW_ON_FAILURE_STATUS);
      return this;
    }

    /**
     * The budget that caps retries across calls; {@link RetryBudget#unlimited()} turns it off. A
     * policy built without one gets its own {@link RetryBudget#perHost()}; policies derived with
     * {@link RetryPolicy#toBuilder()} share their origin's budget.
     */
    public Builder retryBudget(RetryBudget retryBudget) {
      this.retryBudget = Objects.requireNonNull(retryBudget, "retryBudget == null");
      set.addAll(Setting.BUDGET);
      return this;
    }

    /** Paces every attempt through {@code throttle} (client-side rate limiting). */
    public Builder throttle(Throttle throttle) {
      this.throttle = Objects.requireNonNull(throttle, "throttle == null");
      set.add(Setting.THROTTLE);
      return this;
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
    public Builder delayHintHeaders(String... names) {
      hintHeaders = HintHeaders.of(headerNames("delayHintHeaders", names), hintHeaders.shouldRetry());
      set.add(Setting.DELAY_HINT_HEADERS);
      return this;
    }

    /**
     * The headers whose {@code true} or {@code false} is the server's say on retrying, in order
     * of precedence: {@code false} ends retrying, {@code true} retries a status the table would
     * not, when the request is safe to repeat. By default {@code x-should-retry} and {@code
     * Stripe-Should-Retry}; no names turns them off.
     *
     * @throws IllegalArgumentException if a name is not a valid header name
     */
    public Builder shouldRetryHeaders(String... names) {
      hintHeaders = HintHeaders.of(hintHeaders.delayMillis(), headerNames("shouldRetryHeaders", names));
      set.add(Setting.SHOULD_RETRY_HEADERS);
      return this;
    }

    private static List<String> headerNames(String setting, String[] names) {
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
    public Builder attemptCountHeader(String name, int first) {
      Objects.requireNonNull(name, "attemptCountHeader == null");
      if (name.isEmpty() || !name.chars().allMatch(IdempotencyKey::isTokenChar)) {
        throw new IllegalArgumentException(
            "attemptCountHeader: not a valid header name: \"" + name + "\"");
      }
      if (first != 0 && first != 1) {
        throw new IllegalArgumentException("attemptCountHeader: first must be 0 or 1: " + first);
      }
      this.attemptCountHeader = name;
      this.attemptCountFirst = first;
      set.add(Setting.ATTEMPT_COUNT_HEADER);
      return this;
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
    public Builder hedging(Hedging hedging) {
      this.hedging = Objects.requireNonNull(hedging, "hedging == null");
      set.add(Setting.HEDGING);
      return this;
    }

    /** Turns hedging off (the default). */
    public Builder noHedging() {
      this.hedging = null;
      set.add(Setting.HEDGING);
      return this;
    }

    /**
     * Returns the policy.
     *
     * @throws IllegalStateException if {@code attemptTimeout} exceeds {@code deadline}
     */
    public RetryPolicy build() {
      if (deadline != null && attemptTimeout != null && attemptTimeout.compareTo(deadline) > 0) {
        throw new IllegalStateException(
            "attemptTimeout (" + attemptTimeout + ") exceeds deadline (" + deadline + ")");
      }
      return new RetryPolicy(this);
    }

    private static Duration positive(Duration value, String name) {
      Objects.requireNonNull(value, name + " == null");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be > 0: " + value);
      }
      Backoff.checkDuration(value, name);
      return value;
    }
  }
}
