package dev.stoic.webclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.RetryBudget;
import dev.stoic.RetryPolicy;
import dev.stoic.testing.VirtualClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * 10,000 calls retried at once against a real Reactor Netty server: while all of them wait for
 * their retry, no thread is held for any of them, and no Netty buffer leaks (the leak detector at
 * PARANOID tracks every buffer).
 */
class NoParkedThreadsTest {
  static final int CALLS = 10_000;
  static ResourceLeakDetector.Level before;

  @BeforeAll
  static void paranoid() {
    before = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  @AfterAll
  static void restore() {
    ResourceLeakDetector.setLevel(before);
  }

  @Test
  void tenThousandWaitingRetriesHoldNoThreadAndLeakNoBuffer() throws Exception {
    Set<String> seen = ConcurrentHashMap.newKeySet();
    AtomicInteger requests = new AtomicInteger();
    DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
        .handle((request, response) -> {
          requests.incrementAndGet();
          boolean first = seen.add(request.uri());
          return response.status(first ? 503 : 200).sendString(Mono.just(first ? "busy" : "ok"));
        })
        .bindNow();
    ConnectionProvider pool = ConnectionProvider.builder("load").maxConnections(200)
        .pendingAcquireMaxCount(-1).build();
    VirtualClock clock = new VirtualClock();
    RetryPolicy policy = RetryPolicy.builder().backoff(Backoff.fixed(Duration.ofSeconds(1)))
        .retryBudget(RetryBudget.unlimited()).clock(clock).build();
    WebClient client = WebClient.builder()
        .clientConnector(new ReactorClientHttpConnector(HttpClient.create(pool)))
        .baseUrl("http://127.0.0.1:" + server.port())
        .filter(StoicExchangeFilter.create(policy))
        .build();
    try {
      List<CompletableFuture<String>> calls = new ArrayList<>(CALLS);
      for (int i = 0; i < CALLS; i++) {
        calls.add(client.get().uri("/call/" + i).retrieve().bodyToMono(String.class).toFuture());
      }
      long guard = System.nanoTime() + TimeUnit.MINUTES.toNanos(2); // not an assertion
      while (clock.pendingTasks() < CALLS && System.nanoTime() < guard) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
      assertEquals(CALLS, clock.pendingTasks(), "every call waits for its retry");
      assertEquals(CALLS, requests.get());
      int threads = ManagementFactory.getThreadMXBean().getThreadCount();
      System.out.printf("%,d calls waiting for their retry; %d live threads in the JVM%n", CALLS, threads);
      assertTrue(threads < 100, threads + " threads for " + CALLS + " waiting calls");

      clock.advance(Duration.ofSeconds(1));
      for (CompletableFuture<String> call : calls) assertEquals("ok", call.get(2, TimeUnit.MINUTES));
      assertEquals(2 * CALLS, requests.get());
    } finally {
      pool.disposeLater().block();
      server.disposeNow();
    }
    assertTrue(CountingLeakDetector.CREATED.get() > 0, "the counting leak detector is installed");
    for (int i = 0; i < 3; i++) {
      System.gc();
      // Netty reports a leak when it tracks a new buffer after the lost one was collected.
      ByteBuf probe = PooledByteBufAllocator.DEFAULT.directBuffer(16);
      probe.release();
    }
    assertEquals(0, CountingLeakDetector.LEAKS.get(), "Netty buffers leaked (see the LEAK log)");
  }
}
