package dev.stoic.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.RetryBudget;
import dev.stoic.RetryPolicy;
import dev.stoic.okhttp.StoicCallFactory;
import dev.stoic.okhttp.StoicInterceptor;
import dev.stoic.reliability.testing.Report;
import dev.stoic.reliability.testing.Server;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import okhttp3.MediaType;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the raw clients do on their own, inside one Stoic attempt, where Stoic has no say. These
 * are findings about OkHttp 5.5.1 and the JDK 17 client, pinned so that a change in either shows
 * here; the other tests of this module are built around them (see ChaosTest's client setup and
 * HostileHeadersTest's statuses).
 */
@Timeout(60)
class RawClientFindingsTest {
  static final MediaType TEXT = MediaType.get("text/plain; charset=utf-8");

  final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
  Server server;

  /**
   * Path /processed-then-dropped: the first request of each call is executed (counted) and its
   * connection then closed before any response byte; later ones are executed and answered 200.
   */
  @BeforeEach
  void start() throws IOException {
    server = Server.start(arrival -> {
      if (arrival.path().startsWith("/warm-up")) {
        return new MockResponse.Builder().code(200).body("warm").build();
      }
      if (arrival.path().startsWith("/unavailable")) {
        return new MockResponse.Builder().code(503)
            .addHeader("Retry-After", arrival.header("X-Retry-After")).body("busy").build();
      }
      executions.computeIfAbsent(arrival.requestId(), k -> new AtomicInteger()).incrementAndGet();
      if (arrival.attempt() == 1) {
        return new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build();
      }
      return new MockResponse.Builder().code(200).body("ok").build();
    });
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /**
   * Finding: OkHttp's own recovery ({@code retryOnConnectionFailure}, on by default) sends a POST
   * without an idempotency key a second time when a reused connection closes after the server
   * processed it. The server executes it twice, inside what an interceptor above sees as one
   * attempt that succeeded. With the option off, OkHttp sends it once; and it never re-sends a
   * body that says it is one-shot, which is how Stoic's interceptor now prevents it (the call
   * factory does both). ProcessedThenDroppedTest runs this for every lane.
   */
  @Test
  void okHttpItselfSendsAProcessedKeylessPostTwiceOnAReusedConnection() throws IOException {
    assertEquals(2, keylessPostOnAReusedConnection(new OkHttpClient(), "default"));
    assertEquals(1, keylessPostOnAReusedConnection(
        new OkHttpClient.Builder().retryOnConnectionFailure(false).build(), "off"));
    RetryPolicy policy = RetryPolicy.builder().backoff(Backoff.none())
        .retryBudget(RetryBudget.unlimited()).build();
    // Stoic's interceptor hands OkHttp a one-shot body for requests not safe to repeat.
    assertEquals(1, keylessPostOnAReusedConnection(new OkHttpClient.Builder()
        .addInterceptor(StoicInterceptor.create(policy)).build(), "stoic"));
    // The call factory turns OkHttp's recovery off for requests that are not safe to repeat.
    OkHttpClient defaults = new OkHttpClient();
    assertEquals(1, keylessPostOnAReusedConnection(
        defaults, StoicCallFactory.wrap(defaults, policy), "stoic-factory"));
    Report.line("raw clients: OkHttp 5.5.1 with retryOnConnectionFailure on (its default) executes a"
        + " keyless POST twice when a reused connection drops after the server processed it;"
        + " with it off, once; through StoicInterceptor or StoicCallFactory, once; the JDK"
        + " client, once");
  }

  private int keylessPostOnAReusedConnection(OkHttpClient client, String id) throws IOException {
    return keylessPostOnAReusedConnection(client, client, id);
  }

  private int keylessPostOnAReusedConnection(OkHttpClient client, Call.Factory calls, String id)
      throws IOException {
    try (Response warmUp = calls.newCall(
        new Request.Builder().url(server.url("/warm-up")).build()).execute()) {
      warmUp.body().string();
    }
    Request post = new Request.Builder().url(server.url("/processed-then-dropped"))
        .header(Server.REQUEST_ID, id).post(RequestBody.create("charge 10 EUR", TEXT)).build();
    try (Response response = calls.newCall(post).execute()) {
      response.body().string();
    } catch (IOException expected) {
      // the option off: "unexpected end of stream"
    } finally {
      client.connectionPool().evictAll();
      client.dispatcher().executorService().shutdown();
    }
    return executions.get(id).get();
  }

  /** The JDK client repeats only GET and HEAD by itself after such a drop, never a POST. */
  @Test
  void theJdkClientSendsAProcessedPostOnce() throws Exception {
    HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (boolean reused : new boolean[] {false, true}) {
      if (reused) {
        jdk.send(HttpRequest.newBuilder(server.uri("/warm-up")).build(),
            HttpResponse.BodyHandlers.ofString());
      }
      String post = "jdk-post-" + reused;
      assertThrows(IOException.class, () -> jdk.send(
          HttpRequest.newBuilder(server.uri("/processed-then-dropped"))
              .header(Server.REQUEST_ID, post)
              .POST(HttpRequest.BodyPublishers.ofString("charge 10 EUR")).build(),
          HttpResponse.BodyHandlers.ofString()));
      assertEquals(1, executions.get(post).get(), post);
      String get = "jdk-get-" + reused;
      assertEquals(200, jdk.send(HttpRequest.newBuilder(server.uri("/processed-then-dropped"))
          .header(Server.REQUEST_ID, get).build(), HttpResponse.BodyHandlers.ofString())
          .statusCode());
      assertEquals(2, executions.get(get).get(), get);
    }
  }

  /**
   * Finding: OkHttp's own handling of a 503 reads Retry-After with {@code Integer.valueOf} when
   * it is all digits, so a value beyond 2,147,483,647 throws NumberFormatException out of {@code
   * execute()} (a 408 does the same when retryOnConnectionFailure is on). It happens below every
   * interceptor, Stoic's included: the caller gets the raw client's RuntimeException. Stoic's
   * own parser saturates such a value at 365 days (see HostileHeadersTest).
   */
  @Test
  void okHttpItselfThrowsOnA503WhoseRetryAfterIsBeyondTheIntRange() throws IOException {
    RetryPolicy policy = RetryPolicy.builder().retryBudget(RetryBudget.unlimited())
        .maxRetryAfter(Duration.ofSeconds(1)).build();
    OkHttpClient raw = new OkHttpClient();
    OkHttpClient stoic = raw.newBuilder().addInterceptor(StoicInterceptor.create(policy)).build();
    for (OkHttpClient client : new OkHttpClient[] {raw, stoic}) {
      Request request = new Request.Builder().url(server.url("/unavailable"))
          .header("X-Retry-After", "2147483648").build();
      NumberFormatException e = assertThrows(NumberFormatException.class,
          () -> client.newCall(request).execute().close());
      assertTrue(e.getMessage().contains("2147483648"), e.getMessage());
    }
    // One below the limit is a plain 503, returned at once: beyond maxRetryAfter.
    Request request = new Request.Builder().url(server.url("/unavailable"))
        .header("X-Retry-After", "2147483647").build();
    try (Response response = stoic.newCall(request).execute()) {
      assertEquals(503, response.code());
    }
    raw.connectionPool().evictAll();
    raw.dispatcher().executorService().shutdown();
    Report.line("raw clients: OkHttp 5.5.1 throws NumberFormatException from execute() for a 503"
        + " with Retry-After beyond 2147483647, below any interceptor, Stoic's included");
  }
}
