package dev.stoic.reliability.testing;

import dev.stoic.Backoff;
import dev.stoic.RetryBudget;
import dev.stoic.RetryPolicy;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;

/**
 * One throwaway run of every lane per JVM, before anything is measured: the first calls load and
 * initialise much of both clients (100+ ms), which would otherwise count as slow answers, and
 * start the JVM-wide threads (Stoic's scheduler, Okio's watchdog) that live on afterwards.
 */
public final class WarmUp {
  private static boolean done;

  private WarmUp() {}

  public static synchronized void once() throws Exception {
    if (done) return;
    RetryPolicy policy = RetryPolicy.builder().backoff(Backoff.none())
        .retryBudget(RetryBudget.unlimited()).build();
    try (Server server = Server.start(arrival -> arrival.attempt() == 1
            ? new MockResponse.Builder().code(503).build()
            : new MockResponse.Builder().code(200).body("warm").build());
        Clients clients = new Clients(false)) {
      Clients.Stoic stoic = clients.with(policy);
      for (int round = 0; round < 3; round++) {
        for (Lane lane : Lane.values()) {
          for (String method : new String[] {"GET", "POST"}) {
            Req req = Req.of("warm-" + round + "-" + lane + "-" + method, method,
                server.url("/warm-up").toString()).header("Idempotency-Key", "k" + round + lane + method);
            clients.start(lane, stoic, req, Runnable::run, false).outcome.get(10, TimeUnit.SECONDS);
          }
        }
      }
    }
    done = true;
  }
}
