package dev.stoic.webclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Hedging;
import dev.stoic.Decision.Action;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * What happens to what the caller will not get: a retried response's body is released before the
 * next attempt, disposing the subscription stops a wait or the exchange in flight, an attempt that
 * outlives the deadline is cancelled, and a hedge's loser is cancelled.
 */
class CancelAndHedgeTest extends WebClientFixture {
  @Test
  void aRetriedResponseIsReleasedBeforeTheNextAttempt() throws Throwable {
    server.enqueue(status(503, "busy"));
    server.enqueue(status(503, "busy"));
    server.enqueue(status(200, "ok"));
    assertEquals("200 ok", run(answer(client(policy().build()).get().uri("/"))));
    List<String> log = attempts.log();
    assertTrue(log.indexOf("body read 1") < log.indexOf("sent 2"), log.toString());
    assertTrue(log.indexOf("body read 2") < log.indexOf("sent 3"), log.toString());
    // A release starts before the next attempt and ends on Netty's thread: the last retried body
    // may finish a moment after the call returned (seen on a loaded Java 25 run).
    long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); // not an assertion
    while (!attempts.log().containsAll(List.of("body done 1", "body done 2", "body done 3"))
        && System.nanoTime() < guard) {
      LockSupport.parkNanos(1_000_000);
    }
    log = attempts.log();
    for (int i = 1; i <= 3; i++) assertTrue(log.contains("body done " + i), log.toString());
  }

  @Test
  void aLongRetriedBodyIsReadOnlyUpToTheLimitThenCutShort() throws Throwable {
    server.enqueue(status(503, "x".repeat(1 << 20)));
    server.enqueue(status(200, "ok"));
    assertEquals("200 ok", run(answer(client(policy().build()).get().uri("/"))));
    long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); // not an assertion
    while (!attempts.log().contains("body done 1") && System.nanoTime() < guard) {
      LockSupport.parkNanos(1_000_000);
    }
    assertTrue(attempts.log().contains("body cut short 1"), attempts.log().toString());
    assertTrue(attempts.log().indexOf("body read 1") < attempts.log().indexOf("sent 2"));
  }

  @Test
  void disposingDuringAWaitCancelsItAndNoAttemptFollows() {
    server.enqueue(status(503, "busy"));
    Disposable call = answer(client(policy().build()).get().uri("/")).subscribe();
    while (clock.pendingTasks() == 0) LockSupport.parkNanos(200_000);
    call.dispose();
    // The cancel reaches the engine's wait on whichever thread completes the caller's future: on
    // a loaded machine that can be a moment after dispose() returns.
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (clock.pendingTasks() != 0 && System.nanoTime() < giveUp) LockSupport.parkNanos(200_000);
    assertEquals(0, clock.pendingTasks(), "the wait is called off");
    clock.advance(Duration.ofMinutes(1));
    assertEquals(1, server.getRequestCount());
    assertEquals(List.of(Action.RETRY, Action.GIVE_UP), events.actions());
    assertEquals("the call was cancelled", events.last().reason());
  }

  @Test
  void disposingDuringAnExchangeCancelsIt() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).headersDelay(10, TimeUnit.SECONDS).build());
    Disposable call = answer(client(policy().build()).get().uri("/")).subscribe();
    server.takeRequest();
    call.dispose();
    assertEquals(List.of("sent 1", "cancelled 1"), attempts.log());
    assertEquals(0, clock.pendingTasks());
    assertEquals("the call was cancelled", events.last().reason());
  }

  @Test
  void anAttemptStillRunningAtTheDeadlineIsCancelledAndItsErrorReturned() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).headersDelay(10, TimeUnit.SECONDS).build());
    var call = answer(client(policy().deadline(Duration.ofSeconds(1)).build()).get().uri("/"))
        .toFuture();
    server.takeRequest();
    clock.advance(Duration.ofSeconds(1));
    Throwable failure = assertThrows(Exception.class, call::get).getCause();
    assertInstanceOf(SocketTimeoutException.class, failure);
    assertEquals("attempt timed out after 1000 ms", failure.getMessage());
    assertEquals(List.of("sent 1", "cancelled 1"), attempts.log());
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void theFirstAnswerOfAHedgedCallWinsAndTheLoserIsCancelled() throws Throwable {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String attempt = request.getHeaders().get("X-Attempt");
        MockResponse.Builder response = new MockResponse.Builder().code(200).body("attempt " + attempt);
        if ("1".equals(attempt)) response.headersDelay(10, TimeUnit.SECONDS);
        return response.build();
      }
    });
    var policy = policy().hedging(Hedging.after(Duration.ofMillis(50)).maxHedges(1))
        .attemptCountHeader("X-Attempt", 1).build();
    var call = answer(client(policy).get().uri("/")).toFuture();
    server.takeRequest();
    clock.advance(Duration.ofMillis(50));
    assertEquals("200 attempt 2", call.get());
    assertEquals(2, server.getRequestCount());
    while (attempts.cancels.get() == 0) LockSupport.parkNanos(200_000);
    assertTrue(attempts.log().contains("cancelled 1"), attempts.log().toString());
    assertEquals(1, attempts.cancels.get());
  }

  @Test
  void aPostWithoutAKeyIsNeverHedged() throws Throwable {
    server.enqueue(new MockResponse.Builder().code(200).body("made")
        .headersDelay(100, TimeUnit.MILLISECONDS).build());
    var policy = policy().hedging(Hedging.after(Duration.ofMillis(50)).maxHedges(1)).build();
    var call = answer(client(policy).post().uri("/").bodyValue("{}")).toFuture();
    server.takeRequest();
    clock.advance(Duration.ofSeconds(1));
    assertEquals("200 made", call.get());
    assertEquals(1, server.getRequestCount());
  }
}
