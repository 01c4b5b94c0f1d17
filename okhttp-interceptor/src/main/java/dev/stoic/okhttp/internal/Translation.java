package dev.stoic.okhttp.internal;

import dev.stoic.RetryPolicy;
import dev.stoic.http.HeaderLookup;
import dev.stoic.spi.Attempt;
import dev.stoic.spi.CallRunner;
import dev.stoic.spi.HeaderEdits;
import dev.stoic.spi.Router;
import java.time.Duration;
import kotlin.jvm.JvmClassMappingKt;
import kotlin.reflect.KClass;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Turns OkHttp requests into what Stoic's executor needs, and an attempt's instructions back into
 * an OkHttp request. Decides nothing: the policy has already decided. Stateless; not API.
 */
public final class Translation {
  private static final System.Logger LOG = System.getLogger("dev.stoic.okhttp");
  /**
   * The policy tag's key as OkHttp 5 keeps tags, made once (its Class overload makes one per
   * call); null on OkHttp 4.12, whose requests have no such method.
   */
  private static final KClass<RetryPolicy> POLICY_TAG = kotlinTagKey();

  private Translation() {}

  /**
   * The runner for {@code request}: the policy tagged on it ({@code tag(RetryPolicy.class, p)}),
   * or else its route's. A tag under {@code RetryPolicy.class} that is not a policy (only raw
   * types can put one there) is ignored, with a DEBUG log naming its type.
   */
  public static CallRunner runner(Router router, Request request) {
    RetryPolicy tagged;
    try {
      tagged = POLICY_TAG != null ? request.tag(POLICY_TAG) : request.tag(RetryPolicy.class);
    } catch (ClassCastException e) {
      // The message names the two types, never the tag's value.
      LOG.log(System.Logger.Level.DEBUG, "ignoring the request's RetryPolicy tag, which is not a"
          + " RetryPolicy (" + e.getMessage() + "); the request follows its route");
      tagged = null;
    }
    HttpUrl url = request.url();
    // encodedPath() makes a string: only asked for when a route needs it.
    return router.route(tagged, url.host(), router.routesByPath() ? url.encodedPath() : null);
  }

  /**
   * Returns the request to send for one attempt: the caller's request with the attempt's {@link
   * Attempt#headerEdits header edits} (key, attempt count, credentials), with its body wrapped in a {@link
   * WriteTrackingBody} when it is one-shot (so Stoic knows when it went out) or when {@code
   * markUnsafeOneShot} is set and the request is not safe to repeat. Returns {@code request}
   * itself when there is nothing to add.
   *
   * <p>The wrapper reports {@code isOneShot() == true}, the one signal OkHttp 4.12's recovery
   * honours without a client setting: it never re-sends a one-shot body that may have started to
   * go out (a keyless POST a reused connection dropped after the server processed it), and
   * repeats such a request for no follow-up (408, 503 with {@code Retry-After: 0}, 421, 307/308,
   * authentication challenges): the response comes back instead. The interceptor asks for it
   * only where OkHttp offers nothing better (4.12); on OkHttp 5 it turns the chain's {@code
   * retryOnConnectionFailure} off instead, and the call factory runs such requests on a client
   * with it off: both keep redirects working. A request without a body gets no stand-in: an empty
   * body would make OkHttp send {@code Content-Length: 0} where the caller sent none.
   */
  public static Request attemptRequest(Request request, HeaderLookup callerHeaders,
      Attempt context, boolean markUnsafeOneShot) {
    HeaderEdits edits = context.headerEdits(callerHeaders);
    RequestBody body = request.body();
    boolean wrap = body != null
        && (body.isOneShot() || (markUnsafeOneShot && !context.safeToRepeat()));
    if (edits.isEmpty() && !wrap) return request;

    Request.Builder builder = request.newBuilder();
    for (int i = 0; i < edits.size(); i++) builder.header(edits.name(i), edits.value(i));
    if (wrap) builder.method(request.method(), new WriteTrackingBody(body, context));
    return builder.build();
  }

  private static KClass<RetryPolicy> kotlinTagKey() {
    try {
      Request.class.getMethod("tag", KClass.class);
      return JvmClassMappingKt.getKotlinClass(RetryPolicy.class);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  /** {@code timeout} in whole milliseconds for OkHttp's int-millisecond setters: at least 1. */
  public static int timeoutMillis(Duration timeout) {
    long nanos = timeout.toNanos();
    long millis = nanos / 1_000_000L + (nanos % 1_000_000L == 0 ? 0 : 1);
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis));
  }
}
