package dev.stoic.okhttp.internal;

import dev.stoic.spi.AttemptMark;
import kotlin.jvm.JvmClassMappingKt;
import kotlin.jvm.functions.Function0;
import kotlin.reflect.KClass;
import okhttp3.Call;
import okhttp3.Request;

/**
 * Keeps Stoic layers on one call from multiplying its attempts, with core's {@link AttemptMark}.
 * The layer that runs a call's attempts marks the call while it runs them, and any Stoic interceptor that sees the mark
 * proceeds once and leaves the retrying to that outer layer: five attempts over two stay five,
 * not ten.
 *
 * <p>The mark is a tag, so it needs no thread: it holds for {@code enqueue()}, and a call an
 * interceptor makes on its own to another client carries none. OkHttp 5 lets an interceptor tag
 * the running call, which costs no copy of the request; the tag holds a flag that is set only
 * while the interceptor runs the attempts, so an interceptor before it that proceeds twice (to
 * retry after a 401, say) gets Stoic's retries both times. OkHttp 4.12 has no call tags, so there
 * the interceptor sends its attempts as a tagged copy of the request, made once per call. The call
 * factory marks the request its attempts are made from, and only when its client has a Stoic
 * interceptor.
 *
 * <p>Not API. Stateless.
 */
public final class Layers {
  /** Whether calls carry tags of their own (OkHttp 5), not only their request's (4.12). */
  private static final boolean CALL_TAGS = callTags();
  /**
   * The tags' keys as OkHttp 5 keeps them, made once: its Class overloads make a KClass on every
   * call, which would add 16 bytes to each call's success path.
   */
  private static final KClass<AttemptMark> OUTER =
      CALL_TAGS ? JvmClassMappingKt.getKotlinClass(AttemptMark.class) : null;
  private static final KClass<Running> RUNNING =
      CALL_TAGS ? JvmClassMappingKt.getKotlinClass(Running.class) : null;
  private static final Function0<Running> NEW_RUNNING = Running::new;

  private Layers() {}

  /** A call whose attempts an interceptor runs, while {@code attempts} is true. */
  private static final class Running {
    volatile boolean attempts;
  }

  /** True if an outer Stoic layer runs this call's attempts: an interceptor then proceeds once. */
  public static boolean underStoic(Request request, Call call) {
    if (!CALL_TAGS) return AttemptMark.isOn(request.tag(AttemptMark.class));
    // An OkHttp 5 call starts with its request's tags, so the call's cover the factory's mark.
    if (AttemptMark.isOn(call.tag(OUTER))) return true;
    Running running = call.tag(RUNNING);
    return running != null && running.attempts;
  }

  /**
   * Marks {@code call} as run by this interceptor until {@link #exit}, so that Stoic interceptors
   * after it pass through, and returns the request to make attempts from: {@code request} itself
   * on OkHttp 5, a tagged copy on 4.12.
   */
  public static Request enter(Request request, Call call) {
    if (!CALL_TAGS) return mark(request);
    call.tag(RUNNING, NEW_RUNNING).attempts = true;
    return request;
  }

  /** Ends what {@link #enter} began: a later run of the chain on this call may retry again. */
  public static void exit(Call call) {
    if (!CALL_TAGS) return;
    Running running = call.tag(RUNNING);
    if (running != null) running.attempts = false;
  }

  /** A copy of {@code request} that Stoic interceptors pass through. */
  public static Request mark(Request request) {
    return request.newBuilder().tag(AttemptMark.class, AttemptMark.OUTER).build();
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
