package dev.stoic.spi;

import dev.stoic.http.HeaderLookup;
import java.time.Duration;

/**
 * One attempt of a call, as the engine hands it to an adapter: what to send, and where the
 * adapter reports back. The adapter applies {@link #headerEdits} and {@link #timeout()} to the
 * caller's request, sends it, calls {@link #markBodyWritten()} when the request body starts to go
 * out, and may call {@link #decide} as soon as the status and headers are in.
 *
 * <pre>{@code
 * HeaderEdits edits = attempt.headerEdits(request::headers);
 * Request.Builder copy = request.newBuilder();
 * for (int i = 0; i < edits.size(); i++) copy.header(edits.name(i), edits.value(i));
 * }</pre>
 *
 * <p>Safe to use from the thread that runs the attempt and the one that completes it.
 */
public interface Attempt {
  /** 1 for the first attempt. */
  int number();

  /**
   * The headers this attempt sets on the caller's request: the idempotency key the policy
   * generates (the same on every attempt), the attempt count unless {@code request} already has
   * that header, and refreshed credentials. {@link HeaderEdits#NONE} when the request goes out as
   * the caller made it.
   *
   * @param request the caller's request headers, read only for headers the caller may have set
   */
  HeaderEdits headerEdits(HeaderLookup request);

  /**
   * The time this attempt may take from now: the smaller of the policy's attempt timeout and the
   * time left before the deadline; null when neither applies. An adapter lowers the client's own
   * timeouts to it, never raises them.
   */
  Duration timeout();

  /**
   * True when a repeat of this request is harmless: an idempotent method or an idempotency key.
   * Adapters turn off a client's own silent re-sending for requests where it is not.
   */
  boolean safeToRepeat();

  /**
   * True when other attempts of this call may run beside this one (the policy hedges it): a
   * losing attempt is cancelled, so cancelling it must never harm a connection another attempt
   * uses.
   */
  boolean mayOverlap();

  /**
   * True when this attempt goes out beside another attempt of its call that is still running: a
   * hedge, worth sending only at once. An adapter must not queue it behind the calls it is meant
   * to outrun (OkHttp's dispatcher holds enqueued calls beyond 5 per host, for one).
   */
  boolean hedge();

  /** Records that the request body started to go out: a one-shot body is then never re-sent. */
  void markBodyWritten();

  /**
   * Decides this attempt's fate from its status and headers before the body is read, and returns
   * true if a retry will follow (so the body should be let go, not handed to the caller). The
   * decision is made once and stands when the attempt completes.
   */
  boolean decide(int status, HeaderLookup headers);

  /**
   * As {@link #decide(int, HeaderLookup)}, reading status and headers from {@code head} (the
   * client's own view of the response's head) through {@code access}: no lookup object per
   * response.
   */
  default <H> boolean decide(H head, ResponseAccess<H> access) {
    return decide(access.status(head), name -> access.headers(head, name));
  }

  /**
   * True when someone watches this call (a metrics or tracing observer, a flight recording): the
   * adapter then reports what it sees of the client's own re-sends with {@link #requestSent()}.
   */
  boolean observed();

  /**
   * Records that the client put a request of this attempt on the wire. More than one means the
   * client re-sent it within the attempt: its own recovery, a redirect or a challenge.
   */
  void requestSent();
}
