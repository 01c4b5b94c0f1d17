package dev.stoic.reliability.testing;

import dev.stoic.LivePolicy;
import dev.stoic.RetryPolicy;
import dev.stoic.jdk.StoicHttpClient;
import dev.stoic.okhttp.StoicCallFactory;
import dev.stoic.okhttp.StoicInterceptor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * One OkHttp client and one JDK client for a test, each on thread pools of its own so that
 * {@link #close()} can end every thread they started, and Stoic's adapters on top of them: {@link
 * #with(RetryPolicy)} gives an interceptor client, a call factory and a {@code StoicHttpClient}
 * that all share these two clients' connections. {@link #start} runs a {@link Req} in any {@link
 * Lane} and reports its {@link Outcome}.
 */
public final class Clients implements AutoCloseable {
  private static final MediaType TEXT = MediaType.get("text/plain; charset=utf-8");
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  public final OkHttpClient okhttp;
  public final HttpClient jdk;
  /** Bodies the JDK clients' callers' handlers received, and how many were read to their end. */
  public final BodyCount jdkBodies = new BodyCount();
  private final ExecutorService okhttpPool;
  private final ExecutorService jdkPool;

  /** The Stoic adapters for one policy, all on these clients. */
  public record Stoic(OkHttpClient intercepted, StoicCallFactory factory, StoicHttpClient jdk) {}

  /**
   * @param retryOnConnectionFailure OkHttp's own recovery inside an attempt (see {@code
   *     RawClientFindingsTest} for what it does to a POST)
   */
  public Clients(boolean retryOnConnectionFailure) {
    int n = INSTANCES.incrementAndGet();
    okhttpPool = Executors.newCachedThreadPool(named("test-okhttp-dispatcher-" + n));
    Dispatcher dispatcher = new Dispatcher(okhttpPool);
    // All calls go to one host: OkHttp's default of 5 per host would queue the rest, and a queued
    // call's time would count against nothing Stoic controls.
    dispatcher.setMaxRequests(256);
    dispatcher.setMaxRequestsPerHost(256);
    okhttp = new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .retryOnConnectionFailure(retryOnConnectionFailure)
        .build();
    jdkPool = Executors.newCachedThreadPool(named("test-jdk-client-" + n));
    jdk = HttpClient.newBuilder()
        .executor(jdkPool)
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  public Stoic with(RetryPolicy policy) {
    return new Stoic(
        okhttp.newBuilder().addInterceptor(StoicInterceptor.create(policy)).build(),
        StoicCallFactory.wrap(okhttp, policy),
        StoicHttpClient.wrap(jdk, policy));
  }

  /** The Stoic adapters following {@code live}, all on these clients. */
  public Stoic with(LivePolicy live) {
    return new Stoic(
        okhttp.newBuilder().addInterceptor(StoicInterceptor.create(live)).build(),
        StoicCallFactory.wrap(okhttp, live),
        StoicHttpClient.wrap(jdk, live));
  }

  /**
   * Starts {@code req} in {@code lane}: enqueued, or sent on a thread of {@code blocking}.
   *
   * @param cancelFirst cancel before the call starts: OkHttp's {@code Call.cancel()} before
   *     execute or enqueue, the calling thread's interrupt flag set before {@code send}, and the
   *     future cancelled as soon as {@code sendAsync} returns it
   */
  public Running start(Lane lane, Stoic stoic, Req req, Executor blocking, boolean cancelFirst) {
    return lane.isOkHttp()
        ? startOkHttp(lane, stoic, req, blocking, cancelFirst)
        : startJdk(lane, stoic, req, blocking, cancelFirst);
  }

  private Running startOkHttp(
      Lane lane, Stoic stoic, Req req, Executor blocking, boolean cancelFirst) {
    Request.Builder builder = new Request.Builder().url(req.url())
        .method(req.method(), req.body() == null ? null : RequestBody.create(req.body(), TEXT));
    for (Map.Entry<String, String> header : req.headers().entrySet()) {
      builder.header(header.getKey(), header.getValue());
    }
    Request request = builder.build();
    Call call = lane.usesFactory()
        ? stoic.factory().newCall(request)
        : stoic.intercepted().newCall(request);
    Running running = new Running(lane, call::cancel);
    if (lane.isAsync()) {
      if (cancelFirst) running.cancel();
      running.started();
      call.enqueue(new Callback() {
        @Override
        public void onFailure(Call c, IOException e) {
          running.finish(-1, null, e, false);
        }

        @Override
        public void onResponse(Call c, Response response) {
          try (response) {
            String body = response.body().string();
            running.finish(response.code(), body, null, false);
          } catch (IOException | RuntimeException e) {
            running.finish(-1, null, e, false);
          }
        }
      });
      return running;
    }
    blocking.execute(() -> {
      running.thread.set(Thread.currentThread());
      if (cancelFirst) running.cancel();
      running.started();
      int status = -1;
      String body = null;
      Throwable failure = null;
      try (Response response = call.execute()) {
        status = response.code();
        body = response.body().string();
      } catch (Throwable t) {
        failure = t;
      }
      running.finish(status, body, failure, Thread.interrupted());
    });
    return running;
  }

  private Running startJdk(
      Lane lane, Stoic stoic, Req req, Executor blocking, boolean cancelFirst) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(req.url()))
        .method(req.method(), req.body() == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(req.body()));
    for (Map.Entry<String, String> header : req.headers().entrySet()) {
      builder.header(header.getKey(), header.getValue());
    }
    HttpRequest request = builder.build();
    if (lane == Lane.JDK_SEND_ASYNC) {
      AtomicReference<CompletableFuture<HttpResponse<String>>> future = new AtomicReference<>();
      Running running = new Running(lane, () -> {
        CompletableFuture<HttpResponse<String>> f = future.get();
        if (f != null) f.cancel(true);
      });
      running.started();
      CompletableFuture<HttpResponse<String>> f = stoic.jdk().sendAsync(request, jdkBodies.ofString());
      future.set(f);
      f.whenComplete((response, failure) -> {
        if (failure == null) {
          running.finish(response.statusCode(), response.body(), null, false);
        } else {
          running.finish(-1, null, failure, false);
        }
      });
      if (cancelFirst) running.cancel();
      return running;
    }
    Running running = new Running(lane, null);
    blocking.execute(() -> {
      running.thread.set(Thread.currentThread());
      if (cancelFirst) running.cancel();
      running.started();
      int status = -1;
      String body = null;
      Throwable failure = null;
      try {
        HttpResponse<String> response = stoic.jdk().send(request, jdkBodies.ofString());
        status = response.statusCode();
        body = response.body();
      } catch (Throwable t) {
        failure = t;
      }
      running.finish(status, body, failure, Thread.interrupted());
    });
    return running;
  }

  /** Ends every thread these clients started (the JDK client's selector ends once unreachable). */
  @Override
  public void close() {
    okhttp.dispatcher().cancelAll();
    okhttpPool.shutdown();
    jdkPool.shutdown();
    try {
      okhttpPool.awaitTermination(10, TimeUnit.SECONDS);
      jdkPool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    okhttp.connectionPool().evictAll();
  }

  static ThreadFactory named(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** A call under way. */
  public static final class Running {
    public final Lane lane;
    public final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    /** The thread blocked in execute() or send(), once it runs; null for async lanes. */
    final AtomicReference<Thread> thread = new AtomicReference<>();
    private final Runnable cancel;
    private volatile long startNanos;
    private volatile long cancelNanos;

    Running(Lane lane, Runnable cancel) {
      this.lane = lane;
      this.cancel = cancel;
    }

    void started() {
      startNanos = System.nanoTime();
    }

    /**
     * Cancels the call the way its lane allows: {@code Call.cancel()}, cancelling the future, or
     * interrupting the thread blocked in {@code send}. Returns when the cancel was issued.
     */
    public void cancel() {
      cancelNanos = System.nanoTime();
      if (cancel != null) {
        cancel.run();
      } else {
        Thread blocked = thread.get();
        if (blocked == null) throw new IllegalStateException("send() has not started");
        blocked.interrupt();
      }
    }

    /** When {@link #cancel()} was last issued, by System.nanoTime(); 0 if never. */
    public long cancelNanos() {
      return cancelNanos;
    }

    void finish(int status, String body, Throwable failure, boolean interrupted) {
      outcome.complete(new Outcome(
          lane, status, body, failure, startNanos, System.nanoTime(), interrupted));
    }
  }

  /**
   * Wraps BodyHandlers.ofString() to count the bodies the caller's handler is given and those
   * read to their end (or failed): a body given and never finished holds its exchange open.
   */
  public static final class BodyCount {
    public final AtomicInteger given = new AtomicInteger();
    public final AtomicInteger finished = new AtomicInteger();

    HttpResponse.BodyHandler<String> ofString() {
      return info -> {
        given.incrementAndGet();
        HttpResponse.BodySubscriber<String> delegate =
            HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8);
        return new HttpResponse.BodySubscriber<>() {
          private final AtomicInteger once = new AtomicInteger();

          @Override
          public CompletionStage<String> getBody() {
            return delegate.getBody();
          }

          @Override
          public void onSubscribe(Flow.Subscription subscription) {
            delegate.onSubscribe(subscription);
          }

          @Override
          public void onNext(List<ByteBuffer> item) {
            delegate.onNext(item);
          }

          @Override
          public void onError(Throwable throwable) {
            if (once.getAndIncrement() == 0) finished.incrementAndGet();
            delegate.onError(throwable);
          }

          @Override
          public void onComplete() {
            if (once.getAndIncrement() == 0) finished.incrementAndGet();
            delegate.onComplete();
          }
        };
      };
    }
  }
}
