package dev.stoic.opentelemetry;

import dev.stoic.CallObserver;
import dev.stoic.ObservedCall;
import dev.stoic.RetryObserver;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import java.util.Objects;

/**
 * Traces Stoic's calls with OpenTelemetry. It makes one span per logical call, current while each
 * attempt is handed to the client, so that the spans of OpenTelemetry's own OkHttp or JDK
 * HttpClient instrumentation become its children, with {@code http.request.resend_count} on the
 * repeated ones. Attempts and the throttle's waits are events on the call's span.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder()
 *     .observer(StoicTracing.create(openTelemetry))
 *     .build();
 * }</pre>
 *
 * <p>The call's span is {@code INTERNAL}, named {@code stoic GET}: the HTTP conventions want a
 * {@code CLIENT} span per request sent over the wire and no logical {@code CLIENT} span around
 * them, and only the client's own instrumentation sees the wire (OkHttp re-sends requests inside
 * one Stoic attempt). For a client that nothing else instruments, {@link #withClientSpans} makes
 * each attempt a {@code CLIENT} span of its own instead; with the client's instrumentation also
 * present that would trace every request twice. The attributes are listed in {@code
 * docs/SEMANTICS.md}.
 *
 * <p>Thread-safe; one instance may serve many policies.
 */
public final class StoicTracing implements RetryObserver {
  /** The instrumentation scope of Stoic's spans. */
  static final String SCOPE = "dev.stoic";

  private final Tracer tracer;
  private final boolean clientSpans;

  private StoicTracing(OpenTelemetry openTelemetry, boolean clientSpans) {
    this.tracer = openTelemetry.getTracer(SCOPE);
    this.clientSpans = clientSpans;
  }

  /**
   * Traces each call as a span with its attempts as events: for a client traced by OpenTelemetry's
   * OkHttp or JDK HttpClient instrumentation (library or Java agent), or not traced at all.
   *
   * @throws NullPointerException if {@code openTelemetry} is null
   */
  public static StoicTracing create(OpenTelemetry openTelemetry) {
    return new StoicTracing(Objects.requireNonNull(openTelemetry, "openTelemetry == null"), false);
  }

  /**
   * Traces each call as a span and each attempt as an HTTP {@code CLIENT} span under it, with
   * {@code http.request.resend_count} on every attempt after the first: for a client nothing else
   * instruments. Stoic does not propagate the trace to the server in its requests.
   *
   * @throws NullPointerException if {@code openTelemetry} is null
   */
  public static StoicTracing withClientSpans(OpenTelemetry openTelemetry) {
    return new StoicTracing(Objects.requireNonNull(openTelemetry, "openTelemetry == null"), true);
  }

  /** Starts the call's span, a child of the context current on the calling thread. */
  @Override
  public CallObserver callStarted(ObservedCall call) {
    return new CallSpan(tracer, clientSpans, call.method(), call.url(), call.host());
  }

  @Override
  public String toString() {
    return "StoicTracing{" + (clientSpans ? "client spans" : "attempt events") + "}";
  }
}
