package dev.stoic.examples;

import dev.stoic.RetryPolicy;
import dev.stoic.okhttp.StoicCallFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * OkHttp, asynchronously: code written against {@link Call.Factory}, as Retrofit's is, gets
 * retries from {@link StoicCallFactory} without holding a thread while a retry waits.
 *
 * <p>With Retrofit it is one line: {@code new Retrofit.Builder().baseUrl(url).callFactory(calls)}.
 * This example uses a small hand-written client instead, to need no Retrofit dependency.
 *
 * <p>Prefer the call factory to {@link dev.stoic.okhttp.StoicInterceptor} for {@code enqueue()}:
 * the interceptor waits on one of OkHttp's dispatcher threads (five per host by default), the call
 * factory schedules the next attempt and frees the thread.
 *
 * <p>Run it: a local server fails the first request for each city with 503; every forecast
 * arrives anyway.
 */
public final class OkHttpCallFactoryExample {
  private OkHttpCallFactoryExample() {}

  /** Wraps a plain client (one without a StoicInterceptor). */
  public static Call.Factory newCallFactory(OkHttpClient client, RetryPolicy policy) {
    return StoicCallFactory.wrap(client, policy);
  }

  /** What Retrofit would generate: each method enqueues a call on the factory it was given. */
  public static final class WeatherApi {
    private final Call.Factory calls;
    private final HttpUrl baseUrl;

    public WeatherApi(Call.Factory calls, HttpUrl baseUrl) {
      this.calls = calls;
      this.baseUrl = baseUrl;
    }

    /** Completes with the forecast body, or with the final failure. */
    public CompletableFuture<String> forecast(String city) {
      Request request = new Request.Builder()
          .url(baseUrl.newBuilder().addPathSegments("forecast/" + city).build())
          .build();
      CompletableFuture<String> result = new CompletableFuture<>();
      calls.newCall(request).enqueue(new Callback() {
        @Override
        public void onResponse(Call call, Response response) throws IOException {
          try (response) {
            if (response.isSuccessful()) {
              result.complete(response.body().string());
            } else {
              result.completeExceptionally(new IOException("HTTP " + response.code()));
            }
          }
        }

        @Override
        public void onFailure(Call call, IOException e) {
          result.completeExceptionally(e);
        }
      });
      return result;
    }
  }

  /** Asks for every city's forecast at once, and waits for all of them. */
  public static List<String> forecasts(WeatherApi api, List<String> cities) {
    List<CompletableFuture<String>> pending = new ArrayList<>();
    for (String city : cities) pending.add(api.forecast(city));
    List<String> forecasts = new ArrayList<>();
    for (CompletableFuture<String> forecast : pending) forecasts.add(forecast.join());
    return forecasts;
  }

  /** A server that answers 503 to the first request for each city, then the forecast. */
  public static Dispatcher flakyWeather() {
    return new Dispatcher() {
      private final List<String> seen = new ArrayList<>();

      @Override
      public synchronized MockResponse dispatch(RecordedRequest request) {
        String city = request.getUrl().pathSegments().get(1);
        if (!seen.contains(city)) {
          seen.add(city);
          return new MockResponse.Builder().code(503).build();
        }
        return new MockResponse.Builder().body(city + ": sunny").build();
      }
    };
  }

  public static void main(String[] args) throws IOException {
    OkHttpClient client = new OkHttpClient();
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(flakyWeather());
      server.start();

      WeatherApi api = new WeatherApi(newCallFactory(client, RetryPolicy.defaults()), server.url("/"));
      System.out.println(forecasts(api, List.of("Lisbon", "Oslo", "Tunis")));
      System.out.println("requests the server saw: " + server.getRequestCount());   // 6
    } finally {
      // OkHttp's dispatcher threads would keep the JVM alive for a minute.
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }
}
