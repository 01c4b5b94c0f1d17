package dev.stoic.webclient;

import dev.stoic.testing.AdapterScenarios;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;

/** The filter passes the scenarios every adapter passes, on a real Reactor Netty client. */
class WebClientScenariosTest extends AdapterScenarios {
  private static final ConnectionProvider POOL = ConnectionProvider.create("scenarios", 8);

  @AfterAll
  static void closePool() {
    POOL.disposeLater().block();
  }

  @Override
  protected List<Client> clients() {
    return List.of(
        Client.named("exchangeToMono", (policy, request) -> client(policy).method(method(request))
            .uri(request.uri())
            .headers(h -> request.headers().forEach(h::set))
            .body(request.body() == null ? org.springframework.web.reactive.function.BodyInserters.empty()
                : org.springframework.web.reactive.function.BodyInserters.fromValue(request.body()))
            .exchangeToMono(r -> r.bodyToMono(String.class).defaultIfEmpty("")
                .map(body -> new Answer(r.statusCode().value(), body)))
            .block()),
        Client.named("toEntity", (policy, request) -> {
          var spec = client(policy).method(method(request)).uri(request.uri())
              .headers(h -> request.headers().forEach(h::set));
          var sent = request.body() == null ? spec : spec.bodyValue(request.body());
          return sent.retrieve()
              .onStatus(status -> true, r -> Mono.empty())
              .toEntity(String.class)
              .map(e -> new Answer(e.getStatusCode().value(), e.getBody() == null ? "" : e.getBody()))
              .block();
        }));
  }

  private static HttpMethod method(Request request) {
    return HttpMethod.valueOf(request.method());
  }

  private static WebClient client(dev.stoic.RetryPolicy policy) {
    return WebClient.builder()
        .clientConnector(new ReactorClientHttpConnector(reactor.netty.http.client.HttpClient.create(POOL)))
        .filter(StoicExchangeFilter.create(policy))
        .build();
  }
}
