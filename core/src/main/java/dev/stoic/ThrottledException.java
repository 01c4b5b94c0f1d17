package dev.stoic;

import java.io.IOException;

/**
 * The policy's {@link Throttle} refused to let an attempt go out: the client-side rate limit is
 * exhausted for longer than the call may wait. No request was sent by the refused attempt.
 */
public final class ThrottledException extends IOException {
  private static final long serialVersionUID = 1L;

  public ThrottledException(String message) {
    super(message);
  }
}
