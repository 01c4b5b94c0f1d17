package dev.stoic.examples;

import dev.stoic.RetryPolicy;
import dev.stoic.okhttp.StoicInterceptor;
import java.io.IOException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * OkHttp: add one interceptor, and every call of the client retries as the policy says.
 *
 * <p>Run it: a local server answers 503 once, then 200; the call returns the 200.
 */
public final class OkHttpInterceptorExample {
  private OkHttpInterceptorExample() {}

  /** The whole integration: an application interceptor (never a network interceptor). */
  public static OkHttpClient newClient(RetryPolicy policy) {
    return new OkHttpClient.Builder()
        .addInterceptor(StoicInterceptor.create(policy))
        .build();
  }

  /** Calls {@code url} as usual; retries happen inside {@code execute()}. */
  public static String fetch(OkHttpClient client, HttpUrl url) throws IOException {
    Request request = new Request.Builder().url(url).build();
    try (Response response = client.newCall(request).execute()) {
      return response.code() + " " + response.body().string();
    }
  }

  public static void main(String[] args) throws IOException {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse.Builder().code(503).build());
      server.enqueue(new MockResponse.Builder().body("hello").build());
      server.start();

      OkHttpClient client = newClient(RetryPolicy.defaults());
      System.out.println(fetch(client, server.url("/greeting")));    // 200 hello, after ~1 s
      System.out.println("requests the server saw: " + server.getRequestCount());
    }
  }
}
