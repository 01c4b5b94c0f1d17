package dev.stoic.testing;

import dev.stoic.CallObserver;
import dev.stoic.Decision;
import dev.stoic.ObservedCall;
import dev.stoic.Outcome;
import dev.stoic.RetryObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Writes down each call as the engine saw it, one line per call when it ends, for adapter tests
 * that the call an adapter describes is the request it was given: {@code "PUT
 * http://127.0.0.1:4711/upload host=127.0.0.1 replayable=false key=true callTimeout=PT1.234S"}.
 *
 * <pre>{@code
 * EngineView seen = new EngineView();
 * RetryPolicy policy = RetryPolicy.builder().observer(seen).build();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class EngineView implements RetryObserver {
  public final List<String> calls = new CopyOnWriteArrayList<>();

  @Override
  public CallObserver callStarted(ObservedCall call) {
    String request = call.method() + " " + call.url() + " host=" + call.host();
    return new CallObserver() {
      @Override
      public void callEnded(Outcome outcome, Decision decision, long callNanos) {
        calls.add(request + " replayable=" + outcome.bodyReplayable()
            + " key=" + outcome.hasIdempotencyKey()
            + " callTimeout=" + Duration.ofNanos(outcome.callTimeoutNanos()));
      }
    };
  }
}
