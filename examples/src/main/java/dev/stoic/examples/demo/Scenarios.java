package dev.stoic.examples.demo;

import dev.stoic.RetriesExhaustedException;
import dev.stoic.RetryEvent;
import dev.stoic.http.StatusGuide;
import dev.stoic.http.StatusTable;
import dev.stoic.examples.demo.Scenario.Ending;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** The demo's seven calls, each against its own misbehaving path of {@link DemoServer}. */
final class Scenarios {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final String OK_INTERCEPTOR = "OkHttp + StoicInterceptor, execute()";
  private static final String OK_CALL_FACTORY = "OkHttp + StoicCallFactory, enqueue()";
  private static final String JDK_SEND = "JDK + StoicHttpClient, send()";
  private static final String JDK_SEND_ASYNC = "JDK + StoicHttpClient, sendAsync()";

  private final DemoServer server;
  private final Clients clients;

  Scenarios(DemoServer server, Clients clients) {
    this.server = server;
    this.clients = clients;
  }

  List<Scenario> all() {
    return List.of(
        new Scenario("503 with Retry-After: 1, then 200", "503, Retry-After: 1",
            OK_INTERCEPTOR, "GET /inventory", "/inventory", "200 OK", "503 RETRY, 200 RETURN",
            () -> okGet("/inventory")),
        new Scenario("429 with Retry-After as an HTTP-date, then 200", "429, Retry-After: date",
            JDK_SEND, "GET /quota", "/quota", "200 OK", "429 RETRY, 200 RETURN",
            () -> jdkGet("/quota")),
        new Scenario("a response slower than the 1 s attempt timeout, then a fast 200",
            "slow response", OK_CALL_FACTORY, "GET /report", "/report", "200 OK",
            "SocketTimeoutException RETRY, 200 RETURN", this::slowReport),
        new Scenario("the connection drops before any response, then 200", "dropped connection",
            OK_INTERCEPTOR, "GET /feed", "/feed", "200 OK",
            "IOException RETRY, 200 RETURN", () -> okGet("/feed").with(
                "GET is safe to repeat. The client has retryOnConnectionFailure(false): otherwise"
                    + " OkHttp would have repeated the request itself, inside Stoic's attempt,"
                    + " and this timeline would show one attempt")),
        new Scenario("a POST with an auto-generated idempotency key: 503, then 201",
            "POST with a generated key", JDK_SEND_ASYNC, "POST /payments", "/payments",
            "201 Created", "503 RETRY, 201 RETURN", this::payment),
        new Scenario("a POST without an idempotency key gets 500: not retried",
            "POST without a key", OK_INTERCEPTOR, "POST /orders", "/orders",
            "500 Internal Server Error", "500 GIVE_UP", this::order),
        new Scenario("502, then a final 404, explained (policy with throwOnFailureStatus)",
            "final 404, explained", JDK_SEND, "GET /users/42", "/users/42",
            "RetriesExhaustedException (404)", "502 RETRY, 404 GIVE_UP",
            this::missingUser));
  }

  private Ending okGet(String path) throws IOException {
    Request request = new Request.Builder().url(server.url(path)).build();
    try (Response response = clients.okInterceptor.newCall(request).execute()) {
      return ended(response.code(), response.body().string());
    }
  }

  private Ending jdkGet(String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(server.url(path).uri()).build();
    HttpResponse<String> response = clients.jdk.send(request, BodyHandlers.ofString());
    return ended(response.statusCode(), response.body());
  }

  /** Retrofit-style: enqueue() with a callback; no thread waits between attempts. */
  private Ending slowReport() throws Exception {
    Request request = new Request.Builder().url(server.url("/report")).build();
    CompletableFuture<Ending> ending = new CompletableFuture<>();
    clients.okCalls.newCall(request).enqueue(new Callback() {
      @Override
      public void onResponse(Call call, Response response) throws IOException {
        try (response) {
          ending.complete(ended(response.code(), response.body().string()));
        }
      }

      @Override
      public void onFailure(Call call, IOException e) {
        ending.completeExceptionally(e);
      }
    });
    return ending.get(10, TimeUnit.SECONDS).with(
        "the attempt timeout became the attempt's call timeout; GET is safe to repeat, and no"
            + " thread waited during the 200 ms before the next attempt");
  }

  private Ending payment() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(server.url("/payments").uri())
        .header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString("{\"amount\": 4200, \"currency\": \"EUR\"}"))
        .build();
    HttpResponse<String> response = clients.jdkWithKeys
        .sendAsync(request, BodyHandlers.ofString())
        .get(10, TimeUnit.SECONDS);
    List<String> keys = server.paymentKeys();
    boolean same = keys.size() > 1 && keys.stream().distinct().count() == 1;
    Ending ending = ended(response.statusCode(), response.body()).with(
        "keys the server received: " + keys,
        same
            ? "the same key on every attempt: the server can tell the retry from a new payment"
            : "the keys differ!");
    return same ? ending : new Ending("keys differ", ending.notes());
  }

  private Ending order() throws IOException {
    Request request = new Request.Builder()
        .url(server.url("/orders"))
        .post(RequestBody.create("{\"item\": \"widget\", \"quantity\": 3}", JSON))
        .build();
    try (Response response = clients.okInterceptor.newCall(request).execute()) {
      return ended(response.code(), response.body().string()).with(
          "the caller gets the server's 500 unchanged; repeating the POST might order twice");
    }
  }

  private Ending missingUser() throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(server.url("/users/42").uri()).build();
    try {
      HttpResponse<String> response = clients.jdkStrict.send(request, BodyHandlers.ofString());
      return ended(response.statusCode(), response.body());
    } catch (RetriesExhaustedException e) {
      List<String> notes = new ArrayList<>();
      notes.add("caught RetriesExhaustedException: " + e.getMessage());
      notes.add("attempts() = " + e.attempts() + ", lastStatus() = " + e.lastStatus()
          + ", history():");
      for (RetryEvent event : e.history()) notes.add("  " + event);
      notes.add("StatusGuide.explain(" + e.lastStatus() + ") = " + StatusGuide.explain(e.lastStatus()));
      return new Ending("RetriesExhaustedException (" + e.lastStatus() + ")", notes);
    }
  }

  private static Ending ended(int status, String body) {
    String outcome = status + " " + StatusTable.defaults().lookup(status).name();
    return new Ending(outcome, "response: " + outcome + ", body \"" + body + "\"");
  }
}
