package dev.stoic.resilience4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.RetryPolicy;
import dev.stoic.ThrottledException;
import dev.stoic.jdk.StoicHttpClient;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The limiter as the policy's throttle in Stoic's JDK adapter: it knows nothing of the adapter,
 * only of core's {@link dev.stoic.Throttle}. Each scenario runs through send and sendAsync.
 */
class ThrottleThroughJdkClientTest {
  /** One JDK client for the class: each one owns a selector thread until it is collected. */
  static final HttpClient JDK = HttpClient.newHttpClient();

  /** Runs one call blocking or asynchronously. */
  enum Mode {
    SEND,
    SEND_ASYNC;

    HttpResponse<String> call(HttpClient client, HttpRequest request) throws Exception {
      if (this == SEND) return client.send(request, BodyHandlers.ofString());
      try {
        return client.sendAsync(request, BodyHandlers.ofString()).get(10, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Exception) throw (Exception) e.getCause();
        throw e;
      }
    }
  }

  final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  HttpClient client(StoicRateLimiter limiter) {
    RetryPolicy policy = RetryPolicy.builder()
        .backoff(Backoff.fixed(Duration.ofMillis(10)))
        .random(() -> 0)
        .throttle(limiter)
        .build();
    return StoicHttpClient.wrap(JDK, policy);
  }

  HttpRequest get() {
    return HttpRequest.newBuilder(server.url("/items").uri()).build();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void attemptsBeyondTheLimitWaitForTheNextPeriod(Mode mode) throws Exception {
    StoicRateLimiter limiter = StoicRateLimiter.adaptive(2, Duration.ofMillis(100)).build();
    long start = System.nanoTime();
    for (int i = 0; i < 5; i++) {
      server.enqueue(new MockResponse.Builder().code(200).build());
      assertEquals(200, mode.call(client(limiter), get()).statusCode());
    }
    // Two permits in each 100 ms period from the limiter's start: the fifth waits for the third.
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(elapsedMillis >= 200, "5 calls took " + elapsedMillis + " ms");
    assertEquals(5, server.getRequestCount());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aStatedQuotaLowersTheLimitAfterOneResponse(Mode mode) throws Exception {
    StoicRateLimiter limiter = StoicRateLimiter.adaptive(10, Duration.ofSeconds(1)).build();
    server.enqueue(new MockResponse.Builder().code(200)
        .addHeader("RateLimit-Policy", "\"default\";q=120;w=60")
        .addHeader("RateLimit", "\"default\";r=119;t=60")
        .build());

    assertEquals(200, mode.call(client(limiter), get()).statusCode());
    assertEquals(2, limiter.limitForPeriod());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void a429CutsTheRateAndTheRetryGoesThroughTheLimiterToo(Mode mode) throws Exception {
    // A period of a minute: no refill during the test, however slow the machine. 100 a minute
    // is one every 600 ms: the retry waits for its turn.
    StoicRateLimiter limiter = StoicRateLimiter.adaptive(100, Duration.ofMinutes(1)).build();
    server.enqueue(new MockResponse.Builder().code(429).build());
    server.enqueue(new MockResponse.Builder().code(200).build());

    long start = System.nanoTime();
    assertEquals(200, mode.call(client(limiter), get()).statusCode());
    assertTrue(System.nanoTime() - start >= 600_000_000L, "the retry waited for its permit");
    assertEquals(90, limiter.limitForPeriod());
    assertEquals(2, server.getRequestCount());
    // Both attempts took a permit; the cut applies from the next period.
    assertEquals(98, limiter.rateLimiter().getMetrics().getAvailablePermissions());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void whenNoPermitCanBeHadInTimeNothingIsSent(Mode mode) throws Exception {
    StoicRateLimiter limiter = StoicRateLimiter.adaptive(1, Duration.ofSeconds(10))
        .maxWait(Duration.ZERO).build();
    HttpClient client = client(limiter);
    server.enqueue(new MockResponse.Builder().code(200).build());
    assertEquals(200, mode.call(client, get()).statusCode());

    Exception e = assertThrows(Exception.class, () -> mode.call(client, get()));
    assertInstanceOf(ThrottledException.class, e);
    assertEquals(1, server.getRequestCount());
  }
}
