package dev.stoic.okhttp;

import static dev.stoic.okhttp.testing.Reply.Fault.DISCONNECT_AFTER_REQUEST;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stoic.okhttp.testing.Harness;
import dev.stoic.okhttp.testing.Mode;
import dev.stoic.okhttp.testing.Reply;
import dev.stoic.testing.RecordingObserver;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import okhttp3.OkHttp;
import okhttp3.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * OkHttp re-sends some requests inside one Stoic attempt (a redirect, its recovery after a dropped
 * connection). For an observed call on OkHttp 5 both adapters count them with an {@code
 * EventListener} on the attempt's call; OkHttp 4.12 cannot add one, so there the count is -1,
 * unknown.
 */
class ObservedResendsTest extends Harness {
  private final RecordingObserver observer = new RecordingObserver();
  private final AtomicInteger dropped = new AtomicInteger();

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRedirectOkHttpFollowsIsAResendWithinTheAttempt(Mode mode) throws IOException {
    server.respondWith(request -> request.path.equals("/old")
        ? Reply.status(302).header("Location", "/new")
        : Reply.status(200).body("moved"));
    try (Response response = run(mode, policy().observer(observer).build(), get("/old"))) {
      assertEquals("moved", response.body().string());
    }
    assertEquals(List.of("ended 1 200 RETURN status resends=" + (okHttp5() ? 1 : -1)), ended());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void okHttpsRecoveryOnADroppedPooledConnectionIsAResendStoicNeverSaw(Mode mode)
      throws IOException {
    server.respondWith(request -> request.path.equals("/dropped") && dropped.getAndIncrement() == 0
        ? Reply.status(200).fault(DISCONNECT_AFTER_REQUEST)
        : Reply.status(200).body("ok"));
    try (Response warm = run(mode, policy().build(), get("/warm"))) {
      warm.body().string(); // leaves a pooled connection for the next call to reuse
    }
    try (Response response = run(mode, policy().observer(observer).build(), get("/dropped"))) {
      assertEquals("ok", response.body().string());
    }
    assertEquals(2, dropped.get(), "the server saw the request twice");
    assertEquals(List.of("ended 1 200 RETURN status resends=" + (okHttp5() ? 1 : -1)), ended());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void stoicsOwnRetriesAreAttemptsNotResends(Mode mode) throws IOException {
    server.enqueue(Reply.status(503));
    server.enqueue(Reply.status(200));
    try (Response response = run(mode, policy().observer(observer).build(), get("/"))) {
      assertEquals(200, response.code());
    }
    String resends = "resends=" + (okHttp5() ? 0 : -1);
    assertEquals(List.of("ended 1 503 RETRY status " + resends, "ended 2 200 RETURN status " + resends),
        ended());
  }

  /** The attempt lines, without timings (real time here). */
  private List<String> ended() {
    return observer.lines.stream()
        .filter(line -> line.startsWith("ended "))
        .map(line -> line.replaceAll(" wait=\\S+ hinted=\\S+ took=\\S+", ""))
        .collect(Collectors.toList());
  }

  private static boolean okHttp5() {
    try {
      // Reflection: OkHttp.VERSION is a compile-time constant, which javac would inline as 5.x.
      return ((String) OkHttp.class.getField("VERSION").get(null)).startsWith("5.");
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
