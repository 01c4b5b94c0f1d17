package dev.stoic.examples;

import dev.stoic.Backoff;
import dev.stoic.CredentialRefresher;
import dev.stoic.Decision;
import dev.stoic.IdempotencyKey;
import dev.stoic.RetryBudget;
import dev.stoic.RetryEvent;
import dev.stoic.RetryPolicy;
import dev.stoic.http.Retryability;
import dev.stoic.jdk.StoicHttpClient;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;

/**
 * A retry policy configured in code: every setting a service typically changes, each with the
 * reason it might. Build the policy once and share it: it is immutable and thread-safe.
 *
 * <p>Run it: a local server answers a few requests the way this policy's rules are about.
 */
public final class PolicyInCodeExample {
  private static final System.Logger LOG = System.getLogger("dev.stoic.examples");

  private PolicyInCodeExample() {}

  /** The policy; {@code tokens} supplies a fresh {@code Authorization} value after a 401. */
  public static RetryPolicy policy(CredentialRefresher tokens) {
    return RetryPolicy.builder()
        .maxAttempts(4)                                   // the first attempt and three retries
        // Decorrelated jitter: each wait drawn from [100 ms, 3 x the previous wait), at most 2 s.
        .backoff(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(2))
            .decorrelatedJitter())
        .deadline(Duration.ofSeconds(20))                 // the whole call, waits included
        .attemptTimeout(Duration.ofSeconds(5))            // each attempt
        .maxRetryAfter(Duration.ofSeconds(30))            // a longer Retry-After returns at once

        // Status rules on top of the default table (docs/status-codes.md). The last rule set
        // for a code wins; explicit rules win over the classifier.
        .statusRule(Retryability.ALWAYS, 420)             // our gateway's old "slow down": nothing ran
        .retryOnStatus(423)                               // Locked: our CMS locks a page while saving
        .neverRetryStatus(504)                            // our gateway's 504: the work goes on
        .statusClassifier(code -> code >= 521 && code <= 523
            ? Retryability.ALWAYS                         // the CDN could not reach the origin
            : null)                                       // null: the default table decides

        // POSTs get a key, the same on every attempt, so the server can drop duplicates. Only
        // turn this on for servers that honour the key. Sent bare, as Stripe expects;
        // .structured() quotes it, as the IETF draft defines.
        .idempotencyKey(IdempotencyKey.header("Idempotency-Key").autoGenerate())
        .credentialRefresher(tokens)                      // one retry after a 401
        .secretQueryParameters("session")                 // masked in event URLs, like api_key

        // Server hints besides Retry-After: our API sends its wait in milliseconds under its own
        // name, and no should-retry header. Every attempt says which retry it is.
        .delayHintHeaders("retry-after-ms", "x-acme-retry-after-ms")
        .shouldRetryHeaders()
        .attemptCountHeader("X-Stainless-Retry-Count", 0)

        // Retries that fail: a burst of 50 per host, 0.2 more per success, and at least 5 a
        // second (the floor); retries that work are free. docs/SEMANTICS.md has the trade-off.
        .retryBudget(RetryBudget.perHost(50, 1, 0.2).minRetriesPerSecond(5))
        .listener(PolicyInCodeExample::log)
        .build();
  }

  /**
   * For requests that need other rules, a view of the same client with a derived policy:
   * connections and threads stay shared, and so does the retry budget. (RetryRoutes does the
   * same by host or path, for every request.)
   */
  public static HttpClient reportsClient(StoicHttpClient client) {
    RetryPolicy reports = client.policy().toBuilder()
        .attemptTimeout(Duration.ofSeconds(20))           // a slow endpoint
        .deadline(Duration.ofSeconds(60))
        .build();
    return client.withPolicy(reports);
  }

  /** Retries and give-ups at INFO, successes at DEBUG. Events hold no secrets. */
  static void log(RetryEvent event) {
    Level level = event.action() == Decision.Action.RETURN ? Level.DEBUG : Level.INFO;
    LOG.log(level, event::toString);
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(status(401));                        // GET: 401, refresh, 200
      server.enqueue(status(200));
      server.enqueue(status(420));                        // POST: 420, retried, 201
      server.enqueue(status(201));
      server.enqueue(status(504));                        // GET: 504, not retried
      server.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", "120").build());
      server.enqueue(status(200));                        // the slow report
      server.start();

      AtomicInteger refreshes = new AtomicInteger();
      RetryPolicy policy = policy(() -> "Bearer fresh-token-" + refreshes.incrementAndGet());
      HttpClient plain = HttpClient.newHttpClient();
      StoicHttpClient client = StoicHttpClient.wrap(plain, policy);
      HttpClient reports = reportsClient(client);
      URI uri = server.url("/documents/7").uri();

      HttpRequest get = HttpRequest.newBuilder(uri).header("Authorization", "Bearer old").build();
      HttpRequest post = HttpRequest.newBuilder(uri).POST(BodyPublishers.ofString("{}")).build();
      System.out.println("401, then:            " + send(client, get));             // 200
      System.out.println("420, then:            " + send(client, post));            // 201
      System.out.println("504, not retried:     " + send(client, get));             // 504
      System.out.println("Retry-After too long: " + send(client, get));             // 503
      HttpRequest report = HttpRequest.newBuilder(server.url("/reports/monthly").uri()).build();
      System.out.println("report, 20 s allowed: " + send(reports, report));         // 200
      System.out.println("requests the server saw: " + server.getRequestCount());   // 7
    }
  }

  private static int send(HttpClient client, HttpRequest request)
      throws IOException, InterruptedException {
    HttpResponse<String> response = client.send(request, BodyHandlers.ofString());
    return response.statusCode();
  }

  private static MockResponse status(int code) {
    return new MockResponse.Builder().code(code).build();
  }
}
