package dev.stoic.jdk;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real client that records each attempt's request and the futures it hands out. */
final class RecordingHttpClient extends ForwardingHttpClient {
  final List<HttpRequest> requests = new CopyOnWriteArrayList<>();
  final List<CompletableFuture<?>> futures = new CopyOnWriteArrayList<>();

  RecordingHttpClient(HttpClient client) {
    super(client);
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler)
      throws IOException, InterruptedException {
    requests.add(request);
    return client.send(request, handler);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, BodyHandler<T> handler) {
    return sendAsync(request, handler, null);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, BodyHandler<T> handler, PushPromiseHandler<T> pushPromiseHandler) {
    requests.add(request);
    CompletableFuture<HttpResponse<T>> future =
        client.sendAsync(request, handler, pushPromiseHandler);
    futures.add(future);
    return future;
  }
}
