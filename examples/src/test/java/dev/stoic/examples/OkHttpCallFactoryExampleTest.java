package dev.stoic.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.Decision;
import dev.stoic.RetryEvent;
import dev.stoic.RetryPolicy;
import dev.stoic.examples.OkHttpCallFactoryExample.WeatherApi;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OkHttpCallFactoryExampleTest {
  final MockWebServer server = new MockWebServer();
  final Recorder events = new Recorder();
  final OkHttpClient client = new OkHttpClient();

  @AfterEach
  void stop() {
    server.close();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  WeatherApi api() {
    RetryPolicy policy = RetryPolicy.builder()
        .backoff(Backoff.fixed(Duration.ofMillis(10)))
        .listener(events)
        .build();
    return new WeatherApi(OkHttpCallFactoryExample.newCallFactory(client, policy), server.url("/"));
  }

  @Test
  void everyAsyncCallbackGetsItsForecastAfterOneRetryEach() throws IOException {
    server.setDispatcher(OkHttpCallFactoryExample.flakyWeather());
    server.start();

    List<String> forecasts =
        OkHttpCallFactoryExample.forecasts(api(), List.of("Lisbon", "Oslo", "Tunis"));

    assertEquals(List.of("Lisbon: sunny", "Oslo: sunny", "Tunis: sunny"), forecasts);
    assertEquals(6, server.getRequestCount());
    assertEquals(3, events.count(Decision.Action.RETRY));
    assertEquals(3, events.count(Decision.Action.RETURN));
  }

  @Test
  void aCallbackGetsTheLastResponseWhenAttemptsRunOut() throws IOException {
    for (int i = 0; i < 5; i++) server.enqueue(new MockResponse.Builder().code(503).build());
    server.start();

    CompletionException e = assertThrows(CompletionException.class,
        () -> api().forecast("Lisbon").join());

    assertInstanceOf(IOException.class, e.getCause());
    assertEquals("HTTP 503", e.getCause().getMessage());
    assertEquals(5, server.getRequestCount());
    assertEquals(Decision.Action.GIVE_UP, events.events.get(4).action());
  }

  @Test
  void mainPrintsEveryForecast() throws Exception {
    String output = MainOutput.of(OkHttpCallFactoryExample::main);

    assertTrue(output.contains("[Lisbon: sunny, Oslo: sunny, Tunis: sunny]"), output);
    assertTrue(output.contains("requests the server saw: 6"), output);
  }
}
