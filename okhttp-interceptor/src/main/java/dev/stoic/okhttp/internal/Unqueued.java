package dev.stoic.okhttp.internal;

import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * Runs a call at once on its client's dispatcher executor, as {@code execute()} on a thread of
 * that pool, with the callback {@code enqueue()} would have: past the dispatcher's queue, which
 * holds enqueued calls beyond {@code maxRequestsPerHost} (5 by default). For attempts that are
 * worth sending only at once: a hedge, which queued behind the calls it should outrun would come
 * too late, and the attempts of a hedged synchronous call, which OkHttp would not queue either.
 * Not API.
 */
final class Unqueued {
  private Unqueued() {}

  static void enqueue(OkHttpClient client, Call call, Callback callback) {
    try {
      client.dispatcher().executorService().execute(() -> {
        Response response;
        try {
          response = call.execute();
        } catch (IOException e) {
          callback.onFailure(call, e);
          return;
        } catch (RuntimeException | Error e) {
          // As OkHttp's own async calls report an interceptor that throws, and then rethrow.
          call.cancel();
          callback.onFailure(call, new IOException("canceled due to " + e, e));
          throw e;
        }
        try {
          callback.onResponse(call, response);
        } catch (IOException e) {
          response.close(); // the callback failed with the response: nobody else will close it
        }
      });
    } catch (RejectedExecutionException e) {
      callback.onFailure(call, new IOException("the client's dispatcher is shut down", e));
    }
  }
}
