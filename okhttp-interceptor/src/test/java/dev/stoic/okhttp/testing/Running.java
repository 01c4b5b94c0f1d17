package dev.stoic.okhttp.testing;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.Call;
import okhttp3.Response;

/** A call under way: its outcome, and the thread that runs it when it is synchronous. */
public final class Running {
  public final Call call;
  public final CompletableFuture<Response> outcome;
  /** The thread blocked in execute(), or null for enqueue(). */
  public final Thread thread;

  Running(Call call, CompletableFuture<Response> outcome, Thread thread) {
    this.call = call;
    this.outcome = outcome;
    this.thread = thread;
  }

  /** Waits for the response, or rethrows the failure the caller got. */
  public Response await() throws IOException {
    try {
      return outcome.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException) throw (IOException) cause;
      if (cause instanceof RuntimeException) throw (RuntimeException) cause;
      throw new AssertionError(cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (TimeoutException e) {
      throw new AssertionError("the call did not complete in 20 s: " + call.request(), e);
    }
  }

  /** The failure the caller got; fails if the call succeeded. */
  public IOException awaitFailure() {
    try (Response response = await()) {
      throw new AssertionError("expected a failure, got " + response);
    } catch (IOException e) {
      return e;
    }
  }
}
