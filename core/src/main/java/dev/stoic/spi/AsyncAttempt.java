package dev.stoic.spi;

import java.util.concurrent.CompletableFuture;

/**
 * How an adapter starts one attempt without blocking. Cancelling the returned future must abort
 * the exchange; its response, if it comes anyway, must be let go.
 *
 * <pre>{@code
 * AsyncAttempt<HttpResponse<T>> start = attempt -> client.sendAsync(withEdits(request, attempt), handler);
 * }</pre>
 *
 * @param <R> the client's response type
 */
@FunctionalInterface
public interface AsyncAttempt<R> {
  CompletableFuture<R> start(Attempt attempt);
}
