package dev.stoic.apache.internal;

import dev.stoic.RetryPolicy;
import dev.stoic.spi.AttemptMark;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * What Stoic keeps in an HC5 {@link HttpContext}: the policy a caller chose for one request, and
 * the mark of an attempt an outer Stoic layer runs (the same context goes down to a wrapped
 * client, so a Stoic handler inside it sends that attempt once).
 */
public final class Contexts {
  /** The attribute holding a request's own {@link RetryPolicy}. */
  public static final String POLICY = "dev.stoic.policy";
  /** The attribute holding {@link AttemptMark#OUTER} while an outer layer's attempt runs. */
  static final String MARK = "dev.stoic.attempt-mark";

  private Contexts() {}

  /** The policy the caller chose for this request, or null. */
  static RetryPolicy chosen(HttpContext context) {
    Object policy = context == null ? null : context.getAttribute(POLICY);
    return policy instanceof RetryPolicy chosen ? chosen : null;
  }

  /** True if an outer Stoic layer runs this exchange as one of its attempts. */
  static boolean outerAttempt(HttpContext context) {
    return context != null && AttemptMark.isOn(context.getAttribute(MARK));
  }
}
