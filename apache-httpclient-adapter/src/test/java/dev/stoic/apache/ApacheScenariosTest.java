package dev.stoic.apache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stoic.RetryPolicy;
import dev.stoic.testing.AdapterScenarios;
import java.util.ArrayList;
import java.util.List;

/**
 * Stoic in HC5 passes the scenarios every adapter passes: installed in a classic builder, around
 * a built classic client, and in an async builder. Every call leaves nothing leased.
 */
class ApacheScenariosTest extends AdapterScenarios {
  @Override
  protected List<Client> clients() {
    List<Client> clients = new ArrayList<>();
    for (Hc5.Mode mode : Hc5.Mode.values()) {
      clients.add(Client.named(mode.name(), (policy, request) -> send(mode, policy, request)));
    }
    return clients;
  }

  private static Answer send(Hc5.Mode mode, RetryPolicy policy, Request request) throws Exception {
    try (Hc5 client = Hc5.create(mode, policy)) {
      Hc5.Call call = new Hc5.Call(request.method(), request.uri(), request.headers(),
          request.body(), false);
      Answer answer = client.send(call);
      assertEquals(0, client.leasedWhenQuiet(), "connections leased after the call");
      return answer;
    }
  }
}
