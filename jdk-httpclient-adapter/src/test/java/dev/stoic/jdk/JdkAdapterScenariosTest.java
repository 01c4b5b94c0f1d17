package dev.stoic.jdk;

import dev.stoic.RetryPolicy;
import dev.stoic.testing.AdapterScenarios;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;

/** StoicHttpClient passes the scenarios every adapter passes, through send and sendAsync. */
class JdkAdapterScenariosTest extends AdapterScenarios {
  private final HttpClient delegate = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Override
  protected List<Client> clients() {
    return List.of(
        Client.named("send", (policy, request) ->
            answer(client(policy).send(jdk(request), BodyHandlers.ofString()))),
        Client.named("sendAsync", (policy, request) ->
            answer(client(policy).sendAsync(jdk(request), BodyHandlers.ofString()).get())));
  }

  private HttpClient client(RetryPolicy policy) {
    return StoicHttpClient.wrap(delegate, policy);
  }

  private static HttpRequest jdk(Request request) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri()).method(request.method(),
        request.body() == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(request.body()));
    request.headers().forEach(builder::header);
    return builder.build();
  }

  private static Answer answer(HttpResponse<String> response) {
    return new Answer(response.statusCode(), response.body());
  }
}
