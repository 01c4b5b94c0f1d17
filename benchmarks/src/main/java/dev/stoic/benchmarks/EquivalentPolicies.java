package dev.stoic.benchmarks;

import dev.failsafe.RetryPolicy;
import dev.stoic.Backoff;
import dev.stoic.RetryBudget;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import okhttp3.Response;

/**
 * One retry configuration, written for Stoic and for each peer: at most 5 attempts, retry on 503
 * and on {@link IOException}, no wait between attempts. The benchmarks compare libraries, not
 * settings, so every side gets this and nothing else.
 *
 * <p>Where the libraries differ:
 *
 * <ul>
 *   <li><b>Stoic</b> retries 503 and I/O failures of a GET by its default table; its budget is
 *       {@link RetryBudget#perHost()} (what a policy gets by default) for success paths, and
 *       {@link RetryBudget#unlimited()} for retry paths, where a benchmark that retries on every
 *       call would drain the default bucket within about 22 calls and then measure a refused retry.
 *   <li><b>Failsafe</b> rejects {@code withDelay(Duration.ZERO)} ("delay must be greater than 0");
 *       its default delay is zero, so the policy sets none. Before each retry it still calls {@code
 *       Thread.sleep(0)} (RetryPolicyExecutor), which HotSpot on Linux turns into a yield.
 *   <li><b>resilience4j</b> accepts {@code waitDuration(Duration.ZERO)} (its check is {@code >= 0})
 *       and then calls {@code Thread.sleep(0)} before each retry, as Failsafe does.
 *   <li><b>Closing discarded responses.</b> Stoic closes them itself. {@code FailsafeCall} closes the
 *       previous response itself before each retry (its {@code prepareCall}), so nothing is added.
 *       resilience4j leaves it to the user: {@code consumeResultBeforeRetryAttempt} closes it. The
 *       JDK bodies here are read into memory ({@link HttpResponse.BodyHandlers#discarding()}), so
 *       there is nothing to close on that client, for any library.
 * </ul>
 *
 * <p>Every value returned is immutable and thread-safe; resilience4j's {@link Retry} keeps
 * metrics counters, which is part of its cost.
 */
final class EquivalentPolicies {
  static final int MAX_ATTEMPTS = 5;

  private EquivalentPolicies() {}

  /** Stoic with the budget a policy gets by default: the success paths. */
  static dev.stoic.RetryPolicy stoicDefaultBudget() {
    return dev.stoic.RetryPolicy.builder()
        .maxAttempts(MAX_ATTEMPTS)
        .backoff(Backoff.none())
        .build();
  }

  /** Stoic without a budget: the retry paths, which would otherwise drain the default budget. */
  static dev.stoic.RetryPolicy stoicUnlimitedBudget() {
    return stoicDefaultBudget().toBuilder().retryBudget(RetryBudget.unlimited()).build();
  }

  static RetryPolicy<Response> failsafeOkHttp() {
    return RetryPolicy.<Response>builder()
        .handle(IOException.class)
        .handleResultIf(response -> response.code() == 503)
        .withMaxAttempts(MAX_ATTEMPTS)
        .build();
  }

  static <T> RetryPolicy<HttpResponse<T>> failsafeJdk() {
    return RetryPolicy.<HttpResponse<T>>builder()
        .handle(IOException.class)
        .handleResultIf(response -> response.statusCode() == 503)
        .withMaxAttempts(MAX_ATTEMPTS)
        .build();
  }

  static Retry resilience4jOkHttp() {
    RetryConfig config = RetryConfig.<Response>custom()
        .maxAttempts(MAX_ATTEMPTS)
        .waitDuration(Duration.ZERO)
        .retryExceptions(IOException.class)
        .retryOnResult(response -> response.code() == 503)
        .consumeResultBeforeRetryAttempt((attempt, response) -> response.close())
        .build();
    return Retry.of("okhttp", config);
  }

  static <T> Retry resilience4jJdk() {
    RetryConfig config = RetryConfig.<HttpResponse<T>>custom()
        .maxAttempts(MAX_ATTEMPTS)
        .waitDuration(Duration.ZERO)
        .retryExceptions(IOException.class)
        .retryOnResult(response -> response.statusCode() == 503)
        .build();
    return Retry.of("jdk", config);
  }
}
