package dev.stoic.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.RetriesExhaustedException;
import dev.stoic.RetryBudget;
import dev.stoic.RetryEvent;
import dev.stoic.RetryPolicy;
import dev.stoic.RetryRoutes;
import dev.stoic.okhttp.StoicCallFactory;
import dev.stoic.okhttp.StoicInterceptor;
import dev.stoic.reliability.testing.Clients;
import dev.stoic.reliability.testing.Lane;
import dev.stoic.reliability.testing.Outcome;
import dev.stoic.reliability.testing.Report;
import dev.stoic.reliability.testing.Req;
import dev.stoic.reliability.testing.Server;
import dev.stoic.reliability.testing.WarmUp;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import mockwebserver3.MockResponse;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Failing calls in every lane, each carrying an Authorization, Cookie, Proxy-Authorization and
 * configured secret header, URL user-info, and a configured and a default secret query parameter
 * (the configured one twice: as configured, and in capitals with "_" percent-encoded);
 * failing by 503s, by connect failures, by 503s and then a connect failure, and by 401s with a
 * credential refresher (whose fresh token is a secret too). A listener and a refresher that throw
 * with secrets in their messages join in. Everything Stoic produced is captured: every event (its
 * fields and toString), every log record of the "dev.stoic" loggers at all levels, formatted with
 * its stack trace, and every exception the callers got (message, toString, stack trace with
 * causes and suppressed, and the history of a RetriesExhaustedException). No secret may appear.
 *
 * <p>Every secret value contains the marker {@code s3cr3t} and nothing else does, so the check
 * is one search, which no encoding of a secret's name can slip past. The server checks that the
 * secrets were really sent (the JDK client drops Proxy-Authorization by itself when no proxy is
 * used).
 */
@Timeout(120)
class SecretsTest {
  static final String MARK = "s3cr3t";
  static final String AUTHORIZATION = "Bearer authz-s3cr3t-7f1e";
  static final String COOKIE = "session=cookie-s3cr3t-91ab";
  static final String PROXY_AUTHORIZATION = "Basic proxy-s3cr3t-c0de";
  static final String SECRET_HEADER = "X-Api-Key";
  static final String SECRET_HEADER_VALUE = "apikey-s3cr3t-55aa";
  static final String USER_INFO = "user-s3cr3t:password-s3cr3t-77";
  static final String SECRET_PARAMETER = "session_ticket";
  static final String SECRET_PARAMETER_VALUE = "query-s3cr3t-3e3e";
  static final String DEFAULT_SECRET_PARAMETER = "access_token=token-s3cr3t-8888";
  /** The configured parameter again, its name in capitals and percent-encoded ("_" as %5F). */
  static final String ENCODED_SECRET_PARAMETER = "SESSION%5FTICKET=encoded-s3cr3t-4d4d";
  static final String REFRESHED = "Bearer refreshed-s3cr3t-1234";

  final List<String> captured = new CopyOnWriteArrayList<>();
  final AtomicInteger events = new AtomicInteger();
  final AtomicInteger logRecords = new AtomicInteger();
  final AtomicInteger exceptions = new AtomicInteger();
  final Map<Lane, Set<String>> notDelivered = new ConcurrentHashMap<>();
  final Logger stoicLogger = Logger.getLogger("dev.stoic");
  Level savedLevel;
  Handler capture;

  @BeforeAll
  static void warmUp() throws Exception {
    WarmUp.once();
  }

  @BeforeEach
  void captureLogs() {
    SimpleFormatter formatter = new SimpleFormatter();
    capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        logRecords.incrementAndGet();
        captured.add(formatter.format(record)); // message, parameters and the thrown's stack
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    capture.setLevel(Level.ALL);
    savedLevel = stoicLogger.getLevel();
    stoicLogger.setLevel(Level.ALL);
    stoicLogger.setUseParentHandlers(false); // captured here; the console needn't show it too
    stoicLogger.addHandler(capture);
  }

  @AfterEach
  void restoreLogs() {
    stoicLogger.removeHandler(capture);
    stoicLogger.setUseParentHandlers(true);
    stoicLogger.setLevel(savedLevel);
  }

  RetryPolicy.Builder policy() {
    return RetryPolicy.builder()
        .maxAttempts(3)
        .backoff(Backoff.fixed(Duration.ofMillis(20)))
        .retryBudget(RetryBudget.unlimited())
        .throwOnFailureStatus(true)
        .secretHeaders(SECRET_HEADER)
        .secretQueryParameters(SECRET_PARAMETER)
        .listener(this::captureEvent)
        .listener(event -> {
          throw new IllegalStateException("a listener failed with " + AUTHORIZATION);
        });
  }

  void captureEvent(RetryEvent event) {
    events.incrementAndGet();
    captured.add(event.toString());
    captured.add(event.url() + " " + event.method() + " " + event.reason() + " "
        + event.exceptionType() + " " + event.failureKind() + " " + event.outcome());
  }

  /** A request carrying every kind of secret; the URL has user-info and secret parameters. */
  static Req withSecrets(String id, String method, int port) {
    String url = "http://" + USER_INFO + "@127.0.0.1:" + port + "/accounts/" + id + "?"
        + SECRET_PARAMETER + "=" + SECRET_PARAMETER_VALUE + "&" + DEFAULT_SECRET_PARAMETER
        + "&" + ENCODED_SECRET_PARAMETER + "&page=2";
    return Req.of(id, method, url)
        .header("Authorization", AUTHORIZATION)
        .header("Cookie", COOKIE)
        .header("Proxy-Authorization", PROXY_AUTHORIZATION)
        .header(SECRET_HEADER, SECRET_HEADER_VALUE);
  }

  /** Records which lanes delivered every secret to the server (the call id names the lane). */
  MockResponse remember(Server.Arrival arrival, MockResponse response) {
    Set<String> missing = new TreeSet<>();
    if (!arrival.path().contains(SECRET_PARAMETER_VALUE)) missing.add(SECRET_PARAMETER);
    if (!arrival.path().contains(DEFAULT_SECRET_PARAMETER)) missing.add("access_token");
    if (!arrival.path().contains(ENCODED_SECRET_PARAMETER)) missing.add("SESSION%5FTICKET");
    for (String name : List.of("Authorization", "Cookie", "Proxy-Authorization", SECRET_HEADER)) {
      if (arrival.header(name) == null || !arrival.header(name).contains(MARK)) missing.add(name);
    }
    for (Lane lane : Lane.values()) {
      if (arrival.requestId().contains("-" + lane + "-")) {
        notDelivered.computeIfAbsent(lane, l -> ConcurrentHashMap.newKeySet()).addAll(missing);
      }
    }
    return response;
  }

  static MockResponse unavailable() {
    return new MockResponse.Builder().code(503)
        .addHeader("Set-Cookie", "sid=setcookie-s3cr3t-0101").body("busy").build();
  }

  @Test
  void noSecretReachesEventsLogsOrExceptionsOfFailingCalls() throws Exception {
    int calls = 0;
    Map<String, Integer> endings = new LinkedHashMap<>();

    // 1. 503 on every attempt: the final status is thrown, explained.
    try (Server server = Server.start(arrival -> remember(arrival, unavailable()));
        Clients clients = new Clients(false)) {
      calls += runAll("503", clients, clients.with(policy().build()), server.port(), endings);
    }

    // 2. Nothing listens on the port: connect failures, retried, then thrown with a history.
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (Clients clients = new Clients(false)) {
      calls += runAll("connect", clients, clients.with(policy().build()), closedPort, endings);
    }

    // 3. 503, 503, then the server is gone: a history of both kinds.
    try (Clients clients = new Clients(false)) {
      Clients.Stoic stoic = clients.with(policy().build());
      for (Lane lane : Lane.values()) {
        for (String method : List.of("GET", "PUT")) {
          Server[] holder = new Server[1];
          Server server = Server.start(arrival -> {
            if (arrival.attempt() == 2) {
              Thread closer = new Thread(() -> holder[0].close());
              closer.start();
            }
            return remember(arrival, unavailable());
          });
          holder[0] = server;
          try (server) {
            calls++;
            record("503-then-connect", run(clients, stoic, lane,
                withSecrets("gone-" + lane + "-" + method, method, server.port())), endings);
          }
        }
      }
    }

    // 4. 401 with a refresher whose fresh token is a secret; and one that fails saying a secret.
    try (Server server = Server.start(arrival -> remember(arrival,
            new MockResponse.Builder().code(401).addHeader("WWW-Authenticate", "Bearer")
                .body("who are you").build()));
        Clients clients = new Clients(false)) {
      calls += runAll("401-refreshed", clients,
          clients.with(policy().credentialRefresher(() -> REFRESHED).build()), server.port(),
          endings);
      calls += runAll("401-refresher-fails", clients, clients.with(policy()
              .credentialRefresher(() -> {
                throw new IOException("refresh failed for " + REFRESHED);
              }).build()),
          server.port(), endings);
    }

    // The toStrings of Stoic's own objects, for good measure.
    RetryPolicy policy = policy().build();
    OkHttpClient ok = new OkHttpClient();
    Request request = new Request.Builder()
        .url(withSecrets("to-string", "GET", 9).url()).header("Authorization", AUTHORIZATION)
        .build();
    captured.add(policy.toString());
    captured.add(StoicInterceptor.create(policy).toString());
    captured.add(StoicCallFactory.wrap(ok, policy).toString());
    captured.add(StoicCallFactory.wrap(ok, policy).newCall(request).toString());
    // describe(), for logs and tickets: setting values and secret header names, no secret.
    RetryPolicy refreshing = policy.toBuilder().credentialRefresher(() -> REFRESHED).build();
    captured.add(refreshing.describe());
    captured.add(RetryRoutes.builder().host("127.0.0.1", refreshing).otherwise(policy).build()
        .describe());

    List<String> leaks = new ArrayList<>();
    for (String text : captured) {
      if (text.contains(MARK)) leaks.add(text);
    }
    Report.line("secrets: " + calls + " failing calls in every lane (" + endings + "); captured "
        + events.get() + " events, " + logRecords.get() + " log records, " + exceptions.get()
        + " exceptions with their stack traces, " + captured.size() + " texts in all: "
        + leaks.size() + " contain a secret; secrets the clients did not send: " + notDelivered);
    assertEquals(List.of(), leaks, "texts that contain a secret");
    // Not vacuous: the secrets were sent, and there was plenty to search, redacted.
    for (Lane lane : Lane.values()) {
      // The JDK client itself drops Proxy-Authorization from a request that goes to no proxy.
      assertEquals(lane.isOkHttp() ? Set.of() : Set.of("Proxy-Authorization"),
          notDelivered.get(lane), lane + ": secrets the client did not send");
    }
    assertTrue(events.get() > calls && logRecords.get() > calls && exceptions.get() >= calls / 2,
        "captured too little");
    assertTrue(captured.stream().anyMatch(t -> t.contains("REDACTED@127.0.0.1")),
        "user-info redacted");
    assertTrue(captured.stream().anyMatch(t -> t.contains(SECRET_PARAMETER + "=REDACTED")),
        "the configured parameter redacted");
    assertTrue(captured.stream().anyMatch(t -> t.contains("access_token=REDACTED")),
        "the default parameter redacted");
    assertTrue(captured.stream().anyMatch(t -> t.contains("SESSION%5FTICKET=REDACTED")),
        "the configured parameter redacted under its encoded name");
    assertTrue(captured.stream().anyMatch(t -> t.contains("page=2")), "other parameters kept");
  }

  private int runAll(String scenario, Clients clients, Clients.Stoic stoic, int port,
      Map<String, Integer> endings) throws Exception {
    int calls = 0;
    for (Lane lane : Lane.values()) {
      for (String method : List.of("GET", "POST")) {
        calls++;
        record(scenario, run(clients, stoic, lane,
            withSecrets(scenario + "-" + lane + "-" + method, method, port)), endings);
      }
    }
    return calls;
  }

  private Outcome run(Clients clients, Clients.Stoic stoic, Lane lane, Req req) throws Exception {
    return clients.start(lane, stoic, req, Runnable::run, false).outcome.get(20, TimeUnit.SECONDS);
  }

  private void record(String scenario, Outcome outcome, Map<String, Integer> endings) {
    String ending = outcome.isResponse() ? "HTTP " + outcome.status()
        : outcome.failure().getClass().getSimpleName();
    endings.merge(ending, 1, Integer::sum);
    if (outcome.body() != null) captured.add(outcome.body());
    Throwable failure = outcome.failure();
    if (failure == null) return;
    exceptions.incrementAndGet();
    captured.add(String.valueOf(failure.getMessage()));
    captured.add(failure.toString());
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    captured.add(trace.toString());
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RetriesExhaustedException) {
        for (RetryEvent event : ((RetriesExhaustedException) t).history()) {
          captured.add(event.toString());
        }
      }
    }
  }
}
