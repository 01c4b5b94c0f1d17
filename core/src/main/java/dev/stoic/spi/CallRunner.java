package dev.stoic.spi;

import dev.stoic.RetryPolicy;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Runs an adapter's calls under one policy. It decides after every attempt, waits, spends the
 * client's budget, tells the client's observers and listeners, closes what the caller will not get,
 * and hedges where the policy says. Got from a {@link Router}; one serves every call of its policy.
 *
 * <pre>{@code
 * CallRunner runner = router.route(null, url.host(), null);
 * CallInfo call = CallInfo.of(method, url.toString(), url.host(), callerKey, true, 0);
 * Response response = runner.send(call, sync, async, OkHttpResponses.INSTANCE, cancellation);
 * }</pre>
 *
 * <p>Thread-safe.
 */
public interface CallRunner {
  /** The policy whose rules decide. */
  RetryPolicy policy();

  /**
   * True if {@code call} is hedged: the policy hedges, the body can be sent again and the request
   * is safe to send twice. {@link #send} handles this itself; an adapter asks only to know.
   */
  boolean hedges(CallInfo call);

  /**
   * Runs a synchronous call: attempts on the calling thread with waits between them, or, for a
   * hedged call, attempts started with {@code async} while the calling thread waits for the
   * first answer. A cancel ({@code cancellation}) stops a wait or the hedged call at once.
   *
   * @return the final response, handed over unchanged
   * @throws IOException the final failure (see docs/semantics/engine.md, "What a failed call throws")
   * @throws InterruptedException if the thread was interrupted while waiting; its flag stays
   *     set and the call is cancelled
   */
  <R> R send(CallInfo call, SyncAttempt<R> sync, AsyncAttempt<R> async, ResponseAccess<R> access,
      Cancellation cancellation) throws IOException, InterruptedException;

  /**
   * Runs a synchronous call one attempt at a time on the calling thread, never hedged: for an
   * adapter that cannot start attempts side by side (an interceptor on one chain).
   */
  <R> R sendSerially(CallInfo call, SyncAttempt<R> sync, ResponseAccess<R> access,
      Cancellation cancellation) throws IOException, InterruptedException;

  /**
   * Runs an asynchronous call. No thread is held while a retry waits. Cancelling the returned
   * future cancels the pending wait or the attempts in flight, and no attempt follows.
   */
  <R> CompletableFuture<R> sendAsync(CallInfo call, AsyncAttempt<R> async, ResponseAccess<R> access);
}
