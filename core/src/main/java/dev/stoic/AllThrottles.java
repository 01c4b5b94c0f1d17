package dev.stoic;

import dev.stoic.http.FailureKind;
import dev.stoic.http.Retryability;
import dev.stoic.http.ServerHints;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * Several throttles as one ({@link Throttle#all}): an attempt goes when each of them has given a
 * permit, after the longest of their waits. A refusal by one lets go of the permits the throttles
 * before it gave. Reports go to every throttle, in order.
 */
final class AllThrottles implements Throttle {
  private static final System.Logger LOG = System.getLogger("dev.stoic");
  private final Throttle[] throttles;

  AllThrottles(Throttle[] throttles) {
    this.throttles = throttles;
  }

  /**
   * As {@link #permitNanos} for a request not known to be safe to repeat; a throttle's refusal
   * by exception is no permit (-1). The executor asks {@link #permitNanos}.
   */
  @Override
  public long reserveNanos(String host) {
    try {
      return permitNanos(host, false);
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public long permitNanos(String host, boolean safeToRepeat) throws IOException {
    long longest = 0;
    for (int i = 0; i < throttles.length; i++) {
      long wait;
      try {
        wait = throttles[i].permitNanos(host, safeToRepeat);
      } catch (IOException | RuntimeException | Error e) {
        release(host, i);
        throw e;
      }
      if (wait < 0) {
        release(host, i);
        return wait;
      }
      longest = Math.max(longest, wait);
    }
    return longest;
  }

  /** Lets go of the permits that the first {@code granted} throttles gave for an unsent attempt. */
  private void release(String host, int granted) {
    for (int i = 0; i < granted; i++) {
      try {
        throttles[i].onFailure(host, FailureKind.CANCELLED);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "a throttle failed to let go of a permit: "
            + e.getClass().getName());
      }
    }
  }

  @Override
  public void onResponse(String host, int status, ServerHints hints) {
    tellAll(throttle -> throttle.onResponse(host, status, hints));
  }

  @Override
  public void onResponse(String host, int status, Retryability treatment, ServerHints hints) {
    tellAll(throttle -> throttle.onResponse(host, status, treatment, hints));
  }

  @Override
  public void onFailure(String host, FailureKind kind) {
    tellAll(throttle -> throttle.onFailure(host, kind));
  }

  /** Every throttle hears of it, even after one throws; then the first exception is thrown. */
  private void tellAll(Consumer<Throttle> report) {
    RuntimeException first = null;
    for (Throttle throttle : throttles) {
      try {
        report.accept(throttle);
      } catch (RuntimeException e) {
        if (first == null) first = e;
      }
    }
    if (first != null) throw first;
  }

  @Override
  public String refusesRetry(String host, long waitNanos, boolean safeToRepeat) {
    for (Throttle throttle : throttles) {
      String reason = throttle.refusesRetry(host, waitNanos, safeToRepeat);
      if (reason != null) return reason;
    }
    return null;
  }

  /** Every throttle may wake the wait; the handle cancels each watch. */
  @Override
  public RetryClock.Cancellable watchRefusals(String host, Runnable wake) {
    RetryClock.Cancellable[] watches = new RetryClock.Cancellable[throttles.length];
    for (int i = 0; i < throttles.length; i++) {
      watches[i] = throttles[i].watchRefusals(host, wake);
    }
    return () -> {
      for (RetryClock.Cancellable watch : watches) watch.cancel();
    };
  }

  /** The throttles, in the order they are asked. */
  List<Throttle> parts() {
    return List.of(throttles);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("Throttle.all(");
    for (int i = 0; i < throttles.length; i++) {
      if (i > 0) out.append(", ");
      out.append(throttles[i]);
    }
    return out.append(')').toString();
  }
}
