package dev.stoic.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README's application, end to end: its dependencies alone, its properties block as the
 * application's {@code application.properties}, a real server on a random port.
 */
class ReadmeAppTest {
  private static ConfigurableApplicationContext app;
  private static int port;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    Path properties = dir.resolve("application.properties");
    Files.writeString(properties, Readme.block("properties"));
    app = SpringApplication.run(ReadmeApp.class, "--server.port=0",
        "--spring.config.additional-location=file:" + properties);
    port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
  }

  @AfterAll
  static void stop() {
    if (app != null) app.close();
  }

  private static String base() {
    return "http://localhost:" + port;
  }

  private static JsonNode get(String path) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(base() + path)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), path + ": " + response.body());
    return JSON.readTree(response.body());
  }

  private static String callFlaky(String id) {
    RestClient client = app.getBean(RestClient.Builder.class).baseUrl(base()).build();
    return client.get().uri("/flaky/{id}", id).retrieve().body(String.class);
  }

  @Test
  void bootsRestClientBuilderIsThereAndRetries() {
    assertEquals("ok after 2", callFlaky("rest-client"));
    assertEquals(2, app.getBean(ReadmeApp.FlakyController.class).requests("rest-client"));
  }

  @Test
  void stoicsMetersAreUnderActuatorMetrics() throws Exception {
    callFlaky("metrics");
    JsonNode names = get("/actuator/metrics").get("names");
    assertTrue(names.toString().contains("\"stoic.calls\""), names.toString());
    double retries = get("/actuator/metrics/stoic.retries").get("measurements").get(0)
        .get("value").asDouble();
    assertTrue(retries >= 1, "stoic.retries: " + retries);
    assertEquals("UP", get("/actuator/health").get("status").asString());
  }

  @Test
  void theStoicEndpointShowsEachSettingWithItsSource() throws Exception {
    JsonNode stoic = get("/actuator/stoic");
    JsonNode otherwise = stoic.get("otherwise").get("settings");
    JsonNode maxAttempts = otherwise.get("max-attempts");
    assertEquals("4", maxAttempts.get("value").asString());
    assertTrue(maxAttempts.get("set").asBoolean());
    String source = maxAttempts.get("source").asString();
    assertTrue(source.contains("application.properties") && source.endsWith(", line 1"), source);
    assertTrue(otherwise.get("backoff.base").get("source").asString().endsWith(", line 2"));
    assertFalse(otherwise.get("backoff.cap").get("set").asBoolean(), otherwise.toString());
    assertFalse(otherwise.get("observers").get("set").asBoolean(), otherwise.toString());

    JsonNode payments = stoic.get("routes").get("payments");
    assertEquals("payments.example.com", payments.get("host").asString());
    JsonNode autoGenerate = payments.get("settings").get("idempotency-key.auto-generate");
    assertEquals("true", autoGenerate.get("value").asString());
    assertTrue(autoGenerate.get("source").asString().endsWith(", line 4"), autoGenerate.toString());
    JsonNode inherited = payments.get("settings").get("max-attempts");
    assertTrue(inherited.get("source").asString().endsWith("(stoic.max-attempts, inherited)"),
        inherited.toString());
    assertEquals(4, stoic.get("sources").size(), stoic.get("sources").toString());
  }
}
