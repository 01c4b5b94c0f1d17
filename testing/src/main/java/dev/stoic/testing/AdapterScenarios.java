package dev.stoic.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.IdempotencyKey;
import dev.stoic.RetriesExhaustedException;
import dev.stoic.Decision.Action;
import dev.stoic.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scenarios every adapter passes, over real sockets: what Stoic promises whatever client runs
 * the call. An adapter's test extends this class and names its ways of sending ({@link
 * #clients()}: sync and async, say); each scenario runs through every one of them.
 *
 * <pre>{@code
 * class JdkAdapterScenariosTest extends AdapterScenarios {
 *   protected List<Client> clients() { return List.of(Client.named("send", (policy, request) -> ...)); }
 * }
 * }</pre>
 */
public abstract class AdapterScenarios {
  /** A request as the scenarios describe it; the adapter's test turns it into its client's. */
  public record Request(String method, URI uri, Map<String, String> headers, String body) {}

  /** The final response as the caller got it. */
  public record Answer(int status, String body) {}

  /** One way of sending through the adapter under test, with a fresh client for {@code policy}. */
  @FunctionalInterface
  public interface Send {
    Answer send(RetryPolicy policy, Request request) throws Exception;
  }

  /** A named {@link Send}: the name shows in a failure. */
  public record Client(String name, Send send) {
    public static Client named(String name, Send send) {
      return new Client(name, send);
    }
  }

  /** Every way this adapter sends a call. */
  protected abstract List<Client> clients();

  protected ScenarioServer server;
  protected RecordingListener events;

  @BeforeEach
  void startServer() throws Exception {
    server = ScenarioServer.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  /** Three attempts, 10 ms apart, every decision recorded in {@link #events}. */
  protected RetryPolicy.Builder policy() {
    events = new RecordingListener();
    return RetryPolicy.builder()
        .maxAttempts(3)
        .backoff(Backoff.fixed(Duration.ofMillis(10)))
        .listener(events);
  }

  private interface Scenario {
    void run(Client client) throws Exception;
  }

  /** Runs {@code scenario} once per client, each on a fresh server, naming the client on failure. */
  private void eachClient(Scenario scenario) throws Exception {
    for (Client client : clients()) {
      server.close();
      server = ScenarioServer.start();
      try {
        scenario.run(client);
      } catch (AssertionError e) {
        throw new AssertionError(client.name() + ": " + e.getMessage(), e);
      }
    }
  }

  private Request get(String path) {
    return new Request("GET", server.url(path), Map.of(), null);
  }

  private Request post(String path, String body) {
    return new Request("POST", server.url(path), Map.of("Content-Type", "application/json"), body);
  }

  @Test
  void unavailableThenOkIsRetriedAndTheCallerGetsTheOk() throws Exception {
    eachClient(client -> {
      server.enqueue(503, "busy", Map.of());
      server.enqueue(200, "ok", Map.of());
      Answer answer = client.send().send(policy().build(), get("/items"));
      assertEquals(new Answer(200, "ok"), answer);
      assertEquals(2, server.received().size());
      assertEquals(List.of(Action.RETRY, Action.RETURN), actions());
    });
  }

  @Test
  void whenRetriesRunOutTheLastResponseIsReturned() throws Exception {
    eachClient(client -> {
      for (int i = 0; i < 3; i++) server.enqueue(503, "busy " + i, Map.of());
      Answer answer = client.send().send(policy().build(), get("/items"));
      assertEquals(new Answer(503, "busy 2"), answer);
      assertEquals(3, server.received().size());
      assertEquals(List.of(Action.RETRY, Action.RETRY, Action.GIVE_UP), actions());
    });
  }

  @Test
  void aServerErrorOnAPostWithoutAKeyIsSentOnce() throws Exception {
    eachClient(client -> {
      server.enqueue(500, "boom", Map.of());
      server.enqueue(200, "", Map.of());
      Answer answer = client.send().send(policy().build(), post("/payments", "{}"));
      assertEquals(new Answer(500, "boom"), answer);
      assertEquals(1, server.received().size());
      assertEquals("{}", server.received().get(0).body());
    });
  }

  @Test
  void aPostWithAGeneratedKeySendsOneKeyOnEveryAttemptAndTheBodyEachTime() throws Exception {
    eachClient(client -> {
      server.enqueue(503, "", Map.of());
      server.enqueue(502, "", Map.of());
      server.enqueue(201, "made", Map.of());
      RetryPolicy policy = policy()
          .idempotencyKey(IdempotencyKey.header("Idempotency-Key").autoGenerate()).build();
      Answer answer = client.send().send(policy, post("/payments", "{\"amount\":1}"));
      assertEquals(new Answer(201, "made"), answer);
      List<ScenarioServer.Received> received = server.received();
      assertEquals(3, received.size());
      Set<String> keys = received.stream().map(r -> r.header("Idempotency-Key"))
          .collect(Collectors.toSet());
      assertEquals(1, keys.size(), "one key for all attempts: " + keys);
      assertTrue(keys.iterator().next().matches("[0-9a-f-]{36}"), keys.toString());
      for (ScenarioServer.Received r : received) assertEquals("{\"amount\":1}", r.body());
    });
  }

  @Test
  void everyAttemptSaysItsNumberUnlessTheCallerSetTheHeader() throws Exception {
    eachClient(client -> {
      for (int i = 0; i < 2; i++) server.enqueue(503, "", Map.of());
      server.enqueue(200, "", Map.of());
      RetryPolicy counted = policy().attemptCountHeader("X-Retry-Count", 0).build();
      client.send().send(counted, get("/items"));
      assertEquals(List.of("0", "1", "2"), server.received().stream()
          .map(r -> r.header("X-Retry-Count")).collect(Collectors.toList()));

      server.close();
      server = ScenarioServer.start();
      server.enqueue(503, "", Map.of());
      server.enqueue(200, "", Map.of());
      Request own = new Request("GET", server.url("/items"), Map.of("X-Retry-Count", "7"), null);
      client.send().send(policy().attemptCountHeader("X-Retry-Count", 0).build(), own);
      assertEquals(List.of("7", "7"), server.received().stream()
          .map(r -> r.header("X-Retry-Count")).collect(Collectors.toList()));
    });
  }

  @Test
  void theEngineSeesTheRequestAndTheCallersKeyUnderThePolicysHeaderOnly() throws Exception {
    eachClient(client -> {
      server.enqueue(200, "", Map.of());
      server.enqueue(200, "", Map.of());
      EngineView seen = new EngineView();
      URI uri = server.url("/orders?id=1");
      Map<String, String> json = Map.of("Content-Type", "application/json");
      RetryPolicy generating = policy().observer(seen)
          .idempotencyKey(IdempotencyKey.header("X-Request-Key").autoGenerate()).build();
      Map<String, String> keyed = new HashMap<>(json);
      keyed.put("X-Request-Key", "mine");
      client.send().send(generating, new Request("POST", uri, keyed, "{}"));
      RetryPolicy recognising = policy().observer(seen)
          .idempotencyKey(IdempotencyKey.header("X-Request-Key")).build();
      Map<String, String> otherHeader = new HashMap<>(json);
      otherHeader.put("Idempotency-Key", "k1");
      client.send().send(recognising, new Request("POST", uri, otherHeader, "{}"));

      String call = "POST " + uri + " host=" + uri.getHost() + " replayable=true key=";
      assertEquals(List.of(call + "true callTimeout=PT0S", call + "false callTimeout=PT0S"),
          seen.calls);
      assertEquals("mine", server.received().get(0).header("X-Request-Key"), "never replaced");
    });
  }

  @Test
  void aRetryAfterBeyondTheCapReturnsTheResponseAtOnce() throws Exception {
    eachClient(client -> {
      server.enqueue(429, "slow down", Map.of("Retry-After", "3600"));
      Answer answer = client.send().send(policy().build(), get("/quota"));
      assertEquals(new Answer(429, "slow down"), answer);
      assertEquals(1, server.received().size());
      assertEquals("429 Too Many Requests: Retry-After of 3600 s exceeds maxRetryAfter of 60 s",
          events.last().reason());
    });
  }

  @Test
  void aTransportFailureKeepsItsTypeAfterOneAttemptAndAfterSeveral() throws Exception {
    eachClient(client -> {
      Request request = get("/items");
      server.close(); // nothing listens any more: every attempt's connection is refused
      Throwable once = failure(client, policy().maxAttempts(1).build(), request);
      assertEquals(List.of(Action.GIVE_UP), actions());
      Throwable thrice = failure(client, policy().build(), request);
      assertEquals(List.of(Action.RETRY, Action.RETRY, Action.GIVE_UP), actions());

      assertEquals(once.getClass(), thrice.getClass(), "the same type however many attempts ran");
      assertEquals(1, RetriesExhaustedException.historyOf(once).size());
      assertEquals(3, RetriesExhaustedException.historyOf(thrice).size());
      long earlier = Arrays.stream(thrice.getSuppressed())
          .filter(s -> s.getClass() == thrice.getClass()).count();
      assertEquals(2, earlier, "the earlier attempts' failures, suppressed");
    });
  }

  /** What a call that fails throws, out of the future's wrapping for an async client. */
  private static Throwable failure(Client client, RetryPolicy policy, Request request) {
    Throwable thrown = assertThrows(Exception.class, () -> client.send().send(policy, request));
    while ((thrown instanceof ExecutionException || thrown instanceof CompletionException)
        && thrown.getCause() != null) {
      thrown = thrown.getCause();
    }
    return thrown;
  }

  private List<Action> actions() {
    return events.actions();
  }
}
