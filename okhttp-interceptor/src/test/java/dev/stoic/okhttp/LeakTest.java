package dev.stoic.okhttp;

import static dev.stoic.Decision.Action.RETRY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.RetryBudget;
import dev.stoic.RetryPolicy;
import dev.stoic.okhttp.testing.Harness;
import dev.stoic.okhttp.testing.Mode;
import dev.stoic.okhttp.testing.Reply;
import dev.stoic.okhttp.testing.Running;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 1,000 calls, each retried twice, leave no response open and no connection leaked. {@link
 * Harness} also fails the test on any warning OkHttp logs, which is where its leak detector
 * reports ("A connection to ... was leaked. Did you forget to close a response body?").
 */
class LeakTest extends Harness {
  private static final int CALLS = 1_000;
  /** Calls in flight at once; sync calls run on this many threads. */
  private static final int CONCURRENCY = 8;

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aThousandCallsRetriedTwiceLeakNothing(Mode mode) throws Exception {
    Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    server.respondWith(request -> {
      int n = attempts.computeIfAbsent(request.path, path -> new AtomicInteger()).incrementAndGet();
      // Bodies on the discarded responses too: closing them must free the connection.
      return n <= 2 ? Reply.status(503).body("busy " + n) : Reply.status(200).body("ok");
    });
    // Every call fails twice on purpose; the default retry budget would rightly stop that.
    RetryPolicy policy = policy().backoff(Backoff.fixed(Duration.ofMillis(1)))
        .retryBudget(RetryBudget.unlimited()).build();

    AtomicInteger closed = new AtomicInteger();
    for (int first = 0; first < CALLS; first += CONCURRENCY) {
      List<Running> batch = new ArrayList<>();
      for (int i = first; i < Math.min(CALLS, first + CONCURRENCY); i++) {
        batch.add(start(mode, newCall(mode, policy, get("/leak/" + i))));
      }
      for (Running running : batch) {
        try (Response response = running.await()) {
          assertEquals("ok", response.body().string());
        }
        closed.incrementAndGet();
      }
    }

    assertEquals(CALLS, closed.get());
    assertEquals(3 * CALLS, server.requestCount());
    assertEquals(2 * CALLS, events.actions().stream().filter(action -> action == RETRY).count());
    ConnectionPool pool = client.connectionPool();
    assertNoConnectionInUse(pool);
    assertTrue(pool.connectionCount() <= 2 * CONCURRENCY, "connections were reused: "
        + pool.connectionCount());
    // Give OkHttp's leak detector something to find if a response had escaped unclosed: it
    // reports a leak when a connection's call was garbage-collected while still holding it.
    System.gc();
    try (Response response = client.newCall(get("/leak/after")).execute()) {
      response.body().string();
    }
    pool.evictAll();
    assertEquals(0, pool.connectionCount());
  }

  /** The check above is not vacuous: one unclosed response shows as a connection in use. */
  @Test
  void anUnclosedResponseShowsAsAConnectionInUse() throws IOException {
    server.enqueue(Reply.status(200).body("left open"));
    Call call = newCall(Mode.FACTORY_EXECUTE, policy().build(), get("/"));
    Response response = call.execute();
    ConnectionPool pool = client.connectionPool();

    assertNotEquals(pool.idleConnectionCount(), pool.connectionCount());

    response.close();
    assertNoConnectionInUse(pool);
  }
}
