package dev.stoic.opentelemetry;

import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stoic.Backoff;
import dev.stoic.RetryBudget;
import dev.stoic.RetryPolicy;
import dev.stoic.Throttle;
import dev.stoic.ThrottledException;
import dev.stoic.spi.CallInfo;
import dev.stoic.testing.Budgets;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.ScriptedTransport.Mode;
import dev.stoic.testing.ScriptedTransport;
import dev.stoic.testing.VirtualClock;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The spans and events {@link StoicTracing} makes, read back from the SDK's in-memory exporter.
 * Decisions run in virtual time (each attempt 30 ms), so waits and durations are exact; the spans'
 * own timestamps are the SDK's real ones.
 */
class StoicTracingTest {
  static final String URL = "https://api.example.com:8443/orders?token=s3cret";

  final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  final SdkTracerProvider tracerProvider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  final OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build();
  final VirtualClock clock = new VirtualClock();
  /** What Span.current() was as each attempt was handed to the client. */
  final List<Span> currentDuringAttempts = new ArrayList<>();

  @AfterEach
  void close() {
    tracerProvider.close();
  }

  RetryPolicy.Builder policy(StoicTracing tracing) {
    return RetryPolicy.builder()
        .clock(clock)
        .random(() -> 0.25)
        .backoff(Backoff.fixed(Duration.ofMillis(100)))
        .observer(tracing);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aCallIsOneInternalSpanUnderTheCallersWithItsAttemptsAsEvents(Mode mode) throws Exception {
    Span parent = otel.getTracer("test").spanBuilder("request").startSpan();
    try (Scope ignored = parent.makeCurrent()) {
      run(mode, policy(StoicTracing.create(otel)).build(), "GET",
          FakeResponse.of(503, "Retry-After", "2"),
          new SocketTimeoutException("Read timed out"),
          FakeResponse.of(200));
    } finally {
      parent.end();
    }

    SpanData call = only("stoic GET");
    assertEquals(SpanKind.INTERNAL, call.getKind());
    assertEquals(parent.getSpanContext().getSpanId(), call.getParentSpanId());
    assertEquals("dev.stoic", call.getInstrumentationScopeInfo().getName());
    Attributes a = call.getAttributes();
    assertEquals("GET", a.get(Keys.METHOD));
    assertEquals("api.example.com", a.get(Keys.SERVER_ADDRESS));
    assertEquals(8443L, a.get(Keys.SERVER_PORT));
    assertEquals("https://api.example.com:8443/orders?token=REDACTED", a.get(Keys.URL));
    assertEquals(3L, a.get(Keys.ATTEMPTS));
    assertEquals("success", a.get(Keys.OUTCOME));
    assertEquals("status", a.get(Keys.REASON));
    assertEquals(200L, a.get(Keys.STATUS_CODE));
    assertEquals(2150.0, a.get(Keys.TOTAL_WAIT_MS));
    assertEquals(2240.0, a.get(Keys.DURATION_MS));
    assertNull(a.get(Keys.ERROR_TYPE));
    assertEquals(StatusCode.UNSET, call.getStatus().getStatusCode());

    List<EventData> events = call.getEvents();
    assertEquals(List.of("stoic.attempt", "stoic.attempt", "stoic.attempt"),
        events.stream().map(EventData::getName).collect(Collectors.toList()));
    Attributes first = events.get(0).getAttributes();
    assertEquals(1L, first.get(Keys.ATTEMPT));
    assertNull(first.get(Keys.RESEND_COUNT), "the first request is no resend");
    assertEquals(503L, first.get(Keys.STATUS_CODE));
    assertEquals("retry", first.get(Keys.ACTION));
    assertEquals("hint", first.get(Keys.REASON));
    assertEquals("503 Service Unavailable: waiting for Retry-After", first.get(Keys.REASON_MESSAGE));
    assertEquals(2050.0, first.get(Keys.WAIT_MS));
    assertEquals(1950.0, first.get(Keys.HINTED_WAIT_MS));
    assertEquals(30.0, first.get(Keys.DURATION_MS));
    assertNull(first.get(Keys.CLIENT_RESENDS), "this client does not show its own resends");

    Attributes second = events.get(1).getAttributes();
    assertEquals(1L, second.get(Keys.RESEND_COUNT));
    assertEquals("java.net.SocketTimeoutException", second.get(Keys.ERROR_TYPE));
    assertEquals("exception", second.get(Keys.REASON));
    assertEquals(100.0, second.get(Keys.WAIT_MS));
    assertNull(second.get(Keys.HINTED_WAIT_MS));

    Attributes third = events.get(2).getAttributes();
    assertEquals(2L, third.get(Keys.RESEND_COUNT));
    assertEquals("return", third.get(Keys.ACTION));
    assertNull(third.get(Keys.WAIT_MS));

    assertEquals(List.of(call.getSpanId(), call.getSpanId(), call.getSpanId()),
        currentDuringAttempts.stream().map(s -> s.getSpanContext().getSpanId())
            .collect(Collectors.toList()),
        "the call's span is current while each attempt is handed to the client");
    assertEquals(2, exporter.getFinishedSpanItems().size(), "the caller's and Stoic's, no other");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void withClientSpansEachAttemptIsAClientSpanWithItsResendCount(Mode mode) throws Exception {
    run(mode, policy(StoicTracing.withClientSpans(otel)).build(), "GET",
        FakeResponse.of(503), new SocketTimeoutException("Read timed out"), FakeResponse.of(200));

    SpanData call = only("stoic GET");
    List<SpanData> attempts = exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getKind() == SpanKind.CLIENT)
        .collect(Collectors.toList());
    assertEquals(3, attempts.size());
    for (SpanData attempt : attempts) {
      assertEquals("GET", attempt.getName());
      assertEquals(call.getSpanId(), attempt.getParentSpanId());
      assertEquals("GET", attempt.getAttributes().get(Keys.METHOD));
      assertEquals(8443L, attempt.getAttributes().get(Keys.SERVER_PORT));
    }
    assertEquals(List.of(-1L, 1L, 2L), attempts.stream()
        .map(s -> s.getAttributes().get(Keys.RESEND_COUNT))
        .map(n -> n == null ? -1L : n)
        .collect(Collectors.toList()));
    assertEquals("503", attempts.get(0).getAttributes().get(Keys.ERROR_TYPE));
    assertEquals(StatusCode.ERROR, attempts.get(0).getStatus().getStatusCode());
    assertEquals("java.net.SocketTimeoutException", attempts.get(1).getAttributes().get(Keys.ERROR_TYPE));
    assertEquals(200L, attempts.get(2).getAttributes().get(Keys.STATUS_CODE));
    assertEquals(StatusCode.UNSET, attempts.get(2).getStatus().getStatusCode());
    assertEquals(100.0, attempts.get(0).getAttributes().get(Keys.WAIT_MS));
    assertEquals(List.of(), call.getEvents(), "the attempts are spans, not events");
    assertEquals(attempts.stream().map(SpanData::getSpanId).collect(Collectors.toList()),
        currentDuringAttempts.stream().map(s -> s.getSpanContext().getSpanId())
            .collect(Collectors.toList()),
        "each attempt's span is current while it is handed to the client");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aCallTheBudgetEndsIsAnErrorSpanThatSaysWhy(Mode mode) throws Exception {
    // No floor, retries to the host failing, and the bucket drained by an earlier call.
    RetryBudget budget = RetryBudget.perHost(1, 1, 0).minRetriesPerSecond(0);
    Budgets.failedRetries(budget, "api.example.com", 100);
    Budgets.acquireRetry(budget, "api.example.com");
    run(mode, policy(StoicTracing.create(otel)).retryBudget(budget).build(), "GET",
        FakeResponse.of(503));

    SpanData call = only("stoic GET");
    assertEquals(StatusCode.ERROR, call.getStatus().getStatusCode());
    assertEquals("failure", call.getAttributes().get(Keys.OUTCOME));
    assertEquals("budget", call.getAttributes().get(Keys.REASON));
    assertEquals("503", call.getAttributes().get(Keys.ERROR_TYPE));
    assertEquals("give_up", call.getEvents().get(0).getAttributes().get(Keys.ACTION));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theThrottlesWaitsAreEventsAndItsRefusalEndsTheSpan(Mode mode) throws Exception {
    long[] permits = {250_000_000L, -1};
    AtomicInteger asked = new AtomicInteger();
    Throttle throttle = host -> permits[asked.getAndIncrement()];
    assertThrows(ThrottledException.class, () -> run(mode,
        policy(StoicTracing.create(otel)).throttle(throttle).build(), "GET", FakeResponse.of(503)));

    SpanData call = only("stoic GET");
    assertEquals(List.of("stoic.throttle", "stoic.attempt"),
        call.getEvents().stream().map(EventData::getName).collect(Collectors.toList()));
    assertEquals(250.0, call.getEvents().get(0).getAttributes().get(Keys.WAIT_MS));
    assertEquals("throttle", call.getAttributes().get(Keys.REASON));
    assertEquals("dev.stoic.ThrottledException", call.getAttributes().get(Keys.ERROR_TYPE));
    assertEquals(350.0, call.getAttributes().get(Keys.TOTAL_WAIT_MS));
  }

  @Test
  void aMethodTheConventionsDoNotKnowIsOtherAndKeptAsSent() throws Exception {
    run(Mode.SYNC, policy(StoicTracing.create(otel)).build(), "PURGE", FakeResponse.of(200));
    SpanData call = only("stoic HTTP");
    assertEquals("_OTHER", call.getAttributes().get(stringKey("http.request.method")));
    assertEquals("PURGE", call.getAttributes().get(stringKey("http.request.method_original")));
    assertEquals(1L, call.getAttributes().get(longKey("stoic.attempts")));
  }

  private SpanData only(String name) {
    List<SpanData> spans = exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals(name))
        .collect(Collectors.toList());
    assertEquals(1, spans.size(), exporter.getFinishedSpanItems().toString());
    return spans.get(0);
  }

  /** Plays {@code script}, 30 ms per attempt, sync or async; the last response or failure. */
  private FakeResponse run(Mode mode, RetryPolicy policy, String method, Object... script)
      throws Exception {
    ScriptedTransport transport = new ScriptedTransport(script);
    transport.eachAttempt = () -> {
      currentDuringAttempts.add(Span.current());
      clock.advance(Duration.ofMillis(30));
    };
    return transport.run(mode, policy, CallInfo.builder(method, URL).build());
  }
}
