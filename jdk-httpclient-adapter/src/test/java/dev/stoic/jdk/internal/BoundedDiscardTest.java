package dev.stoic.jdk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.RetryClock;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse.ResponseInfo;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/**
 * The discard's rules, with a hand-driven subscription and timer: what it reads, for how long,
 * and when it lets go. Nothing here waits.
 */
class BoundedDiscardTest {
  static final Duration WINDOW = Duration.ofMillis(100);
  static final long LIMIT = 64 * 1024;

  final ManualTimer timer = new ManualTimer();
  final FakeSubscription subscription = new FakeSubscription();

  BoundedDiscard<String> discard(long timeLeftNanos, String... headers) {
    return new BoundedDiscard<>(info(headers), timeLeftNanos, LIMIT, WINDOW, timer);
  }

  @Test
  void aSmallBodyIsReadToItsEndAndNeverCancelled() {
    BoundedDiscard<String> discard = discard(Long.MAX_VALUE, "Content-Length", "1000");
    discard.onSubscribe(subscription);
    assertEquals(Long.MAX_VALUE, subscription.requested);
    assertEquals(List.of(WINDOW), timer.delays);
    discard.onNext(List.of(ByteBuffer.allocate(1000)));
    assertFalse(done(discard));

    discard.onComplete();

    assertTrue(done(discard));
    assertNull(discard.getBody().toCompletableFuture().join());
    assertFalse(subscription.cancelled, "read to its end: the connection is kept");
    assertFalse(discard.abandoned());
    assertTrue(timer.cancelled.get(0), "the time limit is called off");
  }

  @Test
  void aBodyPastTheByteLimitIsAbandonedAsTheLimitIsCrossed() {
    BoundedDiscard<String> discard = discard(Long.MAX_VALUE); // no length: chunked
    discard.onSubscribe(subscription);
    discard.onNext(List.of(ByteBuffer.allocate((int) LIMIT)));
    assertFalse(subscription.cancelled, "at the limit, not past it");

    discard.onNext(List.of(ByteBuffer.allocate(1)));

    assertTrue(subscription.cancelled);
    assertTrue(done(discard));
    assertTrue(discard.abandoned());
  }

  @Test
  void aDeclaredLengthPastTheLimitIsNotReadAtAll() {
    BoundedDiscard<String> discard = discard(Long.MAX_VALUE, "Content-Length", "20000000");

    discard.onSubscribe(subscription);

    assertEquals(0, subscription.requested, "nothing was asked for");
    assertTrue(subscription.cancelled);
    assertTrue(done(discard));
    assertEquals(List.of(), timer.delays, "no time limit needed");
  }

  @Test
  void aBodyStillComingWhenTheTimeIsUpIsAbandoned() {
    BoundedDiscard<String> discard = discard(Long.MAX_VALUE, "Content-Length", "10000");
    discard.onSubscribe(subscription);
    discard.onNext(List.of(ByteBuffer.allocate(100)));

    timer.fire(0);

    assertTrue(subscription.cancelled);
    assertTrue(done(discard));
    assertTrue(discard.abandoned());
  }

  @Test
  void theWindowIsCutToTheTimeTheAttemptHasLeft() {
    discard(Duration.ofMillis(30).toNanos()).onSubscribe(subscription);

    assertEquals(List.of(Duration.ofMillis(30)), timer.delays);
  }

  @Test
  void noTimeLeftMeansNothingIsRead() {
    BoundedDiscard<String> discard = discard(-5, "Content-Length", "10");

    discard.onSubscribe(subscription);

    assertEquals(0, subscription.requested);
    assertTrue(subscription.cancelled);
    assertTrue(done(discard));
  }

  @Test
  void abandonedBeforeTheBodyStartsItCancelsAsSoonAsItIsSubscribed() {
    BoundedDiscard<String> discard = discard(Long.MAX_VALUE);
    discard.abandon(); // a cancelled attempt, before the JDK subscribed
    assertTrue(done(discard));

    discard.onSubscribe(subscription);

    assertTrue(subscription.cancelled);
    assertEquals(0, subscription.requested);
    assertEquals(List.of(), timer.delays);
  }

  @Test
  void abandonWhileReadingCancelsAtOnceAndOnlyOnce() {
    BoundedDiscard<String> discard = discard(Long.MAX_VALUE);
    discard.onSubscribe(subscription);

    discard.abandon();
    discard.abandon();
    discard.onComplete(); // late: changes nothing

    assertEquals(1, subscription.cancels);
    assertTrue(timer.cancelled.get(0));
    assertTrue(discard.abandoned());
  }

  @Test
  void aFailedBodyEndsTheDiscardWithoutAnError() {
    BoundedDiscard<String> discard = discard(Long.MAX_VALUE);
    discard.onSubscribe(subscription);

    discard.onError(new java.io.IOException("connection reset"));

    CompletableFuture<String> body = discard.getBody().toCompletableFuture();
    assertTrue(body.isDone() && !body.isCompletedExceptionally(), "the retry decision stands");
    assertFalse(subscription.cancelled);
  }

  static boolean done(BoundedDiscard<?> discard) {
    return discard.getBody().toCompletableFuture().isDone();
  }

  static ResponseInfo info(String... headers) {
    Map<String, List<String>> map = new java.util.HashMap<>();
    for (int i = 0; i < headers.length; i += 2) map.put(headers[i], List.of(headers[i + 1]));
    HttpHeaders httpHeaders = HttpHeaders.of(map, (name, value) -> true);
    return new ResponseInfo() {
      @Override
      public int statusCode() {
        return 503;
      }

      @Override
      public HttpHeaders headers() {
        return httpHeaders;
      }

      @Override
      public HttpClient.Version version() {
        return HttpClient.Version.HTTP_1_1;
      }
    };
  }

  static final class FakeSubscription implements Flow.Subscription {
    long requested;
    boolean cancelled;
    int cancels;

    @Override
    public void request(long n) {
      requested += n;
    }

    @Override
    public void cancel() {
      cancelled = true;
      cancels++;
    }
  }

  /** Records what is scheduled; a test fires it by hand. */
  static final class ManualTimer implements RetryClock {
    final List<Duration> delays = new ArrayList<>();
    final List<Runnable> tasks = new ArrayList<>();
    final List<Boolean> cancelled = new ArrayList<>();

    @Override
    public long nanoTime() {
      return 0;
    }

    @Override
    public Instant instant() {
      return Instant.EPOCH;
    }

    @Override
    public void sleep(Duration duration) {
      throw new UnsupportedOperationException("the discard never sleeps");
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
      int index = delays.size();
      delays.add(delay);
      tasks.add(task);
      cancelled.add(false);
      return () -> cancelled.set(index, true);
    }

    void fire(int index) {
      if (!cancelled.get(index)) tasks.get(index).run();
    }
  }
}
