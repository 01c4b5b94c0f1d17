package dev.stoic.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.RetryPolicy;
import dev.stoic.okhttp.StoicCallFactory;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real calls through {@link StoicCallFactory} to a server on loopback, recorded in a Prometheus
 * registry and read back from its text scrape, as Prometheus itself would read them.
 */
class PrometheusScrapeTest {
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final MockWebServer server = new MockWebServer();
  final OkHttpClient client = new OkHttpClient();

  @BeforeEach
  void start() throws IOException {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    server.close();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  @Test
  void theScrapeShowsCallsRetriesByReasonWaitsAndTheClientsOwnResends() throws IOException {
    server.enqueue(new MockResponse.Builder().code(503).build());
    server.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "/moved").build());
    server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
    server.enqueue(new MockResponse.Builder().code(404).build());
    RetryPolicy policy = RetryPolicy.builder()
        .backoff(Backoff.fixed(Duration.ofMillis(5)))
        .observer(StoicMetrics.create(registry))
        .build();
    Call.Factory calls = StoicCallFactory.wrap(client, policy);

    try (Response response = calls.newCall(get("/orders")).execute()) {
      assertEquals("ok", response.body().string());
    }
    try (Response response = calls.newCall(get("/missing")).execute()) {
      assertEquals(404, response.code());
    }

    String scrape = registry.scrape();
    String base = "host=\"127.0.0.1\",method=\"GET\"";
    assertEquals(1.0, sample(scrape, "stoic_retries_total", base, "reason=\"status\""), scrape);
    assertEquals(1.0, sample(scrape, "stoic_giveups_total", base, "reason=\"status\""), scrape);
    assertEquals(1.0, sample(scrape, "stoic_calls_seconds_count", base,
        "outcome=\"success\"", "status_class=\"2xx\""), scrape);
    assertEquals(1.0, sample(scrape, "stoic_calls_seconds_count", base,
        "outcome=\"failure\"", "status_class=\"4xx\""), scrape);
    assertEquals(1.0, sample(scrape, "stoic_attempts_seconds_count", base,
        "outcome=\"retry\"", "status_class=\"5xx\""), scrape);
    assertEquals(1.0, sample(scrape, "stoic_waits_seconds_count", base, "reason=\"status\""), scrape);
    assertEquals(0.005, sample(scrape, "stoic_waits_seconds_sum", base, "reason=\"status\""), scrape);
    // The 302 OkHttp followed inside the second attempt: a request Stoic never saw as an attempt.
    assertEquals(1.0, sample(scrape, "stoic_client_resends_total", base), scrape);
    assertEquals(0.0, sample(scrape, "stoic_budget_refusals_total", base), scrape);
    assertTrue(scrape.contains("stoic_calls_seconds_bucket{"), "a histogram: " + scrape);
    assertTrue(scrape.contains("# TYPE stoic_retries_total counter"), scrape);
    assertEquals(4, server.getRequestCount());
  }

  private Request get(String path) {
    return new Request.Builder().url(server.url(path).newBuilder().host("127.0.0.1").build()).build();
  }

  /** The value of the one sample named {@code name} whose labels include every one given. */
  private static double sample(String scrape, String name, String... labels) {
    Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
    Matcher m = line.matcher(scrape);
    List<Double> values = new ArrayList<>();
    while (m.find()) {
      boolean all = true;
      for (String label : labels) all &= m.group(1).contains(label);
      if (all) values.add(Double.parseDouble(m.group(2)));
    }
    if (values.size() != 1) throw new AssertionError(name + " " + List.of(labels) + ": " + values);
    return values.get(0);
  }
}
