package dev.stoic.okhttp.internal;

import dev.stoic.spi.AttemptMark;
import kotlin.jvm.JvmClassMappingKt;
import kotlin.reflect.KClass;
import okhttp3.Call;
import okhttp3.Request;

/**
 * Keeps Stoic layers on one call from multiplying its attempts, with core's {@link AttemptMark}:
 * five attempts over two layers stay five, not ten.
 *
 * <p>An interceptor's attempts run down the chain on the thread that runs the interceptor, so the
 * interceptor notes on that thread which call it is running attempts for, and any Stoic
 * interceptor below it on the same call proceeds once. The note names the call: a call an
 * interceptor makes on its own, to this client or another, is a different call and is retried
 * as usual; and it is put back when the attempts end, so an interceptor before Stoic that
 * proceeds twice (to retry after a 401, say) gets Stoic's retries both times. It costs no
 * object per call and no copy of the request, on OkHttp 5 and 4.12 alike.
 *
 * <p>The call factory marks the request its attempts are made from (a tag), and only when its
 * client has a Stoic interceptor; on OkHttp 5 a call starts with its request's tags, so the mark
 * is read from the call, where an interceptor that rebuilds the request cannot drop it.
 *
 * <p>Not API. Thread-safe.
 */
public final class Layers {
  /** Whether calls carry tags of their own (OkHttp 5), not only their request's (4.12). */
  private static final boolean CALL_TAGS = callTags();
  /**
   * The mark's key as OkHttp 5 keeps tags, made once: its Class overloads make a KClass on every
   * call, which would add 16 bytes to each call's success path.
   */
  private static final KClass<AttemptMark> OUTER =
      CALL_TAGS ? JvmClassMappingKt.getKotlinClass(AttemptMark.class) : null;
  /** Per thread: the call whose attempts a Stoic interceptor is running there, or null. */
  private static final ThreadLocal<Running> RUNNING = ThreadLocal.withInitial(Running::new);

  private Layers() {}

  /** One thread's note; reused, so noting a call allocates nothing. */
  private static final class Running {
    Call call;
  }

  /** True if an outer Stoic layer runs this call's attempts: an interceptor then proceeds once. */
  public static boolean underStoic(Request request, Call call) {
    if (RUNNING.get().call == call) return true;
    if (!CALL_TAGS) return AttemptMark.isOn(request.tag(AttemptMark.class));
    return AttemptMark.isOn(call.tag(OUTER));
  }

  /**
   * Notes on this thread that an interceptor runs {@code call}'s attempts, until {@link #exit},
   * so that Stoic interceptors below it pass through. Returns the call noted before, for exit.
   */
  public static Call enter(Call call) {
    Running running = RUNNING.get();
    Call before = running.call;
    running.call = call;
    return before;
  }

  /** Ends what {@link #enter} began, noting again the call {@code before} it. */
  public static void exit(Call before) {
    RUNNING.get().call = before;
  }

  /** A copy of {@code request} that Stoic interceptors pass through. */
  public static Request mark(Request request) {
    return request.newBuilder().tag(AttemptMark.class, AttemptMark.OUTER).build();
  }

  private static boolean callTags() {
    try {
      Call.class.getMethod("tag", Class.class, kotlin.jvm.functions.Function0.class);
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
