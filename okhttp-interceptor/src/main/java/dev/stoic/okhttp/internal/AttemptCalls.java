package dev.stoic.okhttp.internal;

import dev.stoic.http.HeaderLookup;
import dev.stoic.spi.AsyncAttempt;
import dev.stoic.spi.Attempt;
import dev.stoic.spi.SyncAttempt;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * How {@link RetryingCall} sends its attempts, each a fresh call of the wrapped client: the
 * translating half of the call, apart from its {@link Call} half. A base class rather than a
 * second object, so a call that succeeds at once allocates no more than before. Not API.
 */
abstract class AttemptCalls extends RequestCallInfo
    implements SyncAttempt<Response>, AsyncAttempt<Response>, HeaderLookup {
  final OkHttpClient client;
  /** The client for attempts of a request that is not safe to repeat (OkHttp's recovery off). */
  final OkHttpClient unsafeRequestClient;
  /** What attempts are made from: the request, marked when the client has a Stoic interceptor. */
  final Request attemptBase;
  /**
   * True for a call run by {@code execute()}: its attempts reach {@link #start} only when hedged,
   * and then skip the dispatcher's queue, as an unhedged {@code execute()} does.
   */
  boolean executing; // set before the executor has the call, which orders it for every reader

  AttemptCalls(OkHttpClient client, OkHttpClient unsafeRequestClient, Request request,
      boolean markAttempts) {
    super(request);
    this.client = client;
    this.unsafeRequestClient = unsafeRequestClient;
    this.attemptBase = markAttempts ? Layers.mark(request) : request;
  }

  /** True once the caller cancelled the call. */
  abstract boolean cancelledByCaller();

  /** The whole call is cancelled: an attempt's own call was cancelled by someone else. */
  abstract void cancelCall();

  /** Cancelled by someone else: the run ends with the attempt's failure. */
  abstract void markCancelled();

  /** Makes {@code attempt} the call's current one: its listeners, and cancel() reaches it. */
  abstract void attach(Call attempt);

  /** The caller's request headers, for the attempt's header edits. */
  @Override
  public List<String> values(String name) {
    return request.headers(name);
  }

  /** For the executor: one attempt of {@code execute()}, a fresh call of the wrapped client. */
  @Override
  public Response run(Attempt context) throws IOException {
    Call call = newAttempt(context);
    long started = startedNanos(call);
    try {
      return call.execute();
    } catch (IOException e) {
      if (!cancelledElsewhere(call)) throw e;
      if (attemptTimeoutFired(call, started)) throw attemptTimedOut(e);
      cancelCall(); // the executor then sees a cancelled call and gives up with e
      throw e;
    }
  }

  /**
   * For the executor: one attempt of {@code enqueue}, enqueued on the client's dispatcher; or,
   * for a hedge and for every attempt of a hedged {@code execute()}, run at once on the
   * dispatcher's executor as a synchronous call ({@link Unqueued}). The dispatcher queues enqueued
   * calls beyond 5 per host (its default {@code maxRequestsPerHost}): a hedge queued there waits
   * behind the very calls it should outrun, and 16 sync callers, unlimited when unhedged (OkHttp
   * never queues {@code execute()}), would share 5 places once hedged.
   */
  @Override
  public CompletableFuture<Response> start(Attempt context) {
    if (cancelledByCaller()) return CompletableFuture.failedFuture(new CancellationException("Canceled"));
    Call call = newAttempt(context);
    AttemptFuture future = new AttemptFuture(call);
    if (executing || context.hedge()) {
      Unqueued.enqueue(client, call, future);
    } else {
      call.enqueue(future);
    }
    return future;
  }

  private Call newAttempt(Attempt context) {
    OkHttpClient attemptClient = context.safeToRepeat() ? client : unsafeRequestClient;
    Call call = attemptClient.newCall(Translation.attemptRequest(attemptBase, this, context, false));
    Duration limit = context.timeout();
    if (limit != null) {
      long nanos = limit.toNanos();
      long current = call.timeout().timeoutNanos();
      if (current == 0 || nanos < current) call.timeout().timeout(nanos, TimeUnit.NANOSECONDS);
    }
    RequestCounter.watch(call, context);
    attach(call);
    return call;
  }

  /**
   * True if the attempt's own call was cancelled, not by {@code cancel()}: by its call timeout,
   * which the policy set and which is a timeout of this attempt (retried when safe, like OkHttp's
   * socket timeouts), or by anyone else ({@code Dispatcher.cancelAll()}, or OkHttp after one of
   * the client's interceptors threw), which cancels the whole call.
   */
  private boolean cancelledElsewhere(Call call) {
    return !cancelledByCaller() && call.isCanceled();
  }

  /**
   * True if the attempt's call timeout is what cancelled it: its limit has passed since the
   * attempt started. Measured in {@link System#nanoTime()}, the time base of Okio's watchdog that
   * fires OkHttp's call timeouts, not on the policy's clock: this asks whether OkHttp's real-time
   * timer can have fired, whatever clock the policy's waits run on.
   */
  private static boolean attemptTimeoutFired(Call call, long startedNanos) {
    long limit = call.timeout().timeoutNanos();
    return limit > 0 && System.nanoTime() - startedNanos >= limit;
  }

  /**
   * When an attempt with a call timeout starts, in Okio's time base, for {@link
   * #attemptTimeoutFired}; 0 for an attempt without one, which never reads the clock (a read
   * costs about 20 ns, a fifth of what Stoic adds to a call).
   */
  private static long startedNanos(Call call) {
    return call.timeout().timeoutNanos() > 0 ? System.nanoTime() : 0;
  }

  private static SocketTimeoutException attemptTimedOut(IOException e) {
    SocketTimeoutException timedOut = new SocketTimeoutException("attempt timed out");
    timedOut.initCause(e);
    return timedOut;
  }

  /** One enqueued attempt as a future; cancelling the future cancels the attempt's call. */
  private final class AttemptFuture extends CompletableFuture<Response> implements Callback {
    private final Call call;
    private final long startedNanos;

    AttemptFuture(Call call) {
      this.call = call;
      this.startedNanos = startedNanos(call);
    }

    @Override
    public void onResponse(Call call, Response response) {
      if (!complete(response)) response.close(); // cancelled meanwhile: nobody will read it
    }

    @Override
    public void onFailure(Call call, IOException e) {
      // Cancelled by the run (a hedge that lost, a call that ended): nothing to tell anyone.
      if (isDone()) return;
      if (cancelledElsewhere(call)) {
        if (attemptTimeoutFired(call, startedNanos)) {
          completeExceptionally(attemptTimedOut(e));
          return;
        }
        markCancelled(); // the CancellationException ends the run and reports e
        completeExceptionally(new CancellationException("Canceled").initCause(e));
        return;
      }
      // After cancel() the failure is the cancel's doing, whatever OkHttp calls it.
      completeExceptionally(cancelledByCaller() ? new CancellationException("Canceled") : e);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      call.cancel();
      return cancelled;
    }
  }
}
