package dev.stoic.examples;

import dev.stoic.Backoff;
import dev.stoic.Decision;
import dev.stoic.RetriesExhaustedException;
import dev.stoic.RetryEvent;
import dev.stoic.RetryPolicy;
import dev.stoic.http.StatusGuide;
import dev.stoic.jdk.StoicHttpClient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;

/**
 * Reading the final failure. When retries run out, Stoic hands over what the server last said:
 *
 * <ul>
 *   <li>a response, unchanged: explain its status with {@link StatusGuide#explain(int)};
 *   <li>with {@code throwOnFailureStatus(true)}, a {@link RetriesExhaustedException} instead of a
 *       final 4xx/5xx response: its message already explains the status, and {@link
 *       RetriesExhaustedException#history()} lists every attempt;
 *   <li>a transport failure: the last attempt's own exception, of its own type however many
 *       attempts ran ({@code ConnectException} here), with the earlier attempts' failures
 *       suppressed on it and {@link RetriesExhaustedException#historyOf(Throwable)} listing every
 *       attempt.
 * </ul>
 *
 * <p>Run it: a local server answers 503 three times; then a port where nothing listens.
 */
public final class FinalFailureExample {
  private FinalFailureExample() {}

  /** Sends a GET and describes how it ended, in a few lines. */
  public static String fetchAndExplain(HttpClient client, URI uri) throws InterruptedException {
    try {
      HttpResponse<String> response =
          client.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString());
      if (response.statusCode() < 400) return "ok: " + response.statusCode();
      return "final response: " + StatusGuide.explain(response.statusCode());
    } catch (RetriesExhaustedException e) { // a final 4xx or 5xx, with throwOnFailureStatus(true)
      return explain(e);
    } catch (ConnectException e) { // the client's own type, after one attempt or several
      return explain(e);
    } catch (IOException e) {
      return "failed: " + e;
    }
  }

  /** Everything a log line needs; nothing in it is secret (no headers, no bodies). */
  public static String explain(IOException e) {
    StringBuilder s = new StringBuilder();
    List<RetryEvent> history = RetriesExhaustedException.historyOf(e);
    if (e instanceof RetriesExhaustedException exhausted) {
      s.append(exhausted.getMessage()).append('\n');
      s.append("attempts: ").append(history.size())
          .append(", last status: ").append(exhausted.lastStatus()).append('\n');
    } else {
      s.append(e).append('\n').append("attempts: ").append(history.size()).append('\n');
    }
    for (RetryEvent event : history) {
      s.append("  #").append(event.attempt()).append(' ').append(event.outcome())
          .append(' ').append(event.action());
      if (event.action() == Decision.Action.RETRY) {
        s.append(" after ").append(event.waitTime().toMillis()).append(" ms");
      }
      s.append(": ").append(event.reason()).append('\n');
    }
    for (Throwable earlier : e.getSuppressed()) {
      if (!(earlier instanceof RetriesExhaustedException)) {
        s.append("earlier: ").append(earlier).append('\n');
      }
    }
    return s.toString();
  }

  /** A loopback address where nothing listens: connecting is refused at once. */
  public static URI refusingAddress() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
    }
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    try (MockWebServer server = new MockWebServer()) {
      for (int i = 0; i < 3; i++) server.enqueue(new MockResponse.Builder().code(503).build());
      server.start();

      RetryPolicy policy = RetryPolicy.builder()
          .maxAttempts(3)
          .backoff(Backoff.fixed(Duration.ofMillis(100)))   // short waits: failures are the point
          .throwOnFailureStatus(true)
          .build();
      HttpClient client = StoicHttpClient.wrap(HttpClient.newHttpClient(), policy);
      System.out.println(fetchAndExplain(client, server.url("/status").uri()));
      System.out.println(fetchAndExplain(client, refusingAddress()));
    }
  }
}
