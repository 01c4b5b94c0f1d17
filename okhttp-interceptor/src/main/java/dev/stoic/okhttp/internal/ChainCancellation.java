package dev.stoic.okhttp.internal;

import dev.stoic.engine.Cancellation;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import okhttp3.Call;
import okhttp3.EventListener;

/**
 * How the interceptor hears that its call was cancelled. OkHttp 5 lets it add an event listener
 * to the running call, whose {@code canceled} event ends a retry wait at once. OkHttp 4.12 has no
 * such method; there the executor checks {@link Call#isCanceled()} every few milliseconds.
 *
 * <p>Not API. The listener is added only when a call first waits to retry.
 */
public final class ChainCancellation implements Cancellation {
  private final Call call;
  private CompletableFuture<Void> signal; // guarded by this
  private boolean unsupported; // guarded by this

  public ChainCancellation(Call call) {
    this.call = call;
  }

  @Override
  public boolean isCancelled() {
    return call.isCanceled();
  }

  @Override
  public synchronized CompletionStage<?> signal() {
    if (signal != null || unsupported) return signal;
    CompletableFuture<Void> cancelled = new CompletableFuture<>();
    try {
      call.addEventListener(new EventListener() {
        @Override
        public void canceled(Call c) {
          cancelled.complete(null);
        }
      });
    } catch (NoSuchMethodError | AbstractMethodError e) {
      unsupported = true; // OkHttp 4.12: Call has no addEventListener
      return null;
    }
    if (call.isCanceled()) cancelled.complete(null); // cancelled before the listener was there
    signal = cancelled;
    return cancelled;
  }
}
