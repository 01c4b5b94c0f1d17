package dev.stoic.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stoic.Backoff;
import dev.stoic.LivePolicy;
import dev.stoic.RetryPolicy;
import dev.stoic.spi.Adapters;
import dev.stoic.spi.CallInfo;
import dev.stoic.spi.Cancellation;
import dev.stoic.spi.Router;
import dev.stoic.testing.FakeResponse;
import dev.stoic.testing.VirtualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shadow's meters read the live policy's report, in virtual time. */
class ShadowMetricsTest {
  final VirtualClock clock = new VirtualClock();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  RetryPolicy.Builder policy() {
    return RetryPolicy.builder().clock(clock).random(() -> 0.5).maxAttempts(3)
        .maxRetryAfter(Duration.ofSeconds(10))
        .backoff(Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30)).noJitter());
  }

  void call(Router router, String method, FakeResponse... answers) throws Exception {
    ArrayDeque<FakeResponse> script = new ArrayDeque<>(List.of(answers));
    CallInfo call = CallInfo.builder(method, "https://partner.example.com/orders")
        .callerIdempotencyKey("k").build();
    router.route(null, call.host(), "/orders").sendSerially(call, attempt -> script.remove(),
        FakeResponse.ACCESS, Cancellation.NEVER);
  }

  double counter(String name, String... tags) {
    return registry.get(name).tags(tags).functionCounter().count();
  }

  double gauge(String name, String... tags) {
    return registry.get(name).tags(tags).gauge().value();
  }

  @Test
  void disagreementsAreCountedByDecisionAndExtraWaitInSeconds() throws Exception {
    LivePolicy live = LivePolicy.of(policy().build());
    ShadowMetrics.bind(live, "partner", registry);
    assertEquals(0, counter("stoic.shadow.calls", "live", "partner"), "nothing shadowed yet");
    live.shadow(policy().maxRetryAfter(Duration.ofMinutes(2)).build());
    Router router = Adapters.router(live);

    call(router, "GET", FakeResponse.of(429, "Retry-After", "30"));
    call(router, "POST", FakeResponse.of(429, "Retry-After", "60"));
    call(router, "GET", FakeResponse.of(200));

    assertEquals(3, counter("stoic.shadow.calls", "live", "partner"));
    assertEquals(2, counter("stoic.shadow.disagreements",
        "live", "partner", "decision", "would_retry", "exact", "true"));
    assertEquals(0, counter("stoic.shadow.disagreements",
        "live", "partner", "decision", "gives_up", "exact", "true"));
    assertEquals(2, gauge("stoic.shadow.extra.attempts", "live", "partner", "exact", "true"));
    // 30 s and 60 s, each with the hint's spread at draw 0.5 (half of 1 s, the spread's cap).
    assertEquals(91.0, gauge("stoic.shadow.extra.wait", "live", "partner", "exact", "true"));
    assertEquals(0, gauge("stoic.shadow.extra.wait", "live", "partner", "exact", "false"));

    live.promote();
    assertEquals(0, counter("stoic.shadow.calls", "live", "partner"), "the shadow ended");
  }
}
