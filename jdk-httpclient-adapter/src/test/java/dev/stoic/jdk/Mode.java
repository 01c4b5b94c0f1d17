package dev.stoic.jdk;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs one call blocking or asynchronously, so that each scenario is tested both ways. */
enum Mode {
  SEND {
    @Override
    <T> HttpResponse<T> call(HttpClient client, HttpRequest request, BodyHandler<T> handler)
        throws Exception {
      return client.send(request, handler);
    }
  },
  SEND_ASYNC {
    /** Waits for the future and throws what it failed with, as send would. */
    @Override
    <T> HttpResponse<T> call(HttpClient client, HttpRequest request, BodyHandler<T> handler)
        throws Exception {
      try {
        return client.sendAsync(request, handler).get(10, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Exception) throw (Exception) e.getCause();
        throw e;
      }
    }
  };

  abstract <T> HttpResponse<T> call(HttpClient client, HttpRequest request, BodyHandler<T> handler)
      throws Exception;
}
