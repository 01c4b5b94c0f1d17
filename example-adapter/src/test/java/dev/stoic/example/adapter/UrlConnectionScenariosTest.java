package dev.stoic.example.adapter;

import dev.stoic.testing.AdapterScenarios;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;

/** The example adapter passes the scenarios every adapter passes, sync and async. */
class UrlConnectionScenariosTest extends AdapterScenarios {
  private final ExecutorService executor = Executors.newCachedThreadPool();

  @AfterEach
  void stopExecutor() {
    executor.shutdownNow();
  }

  @Override
  protected List<Client> clients() {
    return List.of(
        Client.named("send", (policy, request) ->
            answer(StoicUrlConnection.create(policy, executor).send(exchange(request)))),
        Client.named("sendAsync", (policy, request) ->
            answer(StoicUrlConnection.create(policy, executor).sendAsync(exchange(request)).get())));
  }

  private static Exchange.Request exchange(Request request) {
    byte[] body = request.body() == null ? null : request.body().getBytes(StandardCharsets.UTF_8);
    return new Exchange.Request(request.method(), request.uri(), request.headers(), body);
  }

  private static Answer answer(Exchange.Response response) {
    return new Answer(response.status(), new String(response.body(), StandardCharsets.UTF_8));
  }
}
