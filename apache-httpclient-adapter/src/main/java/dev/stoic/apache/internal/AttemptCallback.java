package dev.stoic.apache.internal;

import dev.stoic.RetryClock;
import dev.stoic.spi.Attempt;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncDataConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import java.io.IOException;

/**
 * What one async attempt hears from the rest of the chain. The engine decides on the head as it
 * arrives: a response that will be retried is drained within {@link BoundedDrain}'s bounds (then
 * its connection is dropped); the final one streams to the caller's consumer. The attempt's
 * future completes when the exchange ends, with the head.
 */
final class AttemptCallback implements AsyncExecCallback {
  private final Attempt attempt;
  private final CompletableFuture<HttpResponse> future;
  private final AsyncExecChain.Scope scope;
  private final AsyncExecCallback caller;
  private final long startNanos = System.nanoTime();
  private final long timeoutNanos;
  private volatile HttpResponse response;
  private volatile boolean retrying;
  private volatile RetryClock.Cancellable drainLimit;
  private final AttemptAbort abort;

  AttemptCallback(Attempt attempt, CompletableFuture<HttpResponse> future,
      AsyncExecChain.Scope scope, AsyncExecCallback caller) {
    this.attempt = attempt;
    this.future = future;
    this.scope = scope;
    this.caller = caller;
    this.abort = new AttemptAbort(scope.execRuntime::discardEndpoint);
    Duration timeout = attempt.timeout();
    this.timeoutNanos = timeout == null ? Long.MAX_VALUE : timeout.toNanos();
  }

  @Override
  public AsyncDataConsumer handleResponse(HttpResponse head, EntityDetails details)
      throws HttpException, IOException {
    this.response = head;
    if (future.isDone() || attempt.decide(head.getCode(), new Headers(head))) {
      retrying = true; // or cancelled: either way the caller never sees this body
      if (details == null) return null;
      long left = timeoutNanos == Long.MAX_VALUE ? Long.MAX_VALUE
          : timeoutNanos - (System.nanoTime() - startNanos);
      long window = Math.min(BoundedDrain.MAX_TIME.toNanos(), left);
      boolean tooLong = details.getContentLength() > BoundedDrain.MAX_BYTES;
      drainLimit = BoundedDrain.TIMER.schedule(
          Duration.ofNanos(tooLong ? 0 : Math.max(0, window)), abort);
      return new Drain();
    }
    return caller.handleResponse(head, details);
  }

  @Override
  public void handleInformationResponse(HttpResponse head) throws HttpException, IOException {
    caller.handleInformationResponse(head);
  }

  @Override
  public void completed() {
    stopDrainLimit();
    abort.end();
    future.complete(response);
  }

  @Override
  public void failed(Exception cause) {
    stopDrainLimit();
    abort.end();
    scope.execRuntime.discardEndpoint();
    if (retrying) {
      future.complete(response); // the drain was cut short: the retry decision stands
    } else {
      future.completeExceptionally(cause);
    }
  }

  private void stopDrainLimit() {
    RetryClock.Cancellable limit = drainLimit;
    if (limit != null) limit.cancel();
  }

  /** Reads and drops a retried body, up to {@link BoundedDrain#MAX_BYTES}. */
  private final class Drain implements AsyncDataConsumer {
    private long read;

    @Override
    public void updateCapacity(CapacityChannel channel) throws IOException {
      channel.update(Integer.MAX_VALUE);
    }

    @Override
    public void consume(ByteBuffer data) {
      read += data.remaining();
      data.position(data.limit());
      if (read > BoundedDrain.MAX_BYTES) abort.run(); // the exchange fails: failed() ends it
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) {}

    @Override
    public void releaseResources() {}
  }
}
