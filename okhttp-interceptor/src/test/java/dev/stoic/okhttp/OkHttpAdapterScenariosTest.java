package dev.stoic.okhttp;

import dev.stoic.RetryPolicy;
import dev.stoic.testing.AdapterScenarios;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The interceptor and the call factory pass the scenarios every adapter passes, through execute
 * and enqueue.
 */
class OkHttpAdapterScenariosTest extends AdapterScenarios {
  private final OkHttpClient client = new OkHttpClient();

  @Override
  protected List<Client> clients() {
    return List.of(
        Client.named("interceptor execute", (policy, request) -> execute(interceptor(policy), request)),
        Client.named("interceptor enqueue", (policy, request) -> enqueue(interceptor(policy), request)),
        Client.named("factory execute", (policy, request) -> execute(factory(policy), request)),
        Client.named("factory enqueue", (policy, request) -> enqueue(factory(policy), request)));
  }

  private Call.Factory interceptor(RetryPolicy policy) {
    return client.newBuilder().addInterceptor(StoicInterceptor.create(policy)).build();
  }

  private Call.Factory factory(RetryPolicy policy) {
    return StoicCallFactory.wrap(client, policy);
  }

  private static Answer execute(Call.Factory calls, AdapterScenarios.Request request)
      throws IOException {
    try (Response response = calls.newCall(okhttp(request)).execute()) {
      return new Answer(response.code(), response.body().string());
    }
  }

  private static Answer enqueue(Call.Factory calls, AdapterScenarios.Request request)
      throws Exception {
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    calls.newCall(okhttp(request)).enqueue(new Callback() {
      @Override
      public void onResponse(Call call, Response response) {
        try (response) {
          answer.complete(new Answer(response.code(), response.body().string()));
        } catch (IOException e) {
          answer.completeExceptionally(e);
        }
      }

      @Override
      public void onFailure(Call call, IOException e) {
        answer.completeExceptionally(e);
      }
    });
    return answer.get();
  }

  private static okhttp3.Request okhttp(AdapterScenarios.Request request) {
    okhttp3.Request.Builder builder = new okhttp3.Request.Builder().url(request.uri().toString());
    request.headers().forEach(builder::header);
    RequestBody body = request.body() == null ? null
        : RequestBody.create(request.body(), MediaType.get("application/json"));
    return builder.method(request.method(), body).build();
  }
}
