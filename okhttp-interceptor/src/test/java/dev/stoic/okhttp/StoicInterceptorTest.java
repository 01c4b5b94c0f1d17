package dev.stoic.okhttp;

import static dev.stoic.Decision.Action.RETRY;
import static dev.stoic.okhttp.testing.Reply.Fault.NO_RESPONSE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.RetryPolicy;
import dev.stoic.okhttp.testing.Harness;
import dev.stoic.okhttp.testing.Mode;
import dev.stoic.okhttp.testing.Reply;
import dev.stoic.okhttp.testing.Running;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import okhttp3.Call;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What is particular to the interceptor: where it may be installed, and what its waits hold. */
class StoicInterceptorTest extends Harness {
  @ParameterizedTest
  @EnumSource(value = Mode.class, names = {"EXECUTE", "ENQUEUE"})
  void asANetworkInterceptorItFailsWithANamedError(Mode mode) {
    // OkHttp rethrows an interceptor's RuntimeException on its dispatcher thread: catch it there.
    List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "dispatcher");
      thread.setUncaughtExceptionHandler((t, e) -> uncaught.add(e));
      return thread;
    });
    OkHttpClient misconfigured = client.newBuilder()
        .dispatcher(new Dispatcher(threads))
        .addNetworkInterceptor(StoicInterceptor.create(policy().build()))
        .build();
    server.enqueue(Reply.status(200));

    Running running = start(mode, misconfigured.newCall(get("/")));

    // execute() throws it as is; enqueue() reports OkHttp's "canceled due to <it>".
    Exception e = assertThrows(Exception.class, running::await);
    assertTrue(e.getMessage().contains(
        "StoicInterceptor must be added with addInterceptor(), not addNetworkInterceptor()"),
        e.getMessage());
    assertEquals(0, server.requestCount(), "nothing was sent");
    if (mode == Mode.ENQUEUE) {
      assertTrue(await(() -> uncaught.size() == 1, Duration.ofSeconds(5)));
      assertInstanceOf(IllegalStateException.class, uncaught.get(0));
    }
    threads.shutdown();
  }

  /** The reason StoicCallFactory exists: this documents the interceptor's cost, not a goal. */
  @Test
  void enqueueHoldsItsDispatcherSlotWhileWaiting() throws Exception {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequestsPerHost(1);
    OkHttpClient single = client.newBuilder().dispatcher(dispatcher).build();
    Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    server.respondWith(request -> {
      int n = seen.computeIfAbsent(request.path, path -> new AtomicInteger()).incrementAndGet();
      return request.path.equals("/a") && n == 1 ? Reply.status(503) : Reply.status(200);
    });
    CountDownLatch waiting = new CountDownLatch(1);
    RetryPolicy policy = policy().backoff(Backoff.fixed(Duration.ofMillis(200)))
        .listener(event -> {
          if (event.action() == RETRY) waiting.countDown();
        })
        .build();
    OkHttpClient retrying = single.newBuilder()
        .addInterceptor(StoicInterceptor.create(policy)).build();

    Running a = start(Mode.ENQUEUE, retrying.newCall(get("/a")));
    assertTrue(waiting.await(5, TimeUnit.SECONDS));
    Running b = start(Mode.ENQUEUE, retrying.newCall(get("/b")));
    try (Response first = a.await(); Response second = b.await()) {
      assertEquals(200, first.code());
      assertEquals(200, second.code());
    }

    List<String> paths = server.received().stream().map(r -> r.path)
        .collect(Collectors.toList());
    assertEquals(List.of("/a", "/a", "/b"), paths, "/b waited for /a's retry");
    dispatcher.executorService().shutdown();
  }

  @Test
  void aPerAttemptTimeoutNeverRaisesTheClientsOwnTimeouts() {
    server.enqueue(Reply.status(200).fault(NO_RESPONSE));
    OkHttpClient quick = client.newBuilder().readTimeout(Duration.ofMillis(100)).build();
    RetryPolicy policy = policy().maxAttempts(1).attemptTimeout(Duration.ofSeconds(30)).build();
    long start = System.nanoTime();

    IOException e = start(Mode.EXECUTE, newCall(Mode.EXECUTE, quick, policy, get("/")))
        .awaitFailure();

    assertEquals("java.net.SocketTimeoutException", e.getClass().getName());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "the 100 ms read timeout");
  }

  @ParameterizedTest
  @EnumSource(value = Mode.class, names = {"EXECUTE", "ENQUEUE"})
  void aTimeoutSetOnTheCallIsHonoured(Mode mode) throws IOException {
    server.respondWith(request -> Reply.status(503));
    // Attempts at about 0, 700 and 1400 ms; the next wait would end past 2000 ms, so Stoic stops
    // and returns the 503. The margins leave room for a loaded CI machine.
    RetryPolicy policy = policy().maxAttempts(10).backoff(Backoff.fixed(Duration.ofMillis(700)))
        .build();
    Call call = newCall(mode, policy, get("/"));
    call.timeout().timeout(2000, TimeUnit.MILLISECONDS);

    try (Response response = start(mode, call).await()) {
      assertEquals(503, response.code());
    }
    assertDeadlineRespected(Duration.ofMillis(2000));
  }
}
