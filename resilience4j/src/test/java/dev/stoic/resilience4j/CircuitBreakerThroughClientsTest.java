package dev.stoic.resilience4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.CircuitOpenException;
import dev.stoic.Decision;
import dev.stoic.RetryEvent;
import dev.stoic.RetryPolicy;
import dev.stoic.Throttle;
import dev.stoic.jdk.StoicHttpClient;
import dev.stoic.okhttp.StoicCallFactory;
import dev.stoic.okhttp.StoicInterceptor;
import dev.stoic.testing.VirtualClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The breaker through every adapter and mode against a real server: it knows no adapter, only
 * core's Throttle. Each scenario trips the circuit with 503s, is refused without reaching the
 * server, and closes it again with a probe once the host is back.
 */
class CircuitBreakerThroughClientsTest {
  static final HttpClient JDK = HttpClient.newHttpClient();
  static final OkHttpClient OKHTTP = new OkHttpClient();
  static final Duration OPEN_INTERVAL = Duration.ofMillis(200);
  static final ExecutorService CALLERS = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "caller");
    thread.setDaemon(true);
    return thread;
  });

  /** One way of making a call: returns the status, or throws the call's IOException. */
  enum Client {
    JDK_SEND, JDK_SEND_ASYNC, OKHTTP_FACTORY_EXECUTE, OKHTTP_FACTORY_ENQUEUE,
    OKHTTP_INTERCEPTOR_EXECUTE, OKHTTP_INTERCEPTOR_ENQUEUE;

    int call(RetryPolicy policy, String method, String url) throws Exception {
      switch (this) {
        case JDK_SEND:
        case JDK_SEND_ASYNC: {
          HttpClient client = StoicHttpClient.wrap(JDK, policy);
          HttpRequest request = HttpRequest.newBuilder(URI.create(url))
              .method(method, method.equals("GET")
                  ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}"))
              .build();
          if (this == JDK_SEND) return client.send(request, BodyHandlers.ofString()).statusCode();
          return unwrap(client.sendAsync(request, BodyHandlers.ofString())).statusCode();
        }
        default: {
          Call.Factory calls = this == OKHTTP_FACTORY_EXECUTE || this == OKHTTP_FACTORY_ENQUEUE
              ? StoicCallFactory.wrap(OKHTTP, policy)
              : OKHTTP.newBuilder().addInterceptor(StoicInterceptor.create(policy)).build();
          Request request = new Request.Builder().url(url)
              .method(method, method.equals("GET") ? null : RequestBody.create(new byte[] {'{', '}'}))
              .build();
          Call call = calls.newCall(request);
          if (this == OKHTTP_FACTORY_EXECUTE || this == OKHTTP_INTERCEPTOR_EXECUTE) {
            try (Response response = call.execute()) {
              return response.code();
            }
          }
          CompletableFuture<Integer> status = new CompletableFuture<>();
          call.enqueue(new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
              status.completeExceptionally(e);
            }

            @Override
            public void onResponse(Call c, Response response) {
              try (response) {
                status.complete(response.code());
              }
            }
          });
          return unwrap(status);
        }
      }
    }

    static <T> T unwrap(CompletableFuture<T> future) throws Exception {
      try {
        return future.get(10, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Exception) throw (Exception) e.getCause();
        throw e;
      }
    }
  }

  FlakyHost host;
  /** The breaker's time: real sockets, but its open interval passes when the test says. */
  final VirtualClock breakerClock = new VirtualClock();
  StoicCircuitBreaker breaker;
  RetryPolicy policy;

  @BeforeEach
  void start() throws IOException {
    host = new FlakyHost();
    breaker = StoicCircuitBreaker.builder()
        .minimumAttempts(3)
        .window(Duration.ofSeconds(10))
        .openInterval(OPEN_INTERVAL)
        .clock(breakerClock)
        .build();
    policy = RetryPolicy.builder()
        .maxAttempts(1)
        .backoff(Backoff.fixed(Duration.ofMillis(5)))
        .throttle(breaker)
        .build();
  }

  @AfterEach
  void stop() {
    host.close();
  }

  CircuitBreaker circuit() {
    return breaker.registry().getAllCircuitBreakers().iterator().next();
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  void anOutageOpensTheCircuitAndAProbeClosesItWhenTheHostIsBack(Client client) throws Exception {
    String url = host.url("/items");
    host.down(true);
    for (int i = 0; i < 3; i++) assertEquals(503, client.call(policy, "GET", url));
    assertEquals(State.OPEN, circuit().getState());

    long start = System.nanoTime();
    Exception refused = assertThrows(Exception.class,
        () -> client.call(policy, "GET", url));
    long tookMillis = (System.nanoTime() - start) / 1_000_000;
    CircuitOpenException open = assertInstanceOf(CircuitOpenException.class, refused);
    assertEquals(circuit().getName(), open.host());
    assertTrue(tookMillis < 1000, "refused after " + tookMillis + " ms");
    assertEquals(3, host.whileDown.get()); // the refused call never reached the server

    host.down(false);
    breakerClock.advance(OPEN_INTERVAL.plusMillis(20));
    // A POST without a key may not probe; the GET after it does, and closes the circuit.
    assertInstanceOf(CircuitOpenException.class, assertThrows(
        Exception.class, () -> client.call(policy, "POST", host.url("/orders"))));
    assertEquals(200, client.call(policy, "GET", url));
    assertEquals(State.CLOSED, circuit().getState());
    assertEquals(200, client.call(policy, "POST", host.url("/orders")));
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  void besideARateLimiterTheBreakerStillOpensAndCloses(Client client) throws Exception {
    // Throttle.all: every attempt needs the limiter's permit and the breaker's.
    policy = policy.toBuilder().throttle(Throttle.all(
        StoicRateLimiter.adaptive(1000, Duration.ofSeconds(1)).build(), breaker)).build();
    anOutageOpensTheCircuitAndAProbeClosesItWhenTheHostIsBack(client);
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  void aCallWaitingToRetryEndsWhenOtherCallsOpenTheCircuit(Client client) throws Exception {
    breaker = StoicCircuitBreaker.builder().minimumAttempts(3).openInterval(Duration.ofMinutes(1))
        .clock(breakerClock).build();
    CompletableFuture<Void> waiting = new CompletableFuture<>();
    RetryPolicy patient = policy.toBuilder().throttle(breaker).maxAttempts(2)
        .backoff(Backoff.fixed(Duration.ofSeconds(30)))
        .listener(event -> {
          if (event.action() == Decision.Action.RETRY) waiting.complete(null);
        })
        .build();
    host.down(true);
    CompletableFuture<Integer> call = CompletableFuture.supplyAsync(() -> {
      try {
        return client.call(patient, "GET", host.url("/items"));
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    }, CALLERS);
    waiting.get(10, TimeUnit.SECONDS);
    RetryPolicy once = policy.toBuilder().throttle(breaker).build();
    for (int i = 0; i < 2; i++) assertEquals(503, client.call(once, "GET", host.url("/items")));
    assertEquals(State.OPEN, circuit().getState());

    // Ends now, not 30 s from now: its retry would meet the open circuit.
    ExecutionException ended =
        assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
    assertInstanceOf(CircuitOpenException.class, ended.getCause());
    assertEquals(3, host.whileDown.get());
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  void aRetryingCallEndsWhenTheCircuitOpensUnderIt(Client client) throws Exception {
    RetryPolicy retrying = policy.toBuilder().maxAttempts(6).build();
    host.down(true);
    // Three attempts of one call open the circuit; the call returns its third 503 at once.
    assertEquals(503, client.call(retrying, "GET", host.url("/items")));
    assertEquals(3, host.whileDown.get());
    assertEquals(State.OPEN, circuit().getState());
  }
}
