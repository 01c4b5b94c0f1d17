package dev.stoic.webclient;

import dev.stoic.RetryClock;
import dev.stoic.RetryPolicy;
import dev.stoic.http.HeaderLookup;
import dev.stoic.spi.AsyncAttempt;
import dev.stoic.spi.Attempt;
import dev.stoic.spi.AttemptMark;
import dev.stoic.spi.CallInfo;
import dev.stoic.spi.HeaderEdits;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.util.context.ContextView;

/**
 * One call through {@link StoicExchangeFilter}: each attempt is the caller's request with the
 * attempt's header edits and the nesting mark, sent as a new {@code next.exchange}, in the
 * caller's Reactor context. It is also the call's {@link CallInfo}, so a call allocates no
 * description beside itself.
 */
final class WebClientCall implements AsyncAttempt<ClientResponse>, HeaderLookup, CallInfo {
  private final ClientRequest request;
  private final ExchangeFunction next;
  private final ContextView context;
  private final RetryClock clock;
  /** The idempotency key the caller set, under the policy's header name; see describedFor. */
  private String callerKey;

  WebClientCall(ClientRequest request, ExchangeFunction next, ContextView context, RetryClock clock) {
    this.request = request;
    this.next = next;
    this.context = context;
    this.clock = clock;
  }

  /**
   * This call, described to the engine under {@code policy}: the caller's idempotency key is
   * looked up once, under the policy's header name. Call once, before the call runs.
   */
  WebClientCall describedFor(RetryPolicy policy) {
    String keyHeader = policy.idempotencyKey().headerName();
    callerKey = keyHeader == null ? null : request.headers().getFirst(keyHeader);
    return this;
  }

  @Override
  public String method() {
    return request.method().name();
  }

  /** The request's URI as a string, which {@link URI} makes once and keeps. */
  @Override
  public String url() {
    return request.url().toString();
  }

  @Override
  public String host() {
    URI url = request.url();
    String host = url.getHost(); // parsed already; null for odd authorities
    return host != null ? host : CallInfo.hostOf(url.toString());
  }

  @Override
  public String callerIdempotencyKey() {
    return callerKey;
  }

  /** False when the caller marked the body one-shot ({@link StoicExchangeFilter#oneShotBody}). */
  @Override
  public boolean bodyReplayable() {
    return !Boolean.TRUE.equals(
        request.attributes().get(StoicExchangeFilter.ONE_SHOT_BODY_ATTRIBUTE));
  }

  @Override
  public long clientTimeoutNanos() {
    return 0;
  }

  @Override
  public List<String> values(String name) {
    return request.headers().getOrEmpty(name);
  }

  @Override
  public CompletableFuture<ClientResponse> start(Attempt attempt) {
    HeaderEdits edits = attempt.headerEdits(this);
    ClientRequest.Builder copy = ClientRequest.from(request)
        .attribute(StoicExchangeFilter.MARK_ATTRIBUTE, AttemptMark.OUTER)
        .body(reporting(request.body(), attempt));
    if (!edits.isEmpty()) {
      copy.headers(headers -> {
        for (int i = 0; i < edits.size(); i++) headers.set(edits.name(i), edits.value(i));
      });
    }
    AttemptFuture future = new AttemptFuture();
    future.limit(clock, attempt.timeout());
    next.exchange(copy.build()).contextWrite(context).subscribe(future);
    return future;
  }

  /**
   * The caller's body, reporting each time the client starts to write it: before its first byte
   * (so a one-shot body is never sent again), and again if the client re-sends on its own.
   */
  private static <T> BodyInserter<T, ClientHttpRequest> reporting(
      BodyInserter<T, ? super ClientHttpRequest> body, Attempt attempt) {
    return (message, inserterContext) -> {
      attempt.markBodyWritten();
      if (attempt.observed()) attempt.requestSent();
      return body.insert(message, inserterContext);
    };
  }
}
