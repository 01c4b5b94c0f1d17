package dev.stoic.opentelemetry;

import dev.stoic.CallObserver;
import dev.stoic.Decision;
import dev.stoic.Outcome;
import dev.stoic.Decision.Action;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.net.URI;
import java.util.BitSet;
import java.util.Locale;

/**
 * The span of one logical call, and the observer that fills it in: attempts become events on it
 * (or {@code CLIENT} spans under it), the throttle's waits events, and its end the call's outcome.
 */
final class CallSpan implements CallObserver {
  private final Tracer tracer;
  private final boolean clientSpans;
  private final String method;
  private final String url;
  private final String host;
  private final long port;
  private final Span span;
  /** The caller's context with this span and a shared resend counter: current during attempts. */
  private final Context context;

  // Guarded by this: attempts of one call are sequential, but may end on other threads.
  private Span attemptSpan;
  private int attempts;
  private long totalWaitNanos;
  /** The attempts that went out as hedges (see dev.stoic.Hedging). */
  private final BitSet hedges = new BitSet();

  CallSpan(Tracer tracer, boolean clientSpans, String method, String url, String host) {
    this.tracer = tracer;
    this.clientSpans = clientSpans;
    this.method = method;
    this.url = url;
    this.host = host;
    this.port = port(url);
    Context parent = Context.current();
    SpanBuilder builder = tracer.spanBuilder("stoic " + spanName(method))
        .setParent(parent)
        .setSpanKind(SpanKind.INTERNAL);
    this.span = http(builder).startSpan();
    Context withSpan = parent.with(span);
    // The instrumentation's CLIENT spans count resends from it; Stoic's own spans count attempts.
    this.context = clientSpans ? withSpan : ResendCount.initialize(withSpan);
  }

  @Override
  public synchronized void hedgeSent(int attempt) {
    hedges.set(attempt);
  }

  @Override
  public synchronized Scope attemptStarted(int attempt) {
    attempts = attempt;
    Context current = context;
    if (clientSpans) {
      SpanBuilder builder = tracer.spanBuilder(spanName(method))
          .setParent(context)
          .setSpanKind(SpanKind.CLIENT)
          .setAttribute(Keys.ATTEMPT, attempt);
      if (attempt > 1) builder.setAttribute(Keys.RESEND_COUNT, attempt - 1L);
      if (hedges.get(attempt)) builder.setAttribute(Keys.HEDGE, true);
      if (attemptSpan != null) {
        // A hedge goes out beside the attempt still running: one CLIENT span at a time is kept,
        // so the earlier one ends here, marked as still running (a known gap of hedged spans).
        attemptSpan.setAttribute(Keys.ERROR_TYPE, "hedged");
        attemptSpan.end();
      }
      attemptSpan = http(builder).startSpan();
      current = context.with(attemptSpan);
    }
    io.opentelemetry.context.Scope scope = current.makeCurrent();
    return scope::close;
  }

  @Override
  public synchronized void throttled(long waitNanos) {
    totalWaitNanos += waitNanos;
    span.addEvent("stoic.throttle", Attributes.of(Keys.WAIT_MS, millis(waitNanos)));
  }

  @Override
  public synchronized void attemptEnded(
      Outcome outcome, Decision decision, long attemptNanos, int resends) {
    if (decision.action() == Action.RETRY) totalWaitNanos += decision.waitNanos();
    if (clientSpans && attemptSpan != null) {
      Span client = attemptSpan;
      attemptSpan = null;
      setResult(client, outcome);
      client.setAllAttributes(decided(Attributes.builder(), decision, attemptNanos, resends).build());
      client.end();
      return;
    }
    AttributesBuilder event = Attributes.builder().put(Keys.ATTEMPT, (long) outcome.attempt());
    if (hedges.get(outcome.attempt())) event.put(Keys.HEDGE, true);
    if (outcome.attempt() > 1) event.put(Keys.RESEND_COUNT, outcome.attempt() - 1L);
    if (outcome.status() >= 0) event.put(Keys.STATUS_CODE, (long) outcome.status());
    if (outcome.failure() != null) event.put(Keys.ERROR_TYPE, outcome.failure().getClass().getName());
    span.addEvent("stoic.attempt", decided(event, decision, attemptNanos, resends).build());
  }

  @Override
  public synchronized void callEnded(Outcome outcome, Decision decision, long callNanos) {
    if (attemptSpan != null) {
      // Ended while an attempt was out (a cancel, user code that threw): close its span too.
      attemptSpan.setAttribute(Keys.ERROR_TYPE, "cancelled");
      attemptSpan.setStatus(StatusCode.ERROR);
      attemptSpan.end();
      attemptSpan = null;
    }
    boolean success = decision.action() == Action.RETURN;
    span.setAttribute(Keys.ATTEMPTS, (long) attempts);
    span.setAttribute(Keys.OUTCOME, success ? "success" : "failure");
    span.setAttribute(Keys.REASON, reason(decision));
    span.setAttribute(Keys.REASON_MESSAGE, decision.reason());
    span.setAttribute(Keys.TOTAL_WAIT_MS, millis(totalWaitNanos));
    span.setAttribute(Keys.DURATION_MS, millis(callNanos));
    if (outcome.status() >= 0) span.setAttribute(Keys.STATUS_CODE, (long) outcome.status());
    if (!success) {
      span.setAttribute(Keys.ERROR_TYPE, errorType(outcome));
      span.setStatus(StatusCode.ERROR, decision.reason());
    }
    span.end();
  }

  /** The HTTP conventions' request attributes, known before the request goes out. */
  private SpanBuilder http(SpanBuilder builder) {
    builder.setAttribute(Keys.METHOD, spanMethod(method));
    if (!Keys.KNOWN_METHODS.contains(method)) builder.setAttribute(Keys.METHOD_ORIGINAL, method);
    builder.setAttribute(Keys.SERVER_ADDRESS, host);
    if (port > 0) builder.setAttribute(Keys.SERVER_PORT, port);
    return builder.setAttribute(Keys.URL, url);
  }

  /** Status and error as the HTTP conventions want them on a client span. */
  private static void setResult(Span client, Outcome outcome) {
    if (outcome.status() >= 0) client.setAttribute(Keys.STATUS_CODE, (long) outcome.status());
    if (outcome.failure() != null || outcome.status() >= 400) {
      client.setAttribute(Keys.ERROR_TYPE, errorType(outcome));
      client.setStatus(StatusCode.ERROR);
    }
  }

  private static AttributesBuilder decided(
      AttributesBuilder attributes, Decision decision, long attemptNanos, int resends) {
    attributes.put(Keys.ACTION, decision.action().name().toLowerCase(Locale.ROOT))
        .put(Keys.REASON, reason(decision))
        .put(Keys.REASON_MESSAGE, decision.reason())
        .put(Keys.DURATION_MS, millis(attemptNanos));
    if (decision.action() == Action.RETRY) {
      attributes.put(Keys.WAIT_MS, millis(decision.waitNanos()));
      if (decision.hintedWaitNanos() > 0) {
        attributes.put(Keys.HINTED_WAIT_MS, millis(decision.hintedWaitNanos()));
      }
    }
    if (resends >= 0) attributes.put(Keys.CLIENT_RESENDS, (long) resends);
    return attributes;
  }

  /** The status code as text when there is one, else the failure's class, as the conventions say. */
  private static String errorType(Outcome outcome) {
    if (outcome.status() >= 0) return Integer.toString(outcome.status());
    return outcome.failure() == null ? "_OTHER" : outcome.failure().getClass().getName();
  }

  private static String reason(Decision decision) {
    return decision.cause().name().toLowerCase(Locale.ROOT);
  }

  private static String spanMethod(String method) {
    return Keys.KNOWN_METHODS.contains(method) ? method : "_OTHER";
  }

  /** The conventions name a span by its method, or {@code HTTP} for a method they do not know. */
  private static String spanName(String method) {
    return Keys.KNOWN_METHODS.contains(method) ? method : "HTTP";
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  /** The URL's port, or the scheme's default; 0 when neither is known. */
  private static long port(String url) {
    try {
      URI uri = URI.create(url);
      if (uri.getPort() > 0) return uri.getPort();
      if ("https".equalsIgnoreCase(uri.getScheme())) return 443;
      if ("http".equalsIgnoreCase(uri.getScheme())) return 80;
    } catch (IllegalArgumentException e) {
      // a redacted or odd URL: leave the port out
    }
    return 0;
  }
}
