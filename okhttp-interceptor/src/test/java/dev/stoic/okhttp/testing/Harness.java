package dev.stoic.okhttp.testing;

import static dev.stoic.Decision.Action.GIVE_UP;
import static dev.stoic.Decision.Action.RETRY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.RetryEvent;
import dev.stoic.RetryPolicy;
import dev.stoic.okhttp.StoicCallFactory;
import dev.stoic.okhttp.StoicInterceptor;
import dev.stoic.testing.RecordingListener;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Runs one scenario the way each {@link Mode} does, against a fresh {@link TestServer}, and checks
 * after every test that no connection is still in use, that OkHttp logged no warning (leaks), and
 * that every enqueued call's callback fired exactly once.
 */
public abstract class Harness {
  public static final MediaType TEXT = MediaType.get("text/plain; charset=utf-8");
  private static volatile boolean warm;

  protected TestServer server;
  protected OkHttpClient client;
  protected final RecordingListener events = new RecordingListener();
  private LeakWatch leaks;
  private final List<AtomicInteger> callbacks = new CopyOnWriteArrayList<>();

  /**
   * One throwaway exchange per JVM first: OkHttp's first call loads and initialises much of it,
   * which takes long enough (100+ ms) to upset the scenarios that measure time.
   */
  @BeforeAll
  static void warmUp() throws IOException {
    if (warm) return;
    try (TestServer warmUp = TestServer.start()) {
      warmUp.enqueue(Reply.status(200));
      OkHttpClient plain = new OkHttpClient();
      try (Response response = plain.newCall(
          new Request.Builder().url(warmUp.url("/")).build()).execute()) {
        response.body().string();
      }
      plain.connectionPool().evictAll();
    }
    warm = true;
  }

  @BeforeEach
  void startServer() throws IOException {
    leaks = new LeakWatch();
    server = TestServer.start();
    client = new OkHttpClient.Builder().build();
  }

  @AfterEach
  void checkNothingLeaked() throws IOException {
    try {
      for (AtomicInteger count : callbacks) assertEquals(1, count.get(), "callbacks of one call");
      assertNoConnectionInUse(client.connectionPool());
      assertEquals(List.of(), leaks.warnings, "OkHttp warnings");
    } finally {
      server.close();
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
      leaks.close();
    }
  }

  /** Fast waits, real clock: scenarios take milliseconds unless a server hint says otherwise. */
  protected RetryPolicy.Builder policy() {
    return RetryPolicy.builder()
        .maxAttempts(3)
        .backoff(Backoff.fixed(Duration.ofMillis(10)))
        .listener(events);
  }

  protected Call newCall(Mode mode, RetryPolicy policy, Request request) {
    return newCall(mode, client, policy, request);
  }

  protected static Call newCall(Mode mode, OkHttpClient base, RetryPolicy policy, Request request) {
    if (mode.usesFactory()) return StoicCallFactory.wrap(base, policy).newCall(request);
    return base.newBuilder().addInterceptor(StoicInterceptor.create(policy)).build().newCall(request);
  }

  protected Response run(Mode mode, RetryPolicy policy, Request request) throws IOException {
    return start(mode, newCall(mode, policy, request)).await();
  }

  /** Starts {@code call}: enqueued, or executed on a thread of its own. */
  protected Running start(Mode mode, Call call) {
    CompletableFuture<Response> outcome = new CompletableFuture<>();
    if (mode.isAsync()) {
      AtomicInteger count = new AtomicInteger();
      callbacks.add(count);
      call.enqueue(new Callback() {
        @Override
        public void onFailure(Call call, IOException e) {
          count.incrementAndGet();
          outcome.completeExceptionally(e);
        }

        @Override
        public void onResponse(Call call, Response response) {
          count.incrementAndGet();
          if (!outcome.complete(response)) response.close();
        }
      });
      return new Running(call, outcome, null);
    }
    Thread thread = new Thread(() -> {
      try {
        outcome.complete(call.execute());
      } catch (Throwable t) {
        outcome.completeExceptionally(t);
      }
    }, "execute " + call.request().url());
    thread.setDaemon(true);
    thread.start();
    return new Running(call, outcome, thread);
  }

  protected Request get(String path) {
    return new Request.Builder().url(server.url(path)).build();
  }

  protected Request post(String path, String body) {
    return new Request.Builder().url(server.url(path)).post(RequestBody.create(body, TEXT)).build();
  }

  /** A body that may be written once only, as from a stream. */
  protected static RequestBody oneShot(String content) {
    RequestBody body = RequestBody.create(content, TEXT);
    return new RequestBody() {
      @Override
      public MediaType contentType() {
        return TEXT;
      }

      @Override
      public long contentLength() throws IOException {
        return body.contentLength();
      }

      @Override
      public boolean isOneShot() {
        return true;
      }

      @Override
      public void writeTo(okio.BufferedSink sink) throws IOException {
        body.writeTo(sink);
      }
    };
  }

  /** No retry was scheduled past {@code deadline}, and the last decision says so. */
  protected void assertDeadlineRespected(Duration deadline) {
    for (RetryEvent event : events.events) {
      if (event.action() != RETRY) continue;
      Duration retryAt = event.elapsed().plus(event.waitTime());
      assertTrue(retryAt.compareTo(deadline) < 0, "a wait until " + retryAt.toMillis() + " ms");
    }
    RetryEvent last = events.last();
    assertEquals(GIVE_UP, last.action());
    // Either the wait would cross the deadline, or it would leave the next attempt less time
    // than the last one took (on a loaded machine a first attempt's connect can take 50 ms).
    assertTrue(last.reason().contains("would cross the deadline")
        || last.reason().contains("would be left before the deadline"), last.reason());
  }

  /** Every connection of {@code pool} idle: no response left open, nothing leaked. */
  public static void assertNoConnectionInUse(ConnectionPool pool) {
    // A cancelled exchange releases its connection on OkHttp's own thread, a moment later.
    await(() -> pool.connectionCount() == pool.idleConnectionCount(), Duration.ofSeconds(2));
    assertEquals(pool.idleConnectionCount(), pool.connectionCount(), "connections in use");
  }

  /** Polls {@code condition} until it holds or {@code limit} passes; returns whether it held. */
  public static boolean await(BooleanSupplier condition, Duration limit) {
    long end = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) return false;
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    return true;
  }
}
