package dev.stoic.okhttp;

import static dev.stoic.Decision.Action.GIVE_UP;
import static dev.stoic.Decision.Action.RETURN;
import static dev.stoic.okhttp.testing.Reply.Fault.DISCONNECT_AFTER_REQUEST;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stoic.IdempotencyKey;
import dev.stoic.okhttp.testing.Harness;
import dev.stoic.okhttp.testing.Mode;
import dev.stoic.okhttp.testing.Reply;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttp;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * OkHttp's own recovery, which runs inside one Stoic attempt, on a client with OkHttp's defaults
 * ({@code retryOnConnectionFailure} on). For a request that is not safe to repeat, the call
 * factory runs it on a copy of the client with that option off, and so does the interceptor on
 * OkHttp 5 (for its chain); on 4.12 the interceptor hands OkHttp a body that reports {@code
 * isOneShot()}, which RetryAndFollowUpInterceptor never re-sends once sending started and never
 * repeats for a follow-up. These tests run on OkHttp 5 and, with {@code -Pokhttp4}, on 4.12.
 */
class OkHttpRecoveryGuardTest extends Harness {
  private final Map<String, AtomicInteger> arrivals = new ConcurrentHashMap<>();

  /**
   * /warm answers 200; /dropped executes and closes the connection before any response byte on
   * its first arrival, then answers 200.
   */
  private void processedThenDropped() {
    server.respondWith(request -> {
      int n = arrivals.computeIfAbsent(request.method + " " + request.path,
          k -> new AtomicInteger()).incrementAndGet();
      if (request.path.equals("/dropped") && n == 1) {
        return Reply.status(200).fault(DISCONNECT_AFTER_REQUEST);
      }
      return Reply.status(200).body("ok");
    });
  }

  private int arrivals(String methodAndPath) {
    AtomicInteger n = arrivals.get(methodAndPath);
    return n == null ? 0 : n.get();
  }

  /** A GET that leaves its connection in the pool, for the next request to reuse. */
  private void warmUp(Mode mode) throws IOException {
    try (Response response = run(mode, policy().build(), get("/warm"))) {
      response.body().string();
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aKeylessPostDroppedAfterProcessingOnAReusedConnectionIsSentOnce(Mode mode)
      throws IOException {
    processedThenDropped();
    warmUp(mode);

    start(mode, newCall(mode, policy().build(), post("/dropped", "charge 10 EUR"))).awaitFailure();

    assertEquals(1, arrivals("POST /dropped"), "the server executed it once");
    assertEquals(List.of(RETURN, GIVE_UP), events.actions(), "warm-up, then the POST");
  }

  /** The control: the same drop, for a PUT, is recovered by OkHttp itself within one attempt. */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void aPutDroppedTheSameWayIsStillRecoveredByOkHttp(Mode mode) throws IOException {
    processedThenDropped();
    warmUp(mode);
    Request put = new Request.Builder().url(server.url("/dropped"))
        .put(RequestBody.create("set 10 EUR", TEXT)).build();

    try (Response response = run(mode, policy().build(), put)) {
      assertEquals(200, response.code());
    }

    assertEquals(2, arrivals("PUT /dropped"), "OkHttp re-sent it on a fresh connection");
    assertEquals(List.of(RETURN, RETURN), events.actions(), "one Stoic attempt each");
  }

  /** With a generated key the POST is safe to repeat: OkHttp's recovery may run, key and all. */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void aPostWithAGeneratedKeyIsLeftToOkHttpsRecovery(Mode mode) throws IOException {
    processedThenDropped();
    warmUp(mode);

    try (Response response = run(mode,
        policy().idempotencyKey(IdempotencyKey.header("Idempotency-Key").autoGenerate()).build(),
        post("/dropped", "charge 10 EUR"))) {
      assertEquals(200, response.code());
    }

    assertEquals(2, arrivals("POST /dropped"));
    List<String> keys = server.received().stream()
        .filter(r -> r.path.equals("/dropped")).map(r -> r.header("Idempotency-Key")).toList();
    assertEquals(2, keys.size());
    assertEquals(keys.get(0), keys.get(1), "one key on both sends");
  }

  /**
   * A request without a body cannot carry a one-shot marker. On OkHttp 5 the interceptor turns
   * recovery off for the attempt through the chain; OkHttp 4.12 has no such call, so there only
   * the call factory (which turns it off on the client) sends it once: the remaining gap.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void aBodilessRequestThatIsNotSafeToRepeatIsSentOnceWhereOkHttpAllows(Mode mode)
      throws IOException {
    processedThenDropped();
    warmUp(mode);
    Request lock = new Request.Builder().url(server.url("/dropped")).method("LOCK", null).build();

    Response response = null;
    try {
      response = start(mode, newCall(mode, policy().build(), lock)).await();
    } catch (IOException expected) {
      // sent once: "unexpected end of stream"
    } finally {
      if (response != null) response.close();
    }

    boolean gap = !mode.usesFactory() && okHttpVersion().startsWith("4.");
    assertEquals(gap ? 2 : 1, arrivals("LOCK /dropped"));
    assertEquals(null, server.received().get(1).header("Content-Length"), "no body, no length");
  }

  /**
   * OkHttp repeats a 503 with Retry-After: 0 by itself, whatever retryOnConnectionFailure says; a
   * one-shot body (the interceptor on 4.12) is the only thing that stops it. That server said it
   * is unavailable and asked for the repeat, so Stoic leaves it to OkHttp elsewhere.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void aKeylessPostAnswered503WithRetryAfterZeroIsRepeatedByOkHttpUnlessMarked(Mode mode)
      throws IOException {
    server.respondWith(request -> arrivals.computeIfAbsent(request.method,
        k -> new AtomicInteger()).incrementAndGet() == 1
        ? Reply.status(503).header("Retry-After", "0")
        : Reply.status(200));

    boolean marked = marksOneShot(mode);
    try (Response response = run(mode, policy().build(), post("/busy", "charge 10 EUR"))) {
      assertEquals(marked ? 503 : 200, response.code());
    }
    try (Response response = run(mode, policy().build(), get("/busy"))) {
      assertEquals(200, response.code(), "OkHttp's own repeat, as before");
    }

    assertEquals(marked ? 1 : 2, arrivals("POST"));
    assertEquals(2, arrivals("GET"));
  }

  /**
   * The cost of the marker (the interceptor on 4.12 only): OkHttp does not follow a redirect that
   * would send the body again (307, 308) for a request that is not safe to repeat; the caller gets
   * the redirect. Everywhere else, and for a 303 (to a GET) or a request with an idempotency key,
   * redirects are followed as without Stoic.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void aBodyKeepingRedirectOfAKeylessPostIsFollowedUnlessMarked(Mode mode) throws IOException {
    boolean marked = marksOneShot(mode);
    server.respondWith(request -> request.path.equals("/new")
        ? Reply.status(200).body("moved here")
        : Reply.status(request.path.equals("/see-other") ? 303 : 307).header("Location", "/new"));

    try (Response response = run(mode, policy().build(), post("/old", "charge 10 EUR"))) {
      assertEquals(marked ? 307 : 200, response.code());
    }
    try (Response response = run(mode, policy().build(), post("/see-other", "charge 10 EUR"))) {
      assertEquals(200, response.code());
    }
    try (Response response = run(mode, policy().build(), new Request.Builder()
        .url(server.url("/old")).header("Idempotency-Key", "k1")
        .post(RequestBody.create("charge 10 EUR", TEXT)).build())) {
      assertEquals(200, response.code());
    }

    List<String> expected = marked
        ? List.of("POST /old", "POST /see-other", "GET /new", "POST /old", "POST /new")
        : List.of("POST /old", "POST /new", "POST /see-other", "GET /new", "POST /old", "POST /new");
    assertEquals(expected, server.received().stream().map(Object::toString).toList());
  }

  /** The interceptor on OkHttp 4.12 marks bodies one-shot; nothing else does. */
  private static boolean marksOneShot(Mode mode) {
    return !mode.usesFactory() && okHttpVersion().startsWith("4.");
  }

  private static String okHttpVersion() {
    try {
      // Reflection: OkHttp.VERSION is a compile-time constant, which javac would inline as 5.x.
      return (String) OkHttp.class.getField("VERSION").get(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
