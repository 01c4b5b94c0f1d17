package dev.stoic;

import dev.stoic.internal.DurationText;
import dev.stoic.http.FailureKind;
import dev.stoic.http.ServerHints;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Builds an {@link Outcome}; start with {@link Outcome#status(int)} or {@link
 * Outcome#failure(Throwable)}. Defaults: attempt 1, GET, no headers, body not sent and
 * replayable, no key, no time elapsed, no call timeout, no previous wait, a draw of 0, and
 * header dates read as of the Unix epoch ({@link #now}). Not thread-safe.
 */
public final class OutcomeBuilder {
  private final int status;
  private final Throwable failure;
  private FailureKind failureKind;
  private int attempt = 1;
  private String method = "GET";
  private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  private Instant now = Instant.EPOCH;
  private boolean bodySent;
  private boolean bodyReplayable = true;
  private boolean hasKey;
  private boolean credentialsRefreshed;
  private long elapsedNanos;
  private long attemptNanos;
  private long callTimeoutNanos;
  private long previousWaitNanos;
  private double draw;

  OutcomeBuilder(int status, Throwable failure) {
    if (failure == null && (status < 100 || status > 999)) {
      throw new IllegalArgumentException("status must be in [100, 999]: " + status);
    }
    this.status = status;
    this.failure = failure;
    this.failureKind = failure == null ? null : FailureKind.of(failure);
  }

  /** @throws IllegalArgumentException if not positive */
  public OutcomeBuilder attempt(int attempt) {
    if (attempt < 1) throw new IllegalArgumentException("attempt must be >= 1: " + attempt);
    this.attempt = attempt;
    return this;
  }

  public OutcomeBuilder method(String method) {
    this.method = Objects.requireNonNull(method, "method == null");
    return this;
  }

  /** Adds a response header line; names are matched in any case. */
  public OutcomeBuilder header(String name, String value) {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(value, "value == null");
    headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(value);
    return this;
  }

  /** The time header dates are measured from (an HTTP-date {@code Retry-After}, say). */
  public OutcomeBuilder now(Instant now) {
    this.now = Objects.requireNonNull(now, "now == null");
    return this;
  }

  /** Overrides the classification of the failure. */
  public OutcomeBuilder failureKind(FailureKind kind) {
    if (failure == null) throw new IllegalStateException("a response outcome has no failure kind");
    this.failureKind = Objects.requireNonNull(kind, "kind == null");
    return this;
  }

  public OutcomeBuilder bodySent(boolean bodySent) {
    this.bodySent = bodySent;
    return this;
  }

  public OutcomeBuilder bodyReplayable(boolean bodyReplayable) {
    this.bodyReplayable = bodyReplayable;
    return this;
  }

  public OutcomeBuilder idempotencyKey(boolean present) {
    this.hasKey = present;
    return this;
  }

  public OutcomeBuilder credentialsRefreshed(boolean refreshed) {
    this.credentialsRefreshed = refreshed;
    return this;
  }

  public OutcomeBuilder elapsed(Duration elapsed) {
    this.elapsedNanos = nonNegative(elapsed, "elapsed");
    return this;
  }

  /** How long this attempt took, from sending to its answer or failure. */
  public OutcomeBuilder attemptTime(Duration attemptTime) {
    this.attemptNanos = nonNegative(attemptTime, "attemptTime");
    return this;
  }

  /** OkHttp's call timeout, say: a limit on the whole call besides the policy's deadline. */
  public OutcomeBuilder callTimeout(Duration callTimeout) {
    this.callTimeoutNanos = nonNegative(callTimeout, "callTimeout");
    return this;
  }

  public OutcomeBuilder previousWait(Duration previousWait) {
    this.previousWaitNanos = nonNegative(previousWait, "previousWait");
    return this;
  }

  /** @throws IllegalArgumentException if not in [0, 1) */
  public OutcomeBuilder draw(double draw) {
    if (!(draw >= 0 && draw < 1)) throw new IllegalArgumentException("draw must be in [0, 1): " + draw);
    this.draw = draw;
    return this;
  }

  public Outcome build() {
    Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    ServerHints hints = failure != null ? ServerHints.NONE
        : ServerHints.of(name -> copy.getOrDefault(name, List.of()), now);
    return new Built(this, hints);
  }

  private static long nonNegative(Duration d, String name) {
    Objects.requireNonNull(d, name + " == null");
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must be >= 0: " + DurationText.of(d));
    }
    return d.toNanos();
  }

  /** An immutable outcome. */
  private static final class Built implements Outcome {
    private final int attempt;
    private final String method;
    private final int status;
    private final Throwable failure;
    private final FailureKind failureKind;
    private final ServerHints hints;
    private final boolean bodySent;
    private final boolean bodyReplayable;
    private final boolean hasKey;
    private final boolean credentialsRefreshed;
    private final long elapsedNanos;
    private final long attemptNanos;
    private final long callTimeoutNanos;
    private final long previousWaitNanos;
    private final double draw;

    Built(OutcomeBuilder b, ServerHints hints) {
      attempt = b.attempt;
      method = b.method;
      status = b.status;
      failure = b.failure;
      failureKind = b.failureKind;
      this.hints = hints;
      bodySent = b.bodySent;
      bodyReplayable = b.bodyReplayable;
      hasKey = b.hasKey;
      credentialsRefreshed = b.credentialsRefreshed;
      elapsedNanos = b.elapsedNanos;
      attemptNanos = b.attemptNanos;
      callTimeoutNanos = b.callTimeoutNanos;
      previousWaitNanos = b.previousWaitNanos;
      draw = b.draw;
    }

    @Override public int attempt() { return attempt; }
    @Override public String method() { return method; }
    @Override public int status() { return status; }
    @Override public Throwable failure() { return failure; }
    @Override public FailureKind failureKind() { return failureKind; }
    @Override public ServerHints hints() { return hints; }
    @Override public boolean bodySent() { return bodySent; }
    @Override public boolean bodyReplayable() { return bodyReplayable; }
    @Override public boolean hasIdempotencyKey() { return hasKey; }
    @Override public boolean credentialsRefreshed() { return credentialsRefreshed; }
    @Override public long elapsedNanos() { return elapsedNanos; }
    @Override public long attemptNanos() { return attemptNanos; }
    @Override public long callTimeoutNanos() { return callTimeoutNanos; }
    @Override public long previousWaitNanos() { return previousWaitNanos; }
    @Override public double draw() { return draw; }

    @Override
    public String toString() {
      return "Outcome{attempt=" + attempt + ", " + method + ", "
          + (failure != null ? failureKind + " " + failure.getClass().getName() : "status=" + status)
          + ", " + hints + "}";
    }
  }
}
