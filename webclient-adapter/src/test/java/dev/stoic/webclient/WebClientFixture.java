package dev.stoic.webclient;

import dev.stoic.Backoff;
import dev.stoic.Decision;
import dev.stoic.RetryBudget;
import dev.stoic.RetryEvent;
import dev.stoic.RetryPolicy;
import dev.stoic.testing.RecordingListener;
import dev.stoic.testing.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * A real Reactor Netty WebClient against MockWebServer, with the policy on a {@link VirtualClock}:
 * {@link #run} moves the clock by exactly each wait the engine decides, so tests assert waits in
 * virtual time while the exchanges are real.
 */
abstract class WebClientFixture {
  static final ConnectionProvider POOL = ConnectionProvider.create("stoic-tests", 16);
  static final HttpClient NETTY = HttpClient.create(POOL);

  final MockWebServer server = new MockWebServer();
  final VirtualClock clock = new VirtualClock();
  final RecordingListener events = new RecordingListener();
  final Recorder attempts = new Recorder();

  @BeforeEach
  void startServer() throws IOException {
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @AfterAll
  static void closePool() {
    POOL.disposeLater().block();
  }

  /** Three attempts 100 ms apart on the virtual clock, every decision recorded. */
  RetryPolicy.Builder policy() {
    return RetryPolicy.builder()
        .maxAttempts(3)
        .backoff(Backoff.fixed(Duration.ofMillis(100)))
        .retryBudget(RetryBudget.unlimited())
        .clock(clock)
        .random(() -> 0.0)
        .listener(events);
  }

  /** A WebClient with {@code stoic} outside and the attempt {@link Recorder} inside it. */
  WebClient client(ExchangeFilterFunction stoic) {
    return WebClient.builder()
        .clientConnector(new ReactorClientHttpConnector(NETTY))
        .baseUrl(server.url("/").toString())
        .filter(stoic)
        .filter(attempts)
        .build();
  }

  WebClient client(RetryPolicy policy) {
    return client(StoicExchangeFilter.create(policy));
  }

  static MockResponse status(int code, String body) {
    return new MockResponse.Builder().code(code).body(body).build();
  }

  /** "503 busy": the status and the body the caller got. */
  static Mono<String> answer(WebClient.RequestHeadersSpec<?> spec) {
    return spec.exchangeToMono(r -> r.bodyToMono(String.class).defaultIfEmpty("")
        .map(body -> r.statusCode().value() + " " + body));
  }

  /**
   * Subscribes and moves the virtual clock by each wait the engine decides, until the call ends.
   * Returns the value, or throws the error the caller got.
   */
  <T> T run(Mono<T> call) throws Throwable {
    CompletableFuture<T> result = call.toFuture();
    int seen = 0;
    long stuckAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); // a guard, not an assertion
    while (!result.isDone()) {
      if (System.nanoTime() > stuckAt) {
        throw new AssertionError("the call did not end: events " + events.events + ", "
            + clock.pendingTasks() + " tasks pending at " + clock.elapsed());
      }
      List<RetryEvent> all = events.events;
      if (all.size() > seen) {
        RetryEvent event = all.get(seen++);
        if (event.action() == Decision.Action.RETRY) {
          // The event comes as the wait is decided; the wait is scheduled right after it.
          while (clock.pendingTasks() == 0 && !result.isDone()) LockSupport.parkNanos(100_000);
          clock.advance(event.waitTime());
        }
      } else {
        LockSupport.parkNanos(200_000); // real I/O in flight
      }
    }
    try {
      return result.get();
    } catch (ExecutionException e) {
      throw e.getCause();
    }
  }

  /**
   * The filter inside Stoic: sees each attempt as the client sends it, and records what happens
   * to it: sent, cancelled, its body read (or released) and done.
   */
  static final class Recorder implements ExchangeFilterFunction {
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    final List<ClientRequest> requests = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger cancels = new AtomicInteger();

    @Override
    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
      requests.add(request);
      int n = requests.size();
      log.add("sent " + n);
      return next.exchange(request)
          .doOnCancel(() -> {
            cancels.incrementAndGet();
            log.add("cancelled " + n);
          })
          .map(response -> response.mutate()
              .body(body -> body
                  .doOnSubscribe(s -> log.add("body read " + n))
                  .doFinally(signal -> {
                    if (signal == SignalType.CANCEL) log.add("body cut short " + n);
                    log.add("body done " + n);
                  }))
              .build());
    }

    List<String> log() {
      synchronized (log) {
        return List.copyOf(log);
      }
    }
  }
}
