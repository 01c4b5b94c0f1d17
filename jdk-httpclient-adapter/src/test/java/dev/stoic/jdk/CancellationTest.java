package dev.stoic.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.Decision;
import dev.stoic.http.FailureKind;
import dev.stoic.RetryEvent;
import dev.stoic.RetryPolicy;
import dev.stoic.testing.RecordingListener;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Interrupting {@code send} and cancelling {@code sendAsync}'s future end a call at once, whether
 * it is waiting to retry (a 10 s wait here) or has an attempt in flight. Nothing sleeps: the test
 * waits on latches with a one-second bound.
 */
class CancellationTest {
  static final HttpClient JDK = HttpClient.newHttpClient();
  static final Duration LONG_WAIT = Duration.ofSeconds(10);

  final MockWebServer server = new MockWebServer();
  final RecordingListener events = new RecordingListener();
  final CountDownLatch retryDecided = new CountDownLatch(1);
  final WaitRecordingClock clock = new WaitRecordingClock();
  final RecordingHttpClient attempts = new RecordingHttpClient(JDK);
  final HttpClient client = StoicHttpClient.wrap(attempts, RetryPolicy.builder()
      .backoff(Backoff.fixed(LONG_WAIT))
      .clock(clock)
      .listener(events)
      .listener(event -> {
        if (event.action() == Decision.Action.RETRY) retryDecided.countDown();
      })
      .build());

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  HttpRequest get() {
    return HttpRequest.newBuilder(server.url("/items").uri()).build();
  }

  static MockResponse unavailable() {
    return new MockResponse.Builder().code(503).body("busy").build();
  }

  static MockResponse noResponse() {
    return new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();
  }

  /** Runs send on a thread of its own and records how it ended. */
  final class Sender extends Thread {
    final CountDownLatch done = new CountDownLatch(1);
    final AtomicReference<Throwable> thrown = new AtomicReference<>();
    volatile boolean interruptFlagSet;

    @Override
    public void run() {
      try {
        client.send(get(), BodyHandlers.ofString());
      } catch (Throwable t) {
        thrown.set(t);
      } finally {
        interruptFlagSet = Thread.currentThread().isInterrupted();
        done.countDown();
      }
    }
  }

  @Test
  void interruptingSendWhileItWaitsEndsTheWaitAtOnce() throws Exception {
    server.enqueue(unavailable());
    server.enqueue(new MockResponse.Builder().code(200).body("never sent").build());
    Sender sender = new Sender();
    sender.start();
    assertTrue(retryDecided.await(1, TimeUnit.SECONDS), "first attempt answered 503");

    sender.interrupt();

    assertTrue(sender.done.await(1, TimeUnit.SECONDS), "the 10 s wait ended at once");
    assertInstanceOf(InterruptedException.class, sender.thrown.get());
    assertTrue(sender.interruptFlagSet, "the interrupt flag is restored");
    assertEquals(1, server.getRequestCount());
    assertEquals(FailureKind.INTERRUPTED, events.last().failureKind());
    assertEquals("the calling thread was interrupted while waiting to retry", events.last().reason());
  }

  @Test
  void interruptingSendDuringAnAttemptThrowsInterruptedException() throws Exception {
    server.enqueue(noResponse());
    Sender sender = new Sender();
    sender.start();
    assertNotNull(server.takeRequest(1, TimeUnit.SECONDS), "the attempt is in flight");

    sender.interrupt();

    assertTrue(sender.done.await(1, TimeUnit.SECONDS));
    assertInstanceOf(InterruptedException.class, sender.thrown.get());
    assertTrue(sender.interruptFlagSet, "the interrupt flag is restored");
    assertEquals(FailureKind.INTERRUPTED, events.last().failureKind());
  }

  @Test
  void cancellingTheFutureWhileItWaitsCallsTheWaitOff() throws Exception {
    server.enqueue(unavailable());
    server.enqueue(new MockResponse.Builder().code(200).body("never sent").build());
    CompletableFuture<HttpResponse<String>> future = client.sendAsync(get(), BodyHandlers.ofString());
    assertTrue(clock.scheduled.await(1, TimeUnit.SECONDS), "the retry is waiting");

    assertTrue(future.cancel(true));

    assertTrue(clock.cancelled.await(1, TimeUnit.SECONDS), "the pending wait was called off");
    assertTrue(future.isCancelled());
    assertEquals(1, attempts.requests.size(), "no further attempt");
  }

  @Test
  void cancellingTheFutureDuringAnAttemptCancelsTheExchange() throws Exception {
    server.enqueue(noResponse());
    CompletableFuture<HttpResponse<String>> future = client.sendAsync(get(), BodyHandlers.ofString());
    assertNotNull(server.takeRequest(1, TimeUnit.SECONDS), "the attempt is in flight");

    assertTrue(future.cancel(true));

    assertTrue(future.isCancelled());
    // The JDK's future may report the cancelled exchange as cancelled or as failed with a
    // CancellationException, depending on which completes it first.
    CompletableFuture<?> exchange = attempts.futures.get(0);
    Exception e = assertThrows(Exception.class, exchange::get);
    assertInstanceOf(CancellationException.class,
        e instanceof ExecutionException ? e.getCause() : e);
    assertEquals(1, clock.scheduled.getCount(), "no retry was scheduled");
    assertEquals(1, attempts.requests.size());
  }
}
