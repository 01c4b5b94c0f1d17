package dev.stoic.okhttp.internal;

import dev.stoic.spi.CallRunner;
import dev.stoic.spi.Cancellation;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import kotlin.jvm.JvmClassMappingKt;
import kotlin.jvm.functions.Function0;
import kotlin.reflect.KClass;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.AsyncTimeout;
import okio.Timeout;

/**
 * One logical call of {@link dev.stoic.okhttp.StoicCallFactory}: its {@link Call} half (state,
 * cancel, timeout, tags, listeners); {@link AttemptCalls} sends each attempt as a fresh call of
 * the wrapped client; the engine decides, waits, hedges and closes.
 *
 * <p>{@link #enqueue} holds no thread between attempts: each attempt is enqueued on the client's
 * dispatcher and the next is scheduled on the policy's clock. The callback fires exactly once, on
 * the client's dispatcher executor. Not API. Thread-safe, like OkHttp's own calls.
 */
public final class RetryingCall extends AttemptCalls implements Call, Cancellation {
  private static final System.Logger LOG = System.getLogger("dev.stoic.okhttp");

  private final CallRunner executor;
  private final boolean markAttempts;
  /**
   * The whole call's timeout: made when the client has a call timeout or the caller asks for
   * {@link #timeout()}, else null (a call with no timeout allocates none; one asked for after the
   * call started is not entered, as a timeout changed then is not on OkHttp's own calls).
   * Guarded by this for its making.
   */
  private volatile AsyncTimeout timeout;
  /*
   * Per-call state is kept small: a call that succeeds at once allocates this object, its timeout
   * and what the executor needs, and nothing for features it does not use. Hence a field updater
   * rather than an AtomicBoolean, and the tag map and listener list made on first use.
   */
  private static final AtomicIntegerFieldUpdater<RetryingCall> EXECUTED =
      AtomicIntegerFieldUpdater.newUpdater(RetryingCall.class, "executed");
  private volatile int executed;
  /** Tags computed by {@link #tag(Class, Function0)}; null until the first. */
  private volatile ConcurrentHashMap<Class<?>, Object> tags;
  /**
   * Guarded by this; null until the first. Added to every attempt call (OkHttp 5 only: 4.12 has
   * no such method).
   */
  private List<EventListener> eventListeners;
  private volatile boolean canceled;
  /** Completed by cancel(); made when a sync wait first needs it. */
  private volatile CompletableFuture<Void> cancelSignal;
  /** The latest attempt. Cancelling it also aborts a response body still being read, as OkHttp. */
  private volatile Call attempt;
  /** The async run, once enqueued. A hedged execute() is cancelled through signal(). */
  private volatile CompletableFuture<Response> result;
  /*
   * Set once in start(), before the executor has the call: whoever reads them later (the
   * executor, a dispatcher thread, the callback) does so after a hand-off that orders them, so
   * they are plain fields, not volatile writes on every call.
   */
  /** When a call with a whole-call timeout started, on the policy's clock; unset without one. */
  private long startNanos;
  private long timeoutNanos;

  /**
   * @param markAttempts true if the client has a Stoic interceptor: attempts are then marked so
   *     that it passes through
   */
  public RetryingCall(OkHttpClient client, OkHttpClient unsafeRequestClient,
      CallRunner executor, Request request, boolean markAttempts) {
    super(client, unsafeRequestClient, request, markAttempts);
    this.executor = executor;
    this.markAttempts = markAttempts;
    if (client.callTimeoutMillis() != 0) timeout();
  }

  private AsyncTimeout newTimeout() {
    AsyncTimeout made = new AsyncTimeout() {
      @Override
      protected void timedOut() {
        // Qualified: Okio 3.7+ gives AsyncTimeout a cancel() of its own, which stops the timer.
        try {
          RetryingCall.this.cancel();
        } catch (RuntimeException e) {
          // Okio runs every timeout of the JVM on one watchdog thread: it must not die here.
          LOG.log(System.Logger.Level.WARNING,
              "cancel on call timeout failed for " + RetryingCall.this, e);
        }
      }
    };
    made.timeout(client.callTimeoutMillis(), TimeUnit.MILLISECONDS);
    return made;
  }

  @Override
  public Request request() {
    return request;
  }

  @Override
  public Response execute() throws IOException {
    start();
    executing = true;
    Response response;
    try {
      // A hedged call runs its attempts on the dispatcher while this thread waits (the engine).
      response = executor.send(this, this, this, OkHttpResponses.INSTANCE, this);
    } catch (IOException e) {
      throw exitTimeout() ? timeoutException(e) : e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted =
          new InterruptedIOException("interrupted while waiting to retry");
      interrupted.initCause(e);
      throw exitTimeout() ? timeoutException(interrupted) : interrupted;
    } catch (RuntimeException | Error e) {
      exitWholeTimeout();
      throw e;
    }
    exitWholeTimeout();
    return response;
  }

  @Override
  public void enqueue(Callback callback) {
    Objects.requireNonNull(callback, "callback == null");
    start();
    CompletableFuture<Response> future = executor.sendAsync(this, this, OkHttpResponses.INSTANCE);
    result = future;
    if (canceled) future.cancel(false);
    future.whenComplete((response, failure) -> finish(callback, response, failure));
  }

  /** Marks the call executed and describes it to the executor (it is its own CallInfo). */
  private void start() {
    if (!EXECUTED.compareAndSet(this, 0, 1)) throw new IllegalStateException("Already Executed");
    AsyncTimeout whole = timeout;
    timeoutNanos = whole == null ? 0 : whole.timeoutNanos();
    describeFor(executor.policy());
    // Read only for a call with a timeout: exitTimeout() needs it then, and a clock read costs
    // about 20 ns.
    if (timeoutNanos > 0) startNanos = executor.policy().clock().nanoTime();
    if (whole != null) whole.enter();
  }

  /** The whole call's timeout as the call started, 0 for none. */
  @Override
  public long clientTimeoutNanos() {
    return timeoutNanos;
  }

  private void finish(Callback callback, Response response, Throwable failure) {
    boolean timedOut = exitTimeout();
    if (failure == null) {
      deliver(() -> {
        try {
          callback.onResponse(this, response);
        } catch (IOException e) {
          // As OkHttp does: the callback already has its outcome, so this is only logged.
          LOG.log(System.Logger.Level.WARNING, "Callback failure for " + this, e);
        }
      });
      return;
    }
    IOException e = asIOException(failure);
    IOException delivered = timedOut ? timeoutException(e) : e;
    deliver(() -> callback.onFailure(this, delivered));
  }

  /**
   * Runs a callback on the client's dispatcher executor, where OkHttp runs its own: never on the
   * thread that called cancel(), on Okio's timeout watchdog, or on Stoic's scheduler thread.
   */
  private void deliver(Runnable callback) {
    try {
      client.dispatcher().executorService().execute(callback);
    } catch (RejectedExecutionException e) {
      callback.run(); // the client is shutting down; still exactly once
    }
  }

  private static IOException asIOException(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
    if (t instanceof IOException) return (IOException) t;
    if (t instanceof CancellationException) {
      // With a cause when an attempt was cancelled elsewhere: that failure says why.
      Throwable why = t.getCause();
      return why instanceof IOException ? (IOException) why : new IOException("Canceled");
    }
    return new IOException("canceled due to " + t, t); // OkHttp's words for a failing interceptor
  }

  /** Exits the whole-call timeout; true if it fired or its time has passed. */
  private boolean exitTimeout() {
    boolean fired = exitWholeTimeout();
    // The executor stops retrying when the policy's clock says the call timeout is near; agree
    // with it, on the same clock, about whether the caller should see a timeout.
    return fired || (timeoutNanos > 0
        && executor.policy().clock().nanoTime() - startNanos >= timeoutNanos);
  }

  /** Exits the whole-call timeout, if the call has one; true if it fired. */
  private boolean exitWholeTimeout() {
    AsyncTimeout whole = timeout;
    return whole != null && whole.exit();
  }

  private static InterruptedIOException timeoutException(IOException cause) {
    InterruptedIOException e = new InterruptedIOException("timeout"); // OkHttp's call timeout
    e.initCause(cause);
    return e;
  }

  /** For the executor: whether {@link #cancel()} ran. */
  @Override
  public boolean isCancelled() {
    return canceled;
  }

  /** For the executor: completes when {@link #cancel()} runs, so a sync wait ends at once. */
  @Override
  public CompletionStage<?> signal() {
    CompletableFuture<Void> signal = cancelSignal;
    if (signal != null) return signal;
    synchronized (this) {
      if (cancelSignal == null) cancelSignal = new CompletableFuture<>();
      signal = cancelSignal;
    }
    if (canceled) signal.complete(null);
    return signal;
  }

  @Override
  boolean cancelledByCaller() {
    return canceled;
  }

  @Override
  void cancelCall() {
    cancel();
  }

  @Override
  void markCancelled() {
    canceled = true;
  }

  @Override
  void attach(Call call) {
    synchronized (this) {
      if (eventListeners != null) {
        for (EventListener listener : eventListeners) call.addEventListener(listener);
      }
      attempt = call;
    }
    if (canceled) call.cancel(); // cancel() ran before this attempt was visible to it
  }

  @Override
  public void cancel() {
    if (canceled) return;
    canceled = true;
    CompletableFuture<Void> signal = cancelSignal;
    if (signal != null) signal.complete(null);
    CompletableFuture<Response> run = result;
    if (run != null) run.cancel(false); // stops a pending wait or the attempt in flight
    Call current = attempt;
    if (current != null) current.cancel();
  }

  @Override
  public boolean isExecuted() {
    return executed != 0;
  }

  @Override
  public boolean isCanceled() {
    return canceled;
  }

  /** The limit of the whole call, all attempts and waits; the client's call timeout by default. */
  @Override
  public Timeout timeout() {
    AsyncTimeout whole = timeout;
    if (whole != null) return whole;
    synchronized (this) {
      if (timeout == null) timeout = newTimeout();
      return timeout;
    }
  }

  /** Adds {@code listener} to the attempt in flight and to every later one (OkHttp 5). */
  @Override
  public void addEventListener(EventListener listener) {
    Objects.requireNonNull(listener, "eventListener == null");
    synchronized (this) {
      if (eventListeners == null) eventListeners = new ArrayList<>();
      eventListeners.add(listener);
      Call current = attempt;
      if (current != null) current.addEventListener(listener);
    }
  }

  @Override
  public <T> T tag(Class<? extends T> type) {
    ConcurrentHashMap<Class<?>, Object> computedTags = tags;
    Object computed = computedTags == null ? null : computedTags.get(type);
    return computed != null ? type.cast(computed) : request.tag(type);
  }

  @Override
  public <T> T tag(Class<T> type, Function0<? extends T> computeIfAbsent) {
    T existing = tag(type);
    if (existing != null) return existing;
    T computed = Objects.requireNonNull(computeIfAbsent.invoke(), "computeIfAbsent returned null");
    Object raced = tags().putIfAbsent(type, computed);
    return raced != null ? type.cast(raced) : computed;
  }

  private ConcurrentHashMap<Class<?>, Object> tags() {
    ConcurrentHashMap<Class<?>, Object> map = tags;
    if (map != null) return map;
    synchronized (this) {
      if (tags == null) tags = new ConcurrentHashMap<>();
      return tags;
    }
  }

  @Override
  public <T> T tag(KClass<T> type) {
    return tag(JvmClassMappingKt.getJavaClass(type));
  }

  @Override
  public <T> T tag(KClass<T> type, Function0<? extends T> computeIfAbsent) {
    return tag(JvmClassMappingKt.getJavaClass(type), computeIfAbsent);
  }

  @Override
  public Call clone() {
    return new RetryingCall(client, unsafeRequestClient, executor, request, markAttempts);
  }

  @Override
  public String toString() {
    return "call to " + executor.policy().redaction().url(request.url().toString());
  }


}
