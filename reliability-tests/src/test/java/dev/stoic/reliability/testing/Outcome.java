package dev.stoic.reliability.testing;

import java.io.IOException;

/**
 * How a logical call ended, as its caller saw it: a response (status and body, read and closed)
 * or a failure; when it started and ended; and, for a blocking call, whether the calling thread's
 * interrupt flag was set afterwards.
 */
public record Outcome(
    Lane lane, int status, String body, Throwable failure, long startNanos, long endNanos,
    boolean interruptFlag) {

  public boolean isResponse() {
    return failure == null;
  }

  public boolean isIoFailure() {
    return failure instanceof IOException;
  }

  public long elapsedMillis() {
    return (endNanos - startNanos) / 1_000_000L;
  }

  @Override
  public String toString() {
    return lane + (failure == null ? " -> " + status : " -> " + failure) + " in "
        + elapsedMillis() + " ms";
  }
}
