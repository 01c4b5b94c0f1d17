package dev.stoic.benchmarks;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Protocol;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The last application interceptor of a benchmark's OkHttp client: it answers every request itself,
 * so the call never reaches the network. Each answer is a fresh {@link Response} for the request
 * (as OkHttp's own network layer builds one), with no headers and a shared empty body.
 *
 * <p>It answers 200, or 503 once after {@link #failNextRequest()}. Not thread-safe: a JMH benchmark
 * thread owns it.
 */
final class CannedOkHttpServer implements Interceptor {
  private static final ResponseBody EMPTY = ResponseBody.create(new byte[0], null);

  private boolean failNext;
  /** Requests answered so far: path checks compare it before and after a call. */
  long requests;

  /** The next request gets 503 Service Unavailable; the ones after it 200 again. */
  void failNextRequest() {
    failNext = true;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    requests++;
    boolean fail = failNext;
    failNext = false;
    return new Response.Builder()
        .request(chain.request())
        .protocol(Protocol.HTTP_1_1)
        .code(fail ? 503 : 200)
        .message(fail ? "Service Unavailable" : "OK")
        .body(EMPTY)
        .build();
  }
}
