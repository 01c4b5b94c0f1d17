package dev.stoic.okhttp.testing;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The version-independent half of the test server: the replies to give, and the requests that
 * arrived. Each OkHttp line's {@code TestServer} translates to its own MockWebServer.
 */
public abstract class ServerScript {
  private final Queue<Reply> queue = new ConcurrentLinkedQueue<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile Function<Received, Reply> responder;

  /** Queues replies, given in order to the requests that arrive. */
  public final void enqueue(Reply... replies) {
    queue.addAll(List.of(replies));
  }

  /** Answers every request with {@code responder} instead of the queue. */
  public final void respondWith(Function<Received, Reply> responder) {
    this.responder = responder;
  }

  public final List<Received> received() {
    return List.copyOf(received);
  }

  public final int requestCount() {
    return received.size();
  }

  /** Records {@code request} and picks its reply; called on a server thread. */
  protected final Reply next(Received request) {
    received.add(request);
    Function<Received, Reply> custom = responder;
    if (custom != null) return custom.apply(request);
    Reply reply = queue.poll();
    return reply != null ? reply : Reply.unscripted();
  }
}
