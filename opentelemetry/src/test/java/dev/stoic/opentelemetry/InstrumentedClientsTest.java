package dev.stoic.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.RetryPolicy;
import dev.stoic.jdk.StoicHttpClient;
import dev.stoic.okhttp.StoicCallFactory;
import dev.stoic.okhttp.StoicInterceptor;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.instrumentation.javahttpclient.JavaHttpClientTelemetry;
import io.opentelemetry.instrumentation.okhttp.v3_0.OkHttpTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stoic beside OpenTelemetry's own OkHttp and JDK HttpClient instrumentation, against a real server
 * on loopback: the instrumentation makes the one {@code CLIENT} span per request, under Stoic's
 * call span, numbered with {@code http.request.resend_count}; Stoic adds no {@code CLIENT} span of
 * its own, and the trace reaches the server. Without instrumentation, {@link
 * StoicTracing#withClientSpans} makes those spans itself.
 */
class InstrumentedClientsTest {
  static final String OKHTTP_SCOPE = "io.opentelemetry.okhttp-3.0";
  static final String JDK_SCOPE = "io.opentelemetry.java-http-client";

  final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  final SdkTracerProvider tracerProvider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
      .setTracerProvider(tracerProvider)
      .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
      .build();
  final MockWebServer server = new MockWebServer();
  final OkHttpClient okHttp = new OkHttpClient();

  @BeforeEach
  void start() throws IOException {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    server.close();
    okHttp.dispatcher().executorService().shutdown();
    okHttp.connectionPool().evictAll();
    tracerProvider.close();
  }

  RetryPolicy policy(StoicTracing tracing) {
    return RetryPolicy.builder().backoff(Backoff.fixed(Duration.ofMillis(5))).observer(tracing).build();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void okHttpsInstrumentationTracesEachRequestUnderStoicsSpan(boolean enqueue) throws Exception {
    server.enqueue(new MockResponse.Builder().code(503).build());
    server.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "/moved").build());
    server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
    OkHttpClient withStoic = okHttp.newBuilder()
        .addInterceptor(StoicInterceptor.create(policy(StoicTracing.create(otel))))
        .build();
    Call.Factory traced = OkHttpTelemetry.create(otel).createCallFactory(withStoic);

    assertEquals(200, execute(traced.newCall(okRequest("/orders")), enqueue));

    SpanData stoic = stoicSpan();
    List<SpanData> requests = clientSpans(OKHTTP_SCOPE);
    // Stoic's two attempts; OkHttp followed the 302 inside the second, a request of its own.
    assertEquals(3, requests.size(), exporter.getFinishedSpanItems().toString());
    for (SpanData request : requests) {
      assertEquals(stoic.getSpanId(), request.getParentSpanId(), "under Stoic's span");
      assertEquals(stoic.getTraceId(), request.getTraceId());
    }
    assertEquals(List.of(0L, 1L, 2L), resendCounts(requests));
    assertEquals(List.of(), clientSpans(StoicTracing.SCOPE), "Stoic adds no CLIENT span");
    assertEquals(2L, stoic.getAttributes().get(Keys.ATTEMPTS));
    assertEquals(List.of(0L, 1L), stoic.getEvents().stream()
        .map(e -> e.getAttributes().get(Keys.CLIENT_RESENDS)).collect(Collectors.toList()),
        "the redirect is a resend OkHttp made within Stoic's second attempt");
    assertTraceReachedServer(requests);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void theJdkClientsInstrumentationTracesEachAttemptUnderStoicsSpan(boolean async)
      throws Exception {
    server.enqueue(new MockResponse.Builder().code(503).build());
    server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
    HttpClient jdk = HttpClient.newHttpClient();
    HttpClient traced = JavaHttpClientTelemetry.create(otel).newHttpClient(jdk);
    StoicHttpClient client = StoicHttpClient.wrap(traced, policy(StoicTracing.create(otel)));
    HttpRequest request = HttpRequest.newBuilder(URI.create(url("/orders"))).build();

    HttpResponse<String> response = async
        ? client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS)
        : client.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());

    SpanData stoic = stoicSpan();
    List<SpanData> requests = clientSpans(JDK_SCOPE);
    assertEquals(2, requests.size(), exporter.getFinishedSpanItems().toString());
    for (SpanData each : requests) assertEquals(stoic.getSpanId(), each.getParentSpanId());
    // Numbered across Stoic's attempts through the counter Stoic puts in its call's context.
    assertEquals(List.of(0L, 1L), resendCounts(requests));
    assertEquals(List.of(), clientSpans(StoicTracing.SCOPE), "Stoic adds no CLIENT span");
    assertTraceReachedServer(requests);
  }

  @Test
  void withoutInstrumentationStoicMakesTheClientSpans() throws Exception {
    server.enqueue(new MockResponse.Builder().code(503).build());
    server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
    Call.Factory calls = StoicCallFactory.wrap(okHttp, policy(StoicTracing.withClientSpans(otel)));

    assertEquals(200, execute(calls.newCall(okRequest("/orders")), false));

    SpanData stoic = stoicSpan();
    List<SpanData> attempts = clientSpans(StoicTracing.SCOPE);
    assertEquals(2, attempts.size());
    for (SpanData attempt : attempts) {
      assertEquals(stoic.getSpanId(), attempt.getParentSpanId());
      assertEquals((long) server.getPort(), attempt.getAttributes().get(Keys.SERVER_PORT));
      assertEquals("127.0.0.1", attempt.getAttributes().get(Keys.SERVER_ADDRESS));
    }
    assertEquals(List.of(0L, 1L), resendCounts(attempts));
    assertEquals(List.of(503L, 200L), attempts.stream()
        .map(s -> s.getAttributes().get(Keys.STATUS_CODE)).collect(Collectors.toList()));
  }

  /** Each request the server got carries the trace, with its CLIENT span as the parent. */
  private void assertTraceReachedServer(List<SpanData> requests) throws InterruptedException {
    List<String> parents = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      RecordedRequest recorded = server.takeRequest(5, TimeUnit.SECONDS);
      String traceparent = recorded.getHeaders().get("traceparent");
      assertTrue(traceparent != null && traceparent.contains(requests.get(i).getTraceId()),
          "traceparent " + traceparent);
      parents.add(traceparent.split("-")[2]);
    }
    assertEquals(requests.stream().map(SpanData::getSpanId).collect(Collectors.toList()), parents);
  }

  private SpanData stoicSpan() {
    List<SpanData> spans = exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getInstrumentationScopeInfo().getName().equals(StoicTracing.SCOPE))
        .filter(s -> s.getKind() == SpanKind.INTERNAL)
        .collect(Collectors.toList());
    assertEquals(1, spans.size(), exporter.getFinishedSpanItems().toString());
    return spans.get(0);
  }

  /** The CLIENT spans of one instrumentation scope, in the order they started. */
  private List<SpanData> clientSpans(String scope) {
    return exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getKind() == SpanKind.CLIENT)
        .filter(s -> s.getInstrumentationScopeInfo().getName().equals(scope))
        .sorted((a, b) -> Long.compare(a.getStartEpochNanos(), b.getStartEpochNanos()))
        .collect(Collectors.toList());
  }

  private static List<Long> resendCounts(List<SpanData> spans) {
    return spans.stream()
        .map(s -> s.getAttributes().get(Keys.RESEND_COUNT))
        .map(n -> n == null ? 0L : n)
        .collect(Collectors.toList());
  }

  private String url(String path) {
    return server.url(path).newBuilder().host("127.0.0.1").build().toString();
  }

  private Request okRequest(String path) {
    return new Request.Builder().url(url(path)).build();
  }

  /** Runs {@code call} and returns its status, after the callback when enqueued. */
  private static int execute(Call call, boolean enqueue) throws Exception {
    if (!enqueue) {
      try (Response response = call.execute()) {
        response.body().string();
        return response.code();
      }
    }
    CompletableFuture<Integer> done = new CompletableFuture<>();
    call.enqueue(new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        done.completeExceptionally(e);
      }

      @Override
      public void onResponse(Call call, Response response) {
        try (response) {
          response.body().string();
          done.complete(response.code());
        } catch (IOException e) {
          done.completeExceptionally(e);
        }
      }
    });
    return done.get(10, TimeUnit.SECONDS);
  }
}
