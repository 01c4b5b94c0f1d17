package dev.stoic.okhttp;

import static dev.stoic.Decision.Action.RETRY;
import static dev.stoic.okhttp.testing.Reply.Fault.NO_RESPONSE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.RetryPolicy;
import dev.stoic.okhttp.internal.RetryingCall;
import dev.stoic.okhttp.testing.Harness;
import dev.stoic.okhttp.testing.Mode;
import dev.stoic.okhttp.testing.Reply;
import dev.stoic.okhttp.testing.Running;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
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
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What only the call factory promises: no thread held while waiting, and OkHttp's Call rules. */
class StoicCallFactoryTest extends Harness {
  @Test
  void enqueueHoldsNoDispatcherThreadWhileWaiting() throws Exception {
    // One request at a time to the host: a waiting call that held its slot would stall "/b".
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequestsPerHost(1);
    OkHttpClient single = client.newBuilder().dispatcher(dispatcher).build();
    server.respondWith(firstUnavailableThenOk());
    CountDownLatch waiting = new CountDownLatch(1);
    RetryPolicy policy = policy().backoff(Backoff.fixed(Duration.ofMillis(500)))
        .listener(event -> {
          if (event.action() == RETRY) waiting.countDown();
        })
        .build();
    StoicCallFactory calls = StoicCallFactory.wrap(single, policy);

    Running a = start(Mode.FACTORY_ENQUEUE, calls.newCall(get("/a")));
    assertTrue(waiting.await(5, TimeUnit.SECONDS));
    Running b = start(Mode.FACTORY_ENQUEUE, calls.newCall(get("/b")));

    try (Response response = b.await()) {
      assertEquals(200, response.code());
    }
    assertFalse(a.outcome.isDone(), "/a is still waiting to retry");
    try (Response response = a.await()) {
      assertEquals(200, response.code());
    }
    assertEquals(List.of("/a", "/b", "/a"), paths());
    dispatcher.executorService().shutdown();
  }

  @Test
  void theCallTimeoutBoundsTheWholeCallAndCancelsIt() {
    server.enqueue(Reply.status(200).fault(NO_RESPONSE));
    Call call = StoicCallFactory.wrap(client, policy().build()).newCall(get("/stalled"));
    call.timeout().timeout(200, TimeUnit.MILLISECONDS);

    IOException e = start(Mode.FACTORY_EXECUTE, call).awaitFailure();

    assertInstanceOf(InterruptedIOException.class, e);
    assertEquals("timeout", e.getMessage());
    assertTrue(call.isCanceled(), "like OkHttp, a call whose timeout fired is cancelled");
  }

  @Test
  void theCallTimeoutStartsAtTheClientsCallTimeout() {
    OkHttpClient timed = client.newBuilder().callTimeout(Duration.ofMillis(1234)).build();
    Call call = StoicCallFactory.wrap(timed, policy().build()).newCall(get("/"));
    assertEquals(TimeUnit.MILLISECONDS.toNanos(1234), call.timeout().timeoutNanos());
  }

  @ParameterizedTest
  @EnumSource(value = Mode.class, names = {"FACTORY_EXECUTE", "FACTORY_ENQUEUE"})
  void cancelBeforeTheCallStartsFailsAtOnceWithoutARequest(Mode mode) {
    Call call = StoicCallFactory.wrap(client, policy().build()).newCall(get("/"));
    call.cancel();

    IOException e = start(mode, call).awaitFailure();

    assertEquals("Canceled", e.getMessage());
    assertEquals(0, server.requestCount());
  }

  @ParameterizedTest
  @EnumSource(value = Mode.class, names = {"FACTORY_EXECUTE", "FACTORY_ENQUEUE"})
  void cancellingAnAttemptsOwnCallCancelsTheWholeCall(Mode mode) {
    server.enqueue(Reply.status(200).fault(NO_RESPONSE), Reply.status(200));
    Call call = StoicCallFactory.wrap(client, policy().build()).newCall(get("/"));
    Running running = start(mode, call);
    assertTrue(await(() -> server.requestCount() == 1, Duration.ofSeconds(5)));

    client.dispatcher().cancelAll(); // cancels the attempt, which only the dispatcher knows

    running.awaitFailure();
    assertTrue(call.isCanceled());
    assertEquals(1, server.requestCount(), "no retry after a cancel");
  }

  @ParameterizedTest
  @EnumSource(value = Mode.class, names = {"FACTORY_EXECUTE", "FACTORY_ENQUEUE"})
  void aFailingInterceptorOfTheClientEndsTheCallWithItsOwnError(Mode mode) {
    // OkHttp rethrows an interceptor's RuntimeException on its dispatcher thread: catch it there.
    List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "dispatcher");
      thread.setUncaughtExceptionHandler((t, e) -> uncaught.add(e));
      return thread;
    });
    OkHttpClient broken = client.newBuilder()
        .dispatcher(new Dispatcher(threads))
        .addInterceptor(chain -> {
          throw new IllegalStateException("boom");
        })
        .build();
    Call call = StoicCallFactory.wrap(broken, policy().build()).newCall(get("/"));

    // execute() throws it as is; enqueue() reports OkHttp's "canceled due to <it>".
    Exception e = assertThrows(Exception.class, start(mode, call)::await);

    assertTrue(e.getMessage().contains("boom"), e.getMessage());
    assertEquals(1, events.events.size(), "not retried");
    assertEquals(0, server.requestCount());
    threads.shutdown();
  }

  @Test
  void callbacksFireExactlyOnceWhateverMomentTheCancelComes() throws Exception {
    server.respondWith(request -> Reply.status(503).body("busy"));
    RetryPolicy policy = policy().backoff(Backoff.fixed(Duration.ofMillis(2))).build();
    StoicCallFactory calls = StoicCallFactory.wrap(client, policy);
    int count = 200;
    CountDownLatch done = new CountDownLatch(count);
    List<AtomicInteger> callbacks = new ArrayList<>();
    List<Call> started = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      AtomicInteger fired = new AtomicInteger();
      callbacks.add(fired);
      Call call = calls.newCall(get("/race/" + i));
      started.add(call);
      call.enqueue(new Callback() {
        @Override
        public void onFailure(Call call, IOException e) {
          fired.incrementAndGet();
          done.countDown();
        }

        @Override
        public void onResponse(Call call, Response response) {
          response.close();
          fired.incrementAndGet();
          done.countDown();
        }
      });
      // Cancel the earlier calls at assorted points: queued, in flight, waiting, finished.
      if (i % 3 == 0) started.get(i / 2).cancel();
    }
    for (int i = 0; i < count; i += 7) started.get(i).cancel();

    assertTrue(done.await(20, TimeUnit.SECONDS), "every callback fired");
    client.dispatcher().executorService().shutdown();
    assertTrue(client.dispatcher().executorService().awaitTermination(5, TimeUnit.SECONDS));
    for (AtomicInteger fired : callbacks) assertEquals(1, fired.get());
  }

  @Test
  void aCallRunsOnceAndItsCloneRunsAgain() throws IOException {
    server.enqueue(Reply.status(200).body("first"), Reply.status(200).body("second"));
    Call call = StoicCallFactory.wrap(client, policy().build()).newCall(get("/"));
    assertFalse(call.isExecuted());

    try (Response response = call.execute()) {
      assertEquals("first", response.body().string());
    }
    assertTrue(call.isExecuted());
    assertThrows(IllegalStateException.class, call::execute);
    assertThrows(IllegalStateException.class, () -> call.enqueue(noop()));

    Call clone = call.clone();
    assertSame(call.request(), clone.request());
    assertFalse(clone.isExecuted());
    try (Response response = clone.execute()) {
      assertEquals("second", response.body().string());
    }
  }

  @Test
  void tagsAreSeededFromTheRequestAndComputedOnce() {
    Request request = get("/").newBuilder().tag(String.class, "from the request").build();
    // Through the class: OkHttp 4.12's Call has no tag methods to call through.
    RetryingCall call = (RetryingCall) StoicCallFactory.wrap(client, policy().build())
        .newCall(request);

    assertEquals("from the request", call.tag(String.class));
    assertEquals(null, call.tag(Integer.class));
    assertEquals(42, call.tag(Integer.class, () -> 42));
    assertEquals(42, call.tag(Integer.class, () -> 7), "computed once");
    assertEquals(42, call.tag(kotlin.jvm.JvmClassMappingKt.getKotlinClass(Integer.class)));
  }

  @Test
  void wrapRejectsAStoicInterceptorAmongTheNetworkInterceptors() {
    OkHttpClient misinstalled = client.newBuilder()
        .addNetworkInterceptor(StoicInterceptor.create(policy().build())).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StoicCallFactory.wrap(misinstalled, policy().build()));
    assertTrue(e.getMessage().startsWith("the client has a StoicInterceptor as a network"
        + " interceptor"), e.getMessage());
  }

  private static Callback noop() {
    return new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {}

      @Override
      public void onResponse(Call call, Response response) {
        response.close();
      }
    };
  }

  /** "/a" fails once with 503, everything else succeeds. */
  private static java.util.function.Function<dev.stoic.okhttp.testing.Received, Reply>
      firstUnavailableThenOk() {
    Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    return request -> {
      int n = seen.computeIfAbsent(request.path, path -> new AtomicInteger()).incrementAndGet();
      return request.path.equals("/a") && n == 1 ? Reply.status(503) : Reply.status(200);
    };
  }

  private List<String> paths() {
    return server.received().stream().map(r -> r.path).collect(Collectors.toList());
  }
}
