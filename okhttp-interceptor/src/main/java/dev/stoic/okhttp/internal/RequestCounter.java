package dev.stoic.okhttp.internal;

import dev.stoic.spi.Attempt;
import okhttp3.Call;
import okhttp3.EventListener;

/**
 * Tells Stoic's observers each time OkHttp puts a request of an attempt on the wire: more than one
 * per attempt means OkHttp re-sent it on its own (connection recovery, a redirect, an
 * authentication challenge, a 408 or a {@code Retry-After: 0} 503). Added only to observed calls,
 * and only on OkHttp 5: 4.12 cannot add a listener to one call. Not API.
 */
public final class RequestCounter extends EventListener {
  /** Whether this OkHttp has {@code Call.addEventListener} (5.x). */
  static final boolean SUPPORTED = supported();

  private final Attempt context;

  private RequestCounter(Attempt context) {
    this.context = context;
  }

  /**
   * Counts the requests {@code call} sends, when someone observes the attempt's logical call. Any
   * attempt of the call will do: the count goes to whichever attempt is current.
   */
  public static void watch(Call call, Attempt context) {
    if (SUPPORTED && context.observed()) call.addEventListener(new RequestCounter(context));
  }

  @Override
  public void requestHeadersStart(Call call) {
    context.requestSent();
  }

  private static boolean supported() {
    try {
      Call.class.getMethod("addEventListener", EventListener.class);
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
