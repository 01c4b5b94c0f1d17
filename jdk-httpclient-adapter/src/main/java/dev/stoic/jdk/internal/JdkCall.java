package dev.stoic.jdk.internal;

import dev.stoic.RetryClock;
import dev.stoic.RetryPolicy;
import dev.stoic.http.HeaderLookup;
import dev.stoic.spi.AsyncAttempt;
import dev.stoic.spi.Attempt;
import dev.stoic.spi.AttemptMark;
import dev.stoic.spi.CallInfo;
import dev.stoic.spi.HeaderEdits;
import dev.stoic.spi.ResponseAccess;
import dev.stoic.spi.SyncAttempt;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.net.http.HttpResponse.ResponseInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One logical call through the wrapped client. It translates, and decides nothing: for each
 * attempt it derives a request from the caller's (key, credentials, timeout, body) and a body
 * handler that asks the executor, from status and headers, whether the body is the caller's. It is
 * also the call's {@link CallInfo}, so a call allocates no description beside itself.
 *
 * <p>The executor drives it one attempt at a time; a hedged call's attempts, which overlap, each
 * get a gate of their own.
 *
 * @param <T> the caller's response body type
 */
public final class JdkCall<T>
    implements SyncAttempt<HttpResponse<T>>, AsyncAttempt<HttpResponse<T>>, HeaderLookup,
        BodyHandler<T>, AttemptMark, CallInfo {

  /** The wrapped client and how much of a retried body to read: one field, shared per client. */
  private final Delegate delegate;
  private final HttpRequest request;
  private final BodyHandler<T> handler;
  private final PushPromiseHandler<T> pushPromiseHandler;
  private final OneShotBodyPublisher oneShotBody;

  /**
   * The gate of an attempt with no time limit that overlaps no other: the call is its own body
   * handler, so such an attempt allocates no gate (see gateFor). The attempt sent with this call
   * as its handler, until the handler is applied to its head; then null, or what deciding threw.
   * Written and read through {@link #PENDING} with release and acquire: what one thread sets, the
   * thread that next reads it sees whole, without the full fence of a volatile write (on x86 a
   * plain store; two per call).
   */
  @SuppressWarnings("unused") // through PENDING
  private Object pending;
  /** The idempotency key the caller set, under the policy's header name; see describedFor. */
  private String callerKey;

  private static final VarHandle PENDING;

  static {
    try {
      PENDING = MethodHandles.lookup().findVarHandle(JdkCall.class, "pending", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Object pending() {
    return PENDING.getAcquire(this);
  }

  public JdkCall(
      Delegate delegate,
      HttpRequest request,
      BodyHandler<T> handler,
      PushPromiseHandler<T> pushPromiseHandler) {
    this.delegate = delegate;
    this.request = request;
    this.handler = handler;
    this.pushPromiseHandler = pushPromiseHandler;
    this.oneShotBody = OneShotBodyPublisher.of(request);
  }

  /** With other limits for reading a retried response's body: for tests. */
  JdkCall(
      HttpClient client,
      HttpRequest request,
      BodyHandler<T> handler,
      PushPromiseHandler<T> pushPromiseHandler,
      long discardBytes,
      Duration discardTime) {
    this(new Delegate(client, discardBytes, discardTime), request, handler, pushPromiseHandler);
  }

  /**
   * True if {@code handler} is the one a Stoic client gives each attempt ({@link AttemptMark}):
   * the client that gets it is below another Stoic client and must send the attempt once, not
   * retry it. A thread-free mark, which a decorator between the two keeps as long as it passes
   * the handler on.
   */
  public static boolean isAttemptOfStoic(BodyHandler<?> handler) {
    return AttemptMark.isOn(handler);
  }

  /**
   * This call, described to the executor under {@code policy}: the caller's idempotency key is
   * looked up once, under the policy's header name, known only once the call is routed. Call
   * once, before the call runs.
   */
  public JdkCall<T> describedFor(RetryPolicy policy) {
    String keyHeader = policy.idempotencyKey().headerName();
    if (keyHeader != null) {
      // allValues, not firstValue: the JDK's firstValue builds a Stream on every call.
      List<String> keys = request.headers().allValues(keyHeader);
      if (!keys.isEmpty()) callerKey = keys.get(0);
    }
    return this;
  }

  @Override
  public String method() {
    return request.method();
  }

  /** The request's URI as a string, which {@link URI} makes once and keeps. */
  @Override
  public String url() {
    return request.uri().toString();
  }

  @Override
  public String host() {
    URI uri = request.uri();
    String host = uri.getHost(); // parsed already; null for odd authorities
    return host != null ? host : CallInfo.hostOf(uri.toString());
  }

  @Override
  public String callerIdempotencyKey() {
    return callerKey;
  }

  @Override
  public boolean bodyReplayable() {
    return oneShotBody == null;
  }

  /** None: the request's own timeout limits each attempt, not the whole call. */
  @Override
  public long clientTimeoutNanos() {
    return 0;
  }

  /**
   * Runs one attempt on the calling thread. If deciding threw (a status classifier, say), that
   * exception is thrown as it is, not as the IOException the JDK's {@code send} would make of it
   * (which would be retried), so both ways of calling end alike.
   */
  @Override
  public HttpResponse<T> run(Attempt context) throws IOException, InterruptedException {
    Duration timeout = context.timeout();
    BodyHandler<T> gate = gateFor(context, timeout); // first: the attempt's time runs from here
    try {
      return delegate.client.send(requestFor(context, timeout), gate);
    } catch (IOException e) {
      Object left = gate != this ? ((Gate) gate).failure : pending();
      Throwable failure = left instanceof Throwable ? (Throwable) left : null;
      if (failure instanceof RuntimeException) throw (RuntimeException) failure;
      if (failure instanceof Error) throw (Error) failure;
      throw e;
    }
  }

  /**
   * Starts one attempt; cancelling the future cancels the exchange (JDK 16 and later), even while
   * a retried body is being discarded: the JDK closes the connection and the discard ends.
   */
  @Override
  public CompletableFuture<HttpResponse<T>> start(Attempt context) {
    Duration timeout = context.timeout();
    BodyHandler<T> gate = gateFor(context, timeout); // first: the attempt's time runs from here
    CompletableFuture<HttpResponse<T>> exchange =
        delegate.client.sendAsync(requestFor(context, timeout), gate, pushPromiseHandler);
    return gate == this ? exchange : ((Gate) gate).attach(exchange);
  }

  /**
   * The body handler {@code context}'s attempt is sent with: this call, set to the attempt, when
   * the attempt has no time limit ({@code timeout} null: a retried body's discard then needs no
   * start time) and no other attempt can still reach the call; otherwise a {@link Gate} of its
   * own. Another attempt can reach it when the call's attempts may overlap (a hedged call), and
   * after an attempt that ended before its response's head was decided (a timeout, a failed
   * connection): the JDK may still apply the handler to that attempt's late head, which must be
   * decided as that attempt's.
   */
  private BodyHandler<T> gateFor(Attempt context, Duration timeout) {
    if (timeout != null || context.mayOverlap() || pending() instanceof Attempt) {
      return new Gate(context);
    }
    PENDING.setRelease(this, context);
    return this;
  }

  /** The gate of an attempt that overlaps no other: see {@link Gate}. */
  @Override
  public BodySubscriber<T> apply(ResponseInfo info) {
    Attempt context = (Attempt) pending(); // the JDK applies a handler once per exchange
    PENDING.setRelease(this, null);
    return gated(context, 0, info, null); // no time limit: no start needed
  }

  /**
   * Decides on the response's head: the caller's handler for a response that stands, a
   * {@link BoundedDiscard} for one that will be retried, a {@link FailedBody} if deciding threw
   * (recorded in {@code gate}, or in this call when null).
   */
  private BodySubscriber<T> gated(Attempt context, long startNanos, ResponseInfo info, Gate gate) {
    boolean retry;
    try {
      retry = context.decide(info, HEAD);
    } catch (RuntimeException | Error e) {
      // Thrown from the handler, it would leave the JDK client holding the connection.
      if (gate != null) gate.failure = e;
      else PENDING.setRelease(this, e);
      return new FailedBody<>(e);
    }
    if (!retry) return handler.apply(info);
    return new BoundedDiscard<>(
        info, timeLeftNanos(context, startNanos), delegate.discardBytes, delegate.discardTime,
        RetryClock.system());
  }

  /** The attempt's timeout (attempt timeout or time to the deadline) less what it used. */
  private static long timeLeftNanos(Attempt context, long startNanos) {
    Duration timeout = context.timeout();
    if (timeout == null) return Long.MAX_VALUE;
    return timeout.toNanos() - (System.nanoTime() - startNanos);
  }

  /**
   * The caller's request as this attempt sends it. {@link HttpRequest} is immutable, so a copy is
   * built when something changes; a plain call (no key, no attempt count, no refreshed
   * credentials, no shorter timeout, a replayable body) sends the caller's own request object.
   */
  HttpRequest requestFor(Attempt context) {
    return requestFor(context, context.timeout());
  }

  /** As {@link #requestFor(Attempt)}, with the attempt's {@code timeout} read already. */
  private HttpRequest requestFor(Attempt context, Duration attemptTimeout) {
    HeaderEdits edits = context.headerEdits(this);
    Duration timeout = shorterTimeout(attemptTimeout);
    if (edits.isEmpty() && timeout == null && oneShotBody == null) return request;
    HttpRequest.Builder copy = HttpRequest.newBuilder(request, (name, value) -> true);
    for (int i = 0; i < edits.size(); i++) copy.setHeader(edits.name(i), edits.value(i));
    if (timeout != null) copy.timeout(timeout);
    if (oneShotBody != null) copy.method(request.method(), oneShotBody.forAttempt(context));
    return copy.build();
  }

  /** The caller's request headers, for the attempt's header edits. */
  @Override
  public List<String> values(String name) {
    return request.headers().allValues(name);
  }

  /**
   * The request's own timeout applies to every attempt; the executor's (the policy's attempt
   * timeout, or the time left before its deadline) replaces it only when shorter. Returns the
   * timeout to set, or null to keep the request's.
   */
  private Duration shorterTimeout(Duration attemptTimeout) {
    if (attemptTimeout == null) return null;
    Duration own = request.timeout().orElse(null);
    return own == null || attemptTimeout.compareTo(own) < 0 ? attemptTimeout : null;
  }

  /**
   * The client a Stoic client wraps, with how much of a retried response's body to read
   * ({@link BoundedDiscard}'s limits but in tests): made once per client, so a call keeps one
   * field for all three.
   */
  public static final class Delegate {
    final HttpClient client;
    final long discardBytes;
    final Duration discardTime;

    public Delegate(HttpClient client) {
      this(client, BoundedDiscard.MAX_BYTES, BoundedDiscard.MAX_TIME);
    }

    Delegate(HttpClient client, long discardBytes, Duration discardTime) {
      this.client = client;
      this.discardBytes = discardBytes;
      this.discardTime = discardTime;
    }
  }

  /** Status and headers of a response's head, as the executor reads them to decide. */
  private static final ResponseAccess<ResponseInfo> HEAD = new ResponseAccess<>() {
    @Override
    public int status(ResponseInfo info) {
      return info.statusCode();
    }

    @Override
    public List<String> headers(ResponseInfo info, String name) {
      return info.headers().allValues(name);
    }

    @Override
    public void discard(ResponseInfo info) {} // the body is the gate's to let go
  };

  private static final int WAITING = 0;
  private static final int BODY = 1;
  private static final int CANCELLED = 2;
  @SuppressWarnings("rawtypes")
  private static final AtomicIntegerFieldUpdater<JdkCall.Gate> STAGE =
      AtomicIntegerFieldUpdater.newUpdater(JdkCall.Gate.class, "stage");

  /**
   * The caller's handler behind a gate: the JDK client calls a body handler once the status line
   * and headers are in and before any of the body is read, which is when the executor decides. A
   * response that will be retried gets a {@link BoundedDiscard}: its body is read only if it is
   * small and complete at once (so the connection can be reused), never past the time the attempt
   * has left, and otherwise abandoned; it yields a null body and the caller's handler never sees
   * it. Any other response goes to the caller's handler unchanged.
   *
   * <p>A cancel or an interrupt during the discard needs nothing more: the JDK client cancels the
   * exchange, closing the connection, and the discard ends with the body's error. If deciding
   * throws, the body is refused ({@link FailedBody}): the connection is let go and the attempt
   * fails with that exception.
   */
  private final class Gate implements BodyHandler<T>, AttemptMark {
    private final Attempt context;
    /** When the attempt started, by System.nanoTime(): the discard counts its time from there. */
    private final long startNanos = System.nanoTime();
    /** What deciding threw, if it did. */
    volatile Throwable failure;
    /**
     * For a hedged call: WAITING until the headers are in, then BODY; CANCELLED if cancelled
     * before they were. Set through {@link #STAGE}.
     */
    private volatile int stage = WAITING;
    /** The body's subscriber, once the headers are in. */
    private volatile AbortableBody<T> body;

    Gate(Attempt context) {
      this.context = context;
    }

    /**
     * The attempt's future, whose cancel aborts the exchange without ever closing a connection
     * another exchange may use. Cancelling the JDK's own future once its exchange has its
     * response closes the exchange's connection even after the body was read and the connection
     * went back to the pool, where another call (a hedge's winner, say) may be reading from it;
     * so once the headers are in, a cancel cancels the body's subscription instead, which
     * closes the connection only while the body still holds it.
     */
    CompletableFuture<HttpResponse<T>> attach(CompletableFuture<HttpResponse<T>> exchange) {
      CompletableFuture<HttpResponse<T>> attempt = new CompletableFuture<>() {
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
          boolean cancelled = super.cancel(mayInterruptIfRunning);
          if (STAGE.compareAndSet(Gate.this, WAITING, CANCELLED)) {
            exchange.cancel(mayInterruptIfRunning);
          } else {
            AbortableBody<T> started = body;
            if (started != null) started.abort();
          }
          return cancelled;
        }
      };
      exchange.whenComplete((response, failed) -> {
        if (failed != null) {
          attempt.completeExceptionally(failed);
        } else if (!attempt.complete(response)) {
          HttpResponseAccess.<T>instance().discard(response); // cancelled meanwhile
        }
      });
      return attempt;
    }

    @Override
    public BodySubscriber<T> apply(ResponseInfo info) {
      if (!STAGE.compareAndSet(this, WAITING, BODY)) {
        return new FailedBody<>(new IOException("the attempt was cancelled"));
      }
      AbortableBody<T> subscriber = new AbortableBody<>(gated(context, startNanos, info, this));
      body = subscriber;
      return subscriber;
    }
  }
}
