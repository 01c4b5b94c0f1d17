package dev.stoic.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.okhttp.StoicCallFactory;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

/** A real application on a random port, called through each kind of client the starter sets up. */
@SpringBootTest(
    classes = FlakyApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "stoic.max-attempts = 3",
      "stoic.backoff.base = 5ms",
      "stoic.backoff.cap = 20ms",
      "stoic.routes.elsewhere.host = elsewhere.example",
      "stoic.routes.elsewhere.max-attempts = 7",
      "management.endpoints.web.exposure.include = stoic"
    })
class StoicStarterTest {
  @LocalServerPort int port;
  @Autowired FlakyApp.FlakyController server;
  @Autowired RestClient.Builder restClientBuilder;
  @Autowired RestTemplateBuilder restTemplateBuilder;
  @Autowired StoicCallFactory callFactory;
  @Autowired MeterRegistry registry;

  String base() {
    return "http://localhost:" + port;
  }

  @Test
  void restClientRetriesTheWholeExchange() {
    RestClient client = restClientBuilder.baseUrl(base()).build();
    assertEquals("ok after 2", client.get().uri("/flaky/rest-client").retrieve().body(String.class));
    assertEquals(2, server.requests("rest-client"));
  }

  @Test
  void maxAttemptsComesFromTheProperties() {
    RestClient client = restClientBuilder.baseUrl(base()).build();
    assertThrows(HttpServerErrorException.ServiceUnavailable.class,
        () -> client.get().uri("/down/max").retrieve().body(String.class));
    assertEquals(3, server.requests("max"));
  }

  @Test
  void restTemplateRetries() {
    String body = restTemplateBuilder.rootUri(base()).build()
        .getForObject("/flaky/{id}", String.class, "rest-template");
    assertEquals("ok after 2", body);
    assertEquals(2, server.requests("rest-template"));
  }

  @Test
  void httpInterfaceClientRetries() {
    RestClient client = restClientBuilder.baseUrl(base()).build();
    FlakyApp.FlakyApi api = HttpServiceProxyFactory.builderFor(RestClientAdapter.create(client))
        .build().createClient(FlakyApp.FlakyApi.class);
    assertEquals("ok after 2", api.flaky("http-interface"));
    assertEquals(2, server.requests("http-interface"));
  }

  @Test
  void okHttpCallFactoryRetries() throws Exception {
    Request request = new Request.Builder().url(base() + "/flaky/okhttp").build();
    try (Response response = callFactory.newCall(request).execute()) {
      assertEquals(200, response.code());
      assertEquals("ok after 2", response.body().string());
    }
    assertEquals(2, server.requests("okhttp"));
  }

  @Test
  void metricsCountTheRetry() {
    RestClient client = restClientBuilder.baseUrl(base()).build();
    client.get().uri("/flaky/metrics").retrieve().body(String.class);
    double retries = 0;
    for (Meter meter : registry.find("stoic.retries").counters()) {
      retries += registry.get("stoic.retries").tags(meter.getId().getTags()).counter().count();
    }
    assertTrue(retries >= 1, "stoic.retries counted: " + retries);
    assertFalse(registry.find("stoic.calls").timers().isEmpty());
  }

  @Test
  void actuatorEndpointListsPoliciesByRouteWithTheirSourcesAndBudgetsByHost() throws Exception {
    restClientBuilder.baseUrl(base()).build().get().uri("/flaky/actuator").retrieve().toBodilessEntity();
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(base() + "/actuator/stoic")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    JsonNode json = JsonMapper.builder().build().readTree(response.body());
    assertEquals("[\"elsewhere\"]", json.get("routeOrder").toString());
    JsonNode route = json.get("routes").get("elsewhere");
    assertEquals("elsewhere.example", route.get("host").asString());
    assertSetting(route, "max-attempts", "7", true);
    JsonNode inherited = assertSetting(route, "backoff.base", "5ms", true);
    assertTrue(inherited.get("source").asString().endsWith("(stoic.backoff.base, inherited)"),
        inherited.toString());
    JsonNode otherwise = json.get("otherwise");
    assertSetting(otherwise, "max-attempts", "3", true);
    assertEquals("default", assertSetting(otherwise, "max-retry-after", "60s", false)
        .get("source").asString());
    // The starter's own observers (hosts for the budgets, meters) are not the user's settings.
    JsonNode observers = otherwise.get("settings").get("observers");
    assertFalse(observers.get("set").asBoolean(), observers.toString());
    assertEquals("starter", observers.get("source").asString());
    assertTrue(json.get("sources").has("stoic.routes.elsewhere.max-attempts"), json.toString());
    assertFalse(json.get("sources").has("stoic.route-order"), json.toString());
    // The host the tests called has a budget entry: the bucket's tokens (default capacity 20).
    // Retries that work cost nothing, and a failed one is paid by the floor first.
    double left = json.get("budgets").get("localhost").get("available").asDouble();
    assertTrue(left <= 20 && left >= 0, json.toString());
  }

  private static JsonNode assertSetting(JsonNode policy, String key, String value, boolean set) {
    JsonNode setting = policy.get("settings").get(key);
    assertEquals(value, setting.get("value").asString(), key);
    assertEquals(set, setting.get("set").asBoolean(), setting.toString());
    return setting;
  }
}
