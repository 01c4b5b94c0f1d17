package dev.stoic.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.Backoff;
import dev.stoic.http.RateLimitStatus;
import dev.stoic.http.RetryAfter;
import dev.stoic.RetryBudget;
import dev.stoic.RetryEvent;
import dev.stoic.Decision.Action;
import dev.stoic.RetryPolicy;
import dev.stoic.reliability.testing.Clients;
import dev.stoic.reliability.testing.HostileHeaders;
import dev.stoic.reliability.testing.HostileHeaders.Reply;
import dev.stoic.reliability.testing.InstantWaits;
import dev.stoic.reliability.testing.Lane;
import dev.stoic.reliability.testing.Outcome;
import dev.stoic.reliability.testing.Report;
import dev.stoic.reliability.testing.Req;
import dev.stoic.reliability.testing.Server;
import dev.stoic.reliability.testing.WarmUp;
import dev.stoic.testing.Properties;
import dev.stoic.testing.RecordingListener;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * More than 10,000 generated Retry-After, RateLimit* and X-RateLimit-* values, sent by a real
 * server on 503, 429 and 413 responses and read through the full stack of both adapters, in all
 * six lanes. Waits run in virtual time ({@link InstantWaits}), so a 90 s hint costs nothing.
 *
 * <p>For every response: no exception reaches the caller; the decision is the one the hint calls
 * for (retry after no less than the hint, or give up at once when it exceeds maxRetryAfter); no
 * wait is negative or longer than maxRetryAfter plus its one-second spread, whatever the value
 * (a 40-digit number, the year 9999, epoch milliseconds); no elapsed time overflows.
 *
 * <p>OkHttp acts on a 503's Retry-After by itself before Stoic sees the response (see {@link
 * RawClientFindingsTest}): it repeats a 503 that says 0 at once, which this test expects, and
 * throws NumberFormatException for one beyond the int range, so such a 503 is sent to the
 * OkHttp lanes as a 429 instead.
 */
@Timeout(240)
class HostileHeadersTest {
  static final int EXCHANGES = 2_700;
  static final Duration BACKOFF = Duration.ofMillis(10);
  static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(90);
  static final Duration MAX_SPREAD = Duration.ofSeconds(1);
  static final Duration DEADLINE = Duration.ofMinutes(10);
  /** No wait may be longer: the longest hint honoured plus the longest spread added to it. */
  static final Duration LONGEST_WAIT = MAX_RETRY_AFTER.plus(MAX_SPREAD);
  static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);

  @BeforeAll
  static void warmUp() throws Exception {
    WarmUp.once();
  }

  @Test
  void tenThousandHostileRateLimitValuesThroughBothAdaptersNeverThrowOrWaitPastTheCap()
      throws Exception {
    Map<String, Reply> replies = new ConcurrentHashMap<>();
    RecordingListener events = new RecordingListener();
    AtomicInteger values = new AtomicInteger();
    AtomicInteger exchanges = new AtomicInteger();
    AtomicInteger saturated = new AtomicInteger();
    AtomicInteger okHttpRepeats = new AtomicInteger();
    AtomicInteger okHttpNotAsked = new AtomicInteger();
    Map<String, Integer> decisions = new TreeMap<>();
    Map<String, Integer> hints = new TreeMap<>();
    try (InstantWaits clock = new InstantWaits();
        Server server = Server.start(arrival -> {
          Reply reply = replies.get(arrival.requestId());
          if (reply == null || arrival.attempt() > 1) {
            return new MockResponse.Builder().code(200).body("ok").build();
          }
          MockResponse.Builder response = new MockResponse.Builder().code(reply.status());
          for (HostileHeaders.Header header : reply.headers()) {
            response.addHeaderLenient(header.name(), header.value());
          }
          return response.body("hostile").build();
        });
        Clients clients = new Clients(false)) {
      RetryPolicy policy = RetryPolicy.builder()
          .maxAttempts(2)
          .backoff(Backoff.fixed(BACKOFF))
          .maxRetryAfter(MAX_RETRY_AFTER)
          .deadline(DEADLINE)
          .retryBudget(RetryBudget.unlimited())
          .clock(clock)
          .listener(events)
          .build();
      Clients.Stoic stoic = clients.with(policy);

      Properties.forAll("hostile rate-limit headers through both adapters", EXCHANGES,
          r -> HostileHeaders.reply(r, InstantWaits.NOW),
          generated -> {
            int i = exchanges.getAndIncrement();
            Lane lane = Lane.values()[i % Lane.values().length];
            Reply reply = generated;
            if (lane.isOkHttp() && reply.status() == 503 && okHttpThrowsOn(reply)) {
              reply = reply.withStatus(429);
              okHttpNotAsked.incrementAndGet();
            }
            String id = "hostile-" + i;
            replies.put(id, reply);
            values.addAndGet(reply.headers().size());
            clock.reset();
            events.events.clear();
            Instant now = clock.instant();
            Expected expected = expect(reply, lane, now);
            decisions.merge(reply.status() + " " + expected.action, 1, Integer::sum);
            hints.merge(expected.describeHint(), 1, Integer::sum);
            if (expected.hint.filter(RetryAfter.MAX::equals).isPresent()) {
              saturated.incrementAndGet();
            }
            if (expected.okHttpRepeats) okHttpRepeats.incrementAndGet();

            Outcome outcome;
            try {
              outcome = clients.start(lane, stoic,
                      Req.of(id, "GET", server.url("/limits/" + i).toString()), Runnable::run, false)
                  .outcome.get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
              throw new AssertionError(lane + ": the call did not end", e);
            }
            check(lane, reply, expected, outcome, events.events);
          });
      assertTrue(clock.shortest.get() >= 0, "a negative wait: " + clock.shortest.get() + " ns");
      assertTrue(clock.longest.get() <= LONGEST_WAIT.toNanos(),
          "a wait of " + Duration.ofNanos(clock.longest.get()));
      Report.line("hostile headers: " + values.get() + " generated values in " + exchanges.get()
          + " exchanges (" + exchanges.get() / Lane.values().length + " per lane), no exception;"
          + " decisions " + decisions + "; hints " + hints + " (" + saturated.get()
          + " saturated at 365 days); clock waits in [" + clock.shortest.get() + " ns, "
          + Duration.ofNanos(clock.longest.get()) + "] over " + clock.count.get() + " waits;"
          + " OkHttp repeated " + okHttpRepeats.get() + " 503s itself; " + okHttpNotAsked.get()
          + " 503s sent to OkHttp as 429 (it throws on their Retry-After)");
    }
    assertTrue(values.get() >= 10_000, "only " + values.get() + " values");
  }

  /** What Stoic must decide after the first attempt. */
  static final class Expected {
    final Action action;
    final Optional<Duration> hint;
    final boolean okHttpRepeats;

    Expected(Action action, Optional<Duration> hint, boolean okHttpRepeats) {
      this.action = action;
      this.hint = hint;
      this.okHttpRepeats = okHttpRepeats;
    }

    String describeHint() {
      if (hint.isEmpty()) return "none";
      return hint.get().compareTo(MAX_RETRY_AFTER) > 0 ? "beyond maxRetryAfter" : "honoured";
    }
  }

  /**
   * The decision the rules call for: Retry-After first; on 429 and 503 without one, a rate-limit
   * reset; a hint beyond maxRetryAfter returns at once; 413 is retried only with Retry-After.
   */
  static Expected expect(Reply reply, Lane lane, Instant now) {
    if (lane.isOkHttp() && reply.status() == 503) {
      List<String> lines = reply.values("Retry-After");
      String last = lines.isEmpty() ? null : lines.get(lines.size() - 1);
      if (last != null && last.matches("[0-9]+") && new BigInteger(last).signum() == 0) {
        return new Expected(Action.RETURN, Optional.empty(), true); // OkHttp repeated it itself
      }
    }
    Optional<Duration> hint = RetryAfter.parse(reply.values("Retry-After"), now);
    if (reply.status() == 413 && hint.isEmpty()) {
      return new Expected(Action.GIVE_UP, hint, false);
    }
    if (hint.isEmpty()) hint = RateLimitStatus.parse(reply::values, now).reset();
    if (hint.isPresent() && hint.get().compareTo(MAX_RETRY_AFTER) > 0) {
      return new Expected(Action.GIVE_UP, hint, false);
    }
    return new Expected(Action.RETRY, hint, false);
  }

  private static void check(
      Lane lane, Reply reply, Expected expected, Outcome outcome, List<RetryEvent> events) {
    assertTrue(outcome.isResponse(), lane + ": the caller got " + outcome.failure());
    assertTrue(!events.isEmpty(), lane + ": no event");
    RetryEvent first = events.get(0);
    assertEquals(1, first.attempt());
    assertEquals(expected.action, first.action(), lane + ": " + first);
    for (RetryEvent event : events) {
      assertTrue(!event.elapsed().isNegative() && event.elapsed().compareTo(DEADLINE) <= 0,
          lane + ": elapsed " + event.elapsed());
      assertTrue(!event.waitTime().isNegative() && event.waitTime().compareTo(LONGEST_WAIT) <= 0,
          lane + ": wait " + event.waitTime());
    }
    switch (expected.action) {
      case RETRY:
        Duration hint = expected.hint.orElse(Duration.ZERO);
        Duration spread = min(hint.dividedBy(10), MAX_SPREAD);
        Duration lowest = max(BACKOFF, hint);
        Duration highest = max(BACKOFF, hint.plus(spread));
        Duration wait = first.waitTime();
        assertTrue(wait.compareTo(lowest) >= 0 && wait.compareTo(highest) <= 0,
            lane + ": waited " + wait + " for a hint of " + expected.hint + ", not in ["
                + lowest + ", " + highest + "]");
        assertEquals(2, events.size(), lane + ": " + events);
        assertEquals(Action.RETURN, events.get(1).action());
        assertEquals(200, outcome.status());
        break;
      case GIVE_UP:
        assertEquals(1, events.size(), lane + ": " + events);
        assertEquals(reply.status(), outcome.status(), "the response is returned unchanged");
        break;
      default:
        assertEquals(200, outcome.status());
        assertEquals(1, events.size(), lane + ": " + events);
    }
  }

  /**
   * True if OkHttp's own 503 handling throws on this reply: it reads the last Retry-After with
   * Integer.valueOf when it is all digits.
   */
  static boolean okHttpThrowsOn(Reply reply) {
    List<String> lines = reply.values("Retry-After");
    if (lines.isEmpty()) return false;
    String last = lines.get(lines.size() - 1);
    return last.matches("[0-9]+") && new BigInteger(last).compareTo(INT_MAX) > 0;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
