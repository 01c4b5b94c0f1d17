package dev.stoic.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.RetryBudget;
import dev.stoic.RetryPolicy;
import dev.stoic.reliability.testing.Clients;
import dev.stoic.reliability.testing.Lane;
import dev.stoic.reliability.testing.Outcome;
import dev.stoic.reliability.testing.Report;
import dev.stoic.reliability.testing.Req;
import dev.stoic.reliability.testing.Server;
import dev.stoic.reliability.testing.WarmUp;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Requests that are not safe to repeat, through every lane on a client with OkHttp's defaults
 * ({@code retryOnConnectionFailure} on), against a server that executes each one and then closes
 * its connection before any response byte, on a reused keep-alive connection. That is the case
 * in which OkHttp's own recovery re-sends a request on a fresh connection, below any application
 * interceptor ({@link RawClientFindingsTest}). No lane may execute one twice.
 *
 * <p>Each call first sends a GET in its lane, so that the request under test goes out on the
 * pooled connection that GET left behind. A raw OkHttp client runs the same script as a control:
 * it must duplicate, or the script did not reach OkHttp's recovery and proves nothing.
 *
 * <p>Before the guard (a one-shot body in Translation.attemptRequest, recovery off on the chain
 * for a bodiless request in StoicInterceptor), the interceptor lanes executed every request of
 * both tests twice: 200 of 200 in each of OKHTTP_EXECUTE and OKHTTP_ENQUEUE, for POST and for
 * LOCK; the other four lanes none, and the raw control 200 of 200.
 */
@Timeout(180)
class ProcessedThenDroppedTest {
  static final int CALLS_PER_LANE = 200;
  static final MediaType TEXT = MediaType.get("text/plain; charset=utf-8");

  final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
  /** The Content-Length each execution arrived with ("none" when absent), per request id. */
  final Map<String, Set<String>> contentLengths = new ConcurrentHashMap<>();
  Server server;

  @BeforeAll
  static void warmUp() throws Exception {
    WarmUp.once();
  }

  /**
   * Paths under /warm-up answer 200. Any other request is executed (counted); the first arrival
   * of each call then loses its connection before any response byte, later ones get a 200.
   */
  @BeforeEach
  void start() throws IOException {
    server = Server.start(arrival -> {
      if (arrival.path().startsWith("/warm-up")) {
        return new MockResponse.Builder().code(200).body("warm").build();
      }
      executions.computeIfAbsent(arrival.requestId(), k -> new AtomicInteger()).incrementAndGet();
      String length = arrival.header("Content-Length");
      contentLengths.computeIfAbsent(arrival.requestId(), k -> ConcurrentHashMap.newKeySet())
          .add(length == null ? "none" : length);
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

  @Test
  void noKeylessPostIsExecutedTwiceInAnyLane() throws Exception {
    Map<Lane, Integer> duplicates = run("POST", "charge 10 EUR");
    assertEquals(zeroPerLane(), duplicates, "keyless POSTs executed twice, per lane");
  }

  /**
   * A request without a body that is not safe to repeat (a WebDAV LOCK here; OkHttp forbids a
   * bodiless POST). A one-shot body cannot guard it without changing the wire: OkHttp would send
   * {@code Content-Length: 0} where there was none. The interceptor turns OkHttp's recovery off
   * for the attempt instead (OkHttp 5's Chain.withRetryOnConnectionFailure), as the call factory
   * does for the whole call; and nothing may add a Content-Length.
   */
  @Test
  void noBodilessRequestThatIsNotSafeToRepeatIsExecutedTwiceInAnyLane() throws Exception {
    Map<Lane, Integer> duplicates = run("LOCK", null);
    assertEquals(zeroPerLane(), duplicates, "bodiless LOCKs executed twice, per lane");
  }

  private Map<Lane, Integer> run(String method, String body) throws Exception {
    // The control: the same script on a raw OkHttp client must meet OkHttp's recovery.
    int rawDuplicates = rawOkHttpDuplicates(method, body);

    RetryPolicy policy = RetryPolicy.builder().backoff(Backoff.none())
        .retryBudget(RetryBudget.unlimited()).build();
    Map<Lane, Integer> duplicates = new EnumMap<>(Lane.class);
    List<String> wrongLengths = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    try (Clients clients = new Clients(true)) {
      // What each raw client puts on the wire for this request: Stoic must not change it.
      Set<String> okHttpLength = contentLengths.get(method + "-raw-0");
      Set<String> jdkLength = rawJdkContentLength(clients, method, body);
      Clients.Stoic stoic = clients.with(policy);
      for (Lane lane : Lane.values()) {
        int count = 0;
        for (int i = 0; i < CALLS_PER_LANE; i++) {
          String id = method + "-" + lane + "-" + i;
          call(clients, stoic, lane, Req.of(id + "-warm", "GET", server.url("/warm-up").toString()));
          Outcome outcome = call(clients, stoic, lane,
              new Req(id, method, server.url("/orders/" + i).toString(), Map.of(), body));
          if (!outcome.isResponse() && !outcome.isIoFailure()) unexpected.add(id + ": " + outcome);
          if (executions.get(id).get() > 1) count++;
          Set<String> expected = lane.isOkHttp() ? okHttpLength : jdkLength;
          if (!contentLengths.get(id).equals(expected)) {
            wrongLengths.add(id + " sent Content-Length " + contentLengths.get(id) + ", the raw"
                + " client " + expected);
          }
        }
        duplicates.put(lane, count);
      }
      Report.line("processed-then-dropped on a reused connection, " + method + " without a key, "
          + CALLS_PER_LANE + " per lane, OkHttp defaults: executed twice: raw OkHttp (control) "
          + rawDuplicates + "; through Stoic " + duplicates + "; Content-Length as sent: OkHttp "
          + okHttpLength + ", JDK " + jdkLength);
    }
    assertTrue(rawDuplicates > CALLS_PER_LANE / 2,
        "the control: a raw OkHttp client re-sends on a reused connection (" + rawDuplicates + ")");
    assertEquals(List.of(), unexpected, "calls that ended in something other than an IOException");
    assertEquals(List.of(), wrongLengths.subList(0, Math.min(5, wrongLengths.size())),
        wrongLengths.size() + " requests whose Content-Length Stoic changed");
    return duplicates;
  }

  private Set<String> rawJdkContentLength(Clients clients, String method, String body)
      throws Exception {
    String id = method + "-raw-jdk";
    HttpRequest request = HttpRequest.newBuilder(server.uri("/orders/raw"))
        .header(Server.REQUEST_ID, id)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body))
        .build();
    try {
      clients.jdk.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (IOException expected) {
      // the connection closed before any response byte
    }
    return contentLengths.get(id);
  }

  private static Outcome call(Clients clients, Clients.Stoic stoic, Lane lane, Req req)
      throws Exception {
    return clients.start(lane, stoic, req, Runnable::run, false).outcome.get(10, TimeUnit.SECONDS);
  }

  private int rawOkHttpDuplicates(String method, String body) throws IOException {
    OkHttpClient raw = new OkHttpClient();
    int count = 0;
    try {
      for (int i = 0; i < CALLS_PER_LANE; i++) {
        String id = method + "-raw-" + i;
        try (Response warm = raw.newCall(new Request.Builder().url(server.url("/warm-up"))
            .header(Server.REQUEST_ID, id + "-warm").build()).execute()) {
          warm.body().string();
        }
        Request request = new Request.Builder().url(server.url("/orders/" + i))
            .header(Server.REQUEST_ID, id)
            .method(method, body == null ? null : RequestBody.create(body, TEXT)).build();
        try (Response response = raw.newCall(request).execute()) {
          response.body().string();
        } catch (IOException expectedWhenNotRepeated) {
          // unexpected end of stream
        }
        if (executions.get(id).get() > 1) count++;
      }
    } finally {
      raw.connectionPool().evictAll();
      raw.dispatcher().executorService().shutdown();
    }
    return count;
  }

  private static Map<Lane, Integer> zeroPerLane() {
    Map<Lane, Integer> zero = new EnumMap<>(Lane.class);
    for (Lane lane : Lane.values()) zero.put(lane, 0);
    return zero;
  }
}
