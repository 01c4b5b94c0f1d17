package dev.stoic.webclient;

import dev.stoic.RetryClock;
import dev.stoic.http.HeaderLookup;
import dev.stoic.spi.AsyncAttempt;
import dev.stoic.spi.Attempt;
import dev.stoic.spi.AttemptMark;
import dev.stoic.spi.CallInfo;
import dev.stoic.spi.CallRunner;
import dev.stoic.spi.HeaderEdits;
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
 * caller's Reactor context.
 */
final class WebClientCall implements AsyncAttempt<ClientResponse>, HeaderLookup {
  private final ClientRequest request;
  private final ExchangeFunction next;
  private final ContextView context;
  private final RetryClock clock;

  WebClientCall(ClientRequest request, ExchangeFunction next, ContextView context, RetryClock clock) {
    this.request = request;
    this.next = next;
    this.context = context;
    this.clock = clock;
  }

  CallInfo info(CallRunner runner) {
    String keyHeader = runner.policy().idempotencyKey().headerName();
    String callerKey = keyHeader == null ? null : request.headers().getFirst(keyHeader);
    boolean oneShot = Boolean.TRUE.equals(
        request.attribute(StoicExchangeFilter.ONE_SHOT_BODY_ATTRIBUTE).orElse(null));
    return CallInfo.of(request.method().name(), request.url().toString(), request.url().getHost(),
        callerKey, !oneShot, 0);
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
