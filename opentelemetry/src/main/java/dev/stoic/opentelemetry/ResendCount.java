package dev.stoic.opentelemetry;

import io.opentelemetry.context.Context;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Shares one resend counter between the attempts of a call, for OpenTelemetry's client
 * instrumentation to number the requests it traces under Stoic's span.
 *
 * <p>That instrumentation sets {@code http.request.resend_count} from a counter it finds in the
 * parent context, and OkHttp's puts one there for each call it sees. Under Stoic's call factory or
 * the JDK client, each attempt is a call of its own to the instrumented client: without a counter
 * above them, every attempt would look like a first request. So the call's context gets one,
 * through the instrumentation API ({@code HttpClientRequestResendCount.initialize}) when it is on
 * the class path; an existing counter (OkHttp's, when Stoic is an interceptor inside the traced
 * call) is kept. Without the instrumentation API this does nothing; with OpenTelemetry's Java
 * agent the agent keeps its own copy of that API, out of reach, and counts per attempt.
 */
final class ResendCount {
  private static final MethodHandle INITIALIZE = find();

  private ResendCount() {}

  static Context initialize(Context context) {
    if (INITIALIZE == null) return context;
    try {
      return (Context) INITIALIZE.invokeExact(context);
    } catch (Throwable e) {
      return context; // a changed instrumentation API: go without the shared count
    }
  }

  private static MethodHandle find() {
    try {
      Class<?> counter = Class.forName(
          "io.opentelemetry.instrumentation.api.semconv.http.HttpClientRequestResendCount",
          false, ResendCount.class.getClassLoader());
      return MethodHandles.publicLookup().findStatic(
          counter, "initialize", MethodType.methodType(Context.class, Context.class));
    } catch (ReflectiveOperationException | LinkageError | SecurityException e) {
      return null;
    }
  }
}
