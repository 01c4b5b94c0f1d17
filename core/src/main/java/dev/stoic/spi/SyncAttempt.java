package dev.stoic.spi;

import java.io.IOException;

/**
 * How an adapter sends one attempt and blocks for its response: the engine calls it once per
 * attempt of a synchronous call, with what to send.
 *
 * <pre>{@code
 * SyncAttempt<Response> send = attempt -> client.newCall(withEdits(request, attempt)).execute();
 * }</pre>
 *
 * @param <R> the client's response type
 */
@FunctionalInterface
public interface SyncAttempt<R> {
  /**
   * Sends the attempt and returns its response unread.
   *
   * @throws IOException the attempt's failure, which the engine decides on
   * @throws InterruptedException if the thread was interrupted
   */
  R run(Attempt attempt) throws IOException, InterruptedException;
}
