package dev.stoic.okhttp.internal;

import kotlin.jvm.JvmClassMappingKt;
import kotlin.jvm.functions.Function0;
import kotlin.reflect.KClass;
import okhttp3.Call;
import okhttp3.Request;

/**
 * Keeps Stoic layers on one call from multiplying its attempts. The layer that runs a call's
 * attempts marks the call, and any Stoic interceptor that then sees it proceeds once and leaves
 * the retrying to that outer layer: five attempts over two stay five, not ten.
 *
 * <p>The mark is a tag, so it needs no thread: it holds for {@code enqueue()} and for calls an
 * interceptor makes on its own to another client (which carry no mark). OkHttp 5 lets an
 * interceptor tag the running call, which costs no copy of the request; OkHttp 4.12 has no call
 * tags, so there the interceptor tags a copy of the request, made once per call. The call factory
 * marks the request its attempts are made from, and only when its client has a Stoic interceptor.
 *
 * <p>Not API. Stateless.
 */
public final class Layers {
  /** Whether calls carry tags of their own (OkHttp 5), not only their request's (4.12). */
  private static final boolean CALL_TAGS = callTags();
  private static final Function0<Outer> MARK = () -> Outer.INSTANCE;
  /**
   * The tag's key as OkHttp 5 keeps it, made once: the Class overloads make a KClass on every
   * call, which would add 16 bytes to each call's success path.
   */
  private static final KClass<Outer> OUTER =
      CALL_TAGS ? JvmClassMappingKt.getKotlinClass(Outer.class) : null;

  private Layers() {}

  /** The tag's type and value: only Stoic can name it, so no caller's tag is mistaken for it. */
  private static final class Outer {
    static final Outer INSTANCE = new Outer();
  }

  /** True if an outer Stoic layer runs this call's attempts: an interceptor then proceeds once. */
  public static boolean underStoic(Request request, Call call) {
    // An OkHttp 5 call starts with its request's tags, so the call's own cover both marks.
    return CALL_TAGS ? call.tag(OUTER) != null : request.tag(Outer.class) != null;
  }

  /**
   * Marks {@code call} as run by this interceptor, so that Stoic interceptors after it pass
   * through, and returns the request to make attempts from: {@code request} itself on OkHttp 5,
   * a tagged copy on 4.12.
   */
  public static Request claim(Request request, Call call) {
    if (CALL_TAGS) {
      call.tag(OUTER, MARK);
      return request;
    }
    return mark(request);
  }

  /** A copy of {@code request} that Stoic interceptors pass through. */
  public static Request mark(Request request) {
    return request.newBuilder().tag(Outer.class, Outer.INSTANCE).build();
  }

  private static boolean callTags() {
    try {
      Call.class.getMethod("tag", Class.class, Function0.class);
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
