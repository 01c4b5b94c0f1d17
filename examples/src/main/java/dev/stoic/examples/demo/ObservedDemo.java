package dev.stoic.examples.demo;

import dev.stoic.Backoff;
import dev.stoic.RetryBudget;
import dev.stoic.RetryPolicy;
import dev.stoic.Throttle;
import dev.stoic.jdk.StoicHttpClient;
import dev.stoic.micrometer.StoicMetrics;
import dev.stoic.okhttp.StoicCallFactory;
import dev.stoic.okhttp.StoicInterceptor;
import dev.stoic.opentelemetry.StoicTracing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Stoic watched: a few threads call a local server for a while, through OkHttp and the JDK client,
 * with {@link StoicMetrics} and {@link StoicTracing} on the policy. A third of the way in the
 * server has an incident (503s, many with {@code Retry-After}, and slow answers) that lasts a third
 * of the run. Every second the demo reads the meters; at the end it prints every meter, one traced
 * call, and what the server counted against what Stoic and OkHttp counted, and can draw the
 * meters over time as an SVG. From the repository root:
 *
 * <pre>
 * mvn -B -ntp -q -Pobserved-demo -DskipTests -pl examples -am package
 * </pre>
 *
 * <p>which runs {@code ObservedDemo 30 docs} (30 seconds, files written to {@code docs/}).
 */
public final class ObservedDemo {
  static final int WORKERS = 4;
  static final Duration PAUSE = Duration.ofMillis(20);
  /** OkHttp calls the server by address and the JDK client by name: the host tag tells them apart. */
  static final String OKHTTP_HOST = "127.0.0.1";
  static final String JDK_HOST = "localhost";
  private static final MediaType JSON = MediaType.get("application/json");

  private ObservedDemo() {}

  /** Arguments: the run's length in seconds (default 30), and a directory for the chart. */
  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    Path out = args.length > 1 ? Path.of(args[1]) : null;
    Run run = run(Duration.ofSeconds(seconds), System.out);
    if (out != null) {
      Files.createDirectories(out);
      Files.writeString(out.resolve("observability.svg"), Chart.svg(run.samples, run.incident),
          StandardCharsets.UTF_8);
      Files.writeString(out.resolve("observability.csv"), Chart.csv(run.samples),
          StandardCharsets.UTF_8);
      System.out.println("wrote " + out.resolve("observability.svg") + " and observability.csv");
    }
  }

  /** What a run produced: the samples, the incident's window in seconds, the meters and spans. */
  record Run(List<Sampler.Sample> samples, double[] incident, SimpleMeterRegistry registry,
      List<SpanData> spans, long serverRequests, long okHttpRequests, long jdkRequests) {}

  static Run run(Duration length, PrintStream out) throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    SdkTracerProvider tracerProvider =
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
    OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build();

    long start = System.nanoTime();
    double third = length.toNanos() / 3.0 / 1e9;
    double[] incident = {third, 2 * third};
    AtomicBoolean stop = new AtomicBoolean();
    try (LoadServer server = new LoadServer(() -> {
      double t = (System.nanoTime() - start) / 1e9;
      return t >= incident[0] && t < incident[1] ? 1 : 0;
    }).start()) {
      RetryPolicy policy = RetryPolicy.builder()
          .maxAttempts(4)
          .backoff(Backoff.exponential(Duration.ofMillis(50), Duration.ofSeconds(1)))
          .attemptTimeout(Duration.ofMillis(500))
          .deadline(Duration.ofSeconds(4))
          // A budget that lets about a fifth of calls retry, and a pace of 150 attempts a second.
          .retryBudget(RetryBudget.perHost(20, 1, 0.2))
          .throttle(new PacedThrottle(150))
          .observer(StoicMetrics.create(registry))
          .observer(StoicTracing.create(otel))
          .build();
      // OkHttp as it comes: retryOnConnectionFailure on, so it re-sends dropped GETs itself.
      OkHttpClient ok = new OkHttpClient();
      Call.Factory okCalls = StoicCallFactory.wrap(ok, policy);
      OkHttpClient okInterceptor = ok.newBuilder().addInterceptor(StoicInterceptor.create(policy)).build();
      HttpClient jdk = StoicHttpClient.wrap(HttpClient.newHttpClient(), policy);

      out.println("Observed demo: " + WORKERS + " threads call " + server.url(OKHTTP_HOST, "/")
          + " (OkHttp) and " + server.url(JDK_HOST, "/") + " (the JDK client) for "
          + length.toSeconds() + " s; the server drops 10% of connections, and from "
          + Math.round(incident[0]) + " s to " + Math.round(incident[1]) + " s it also answers"
          + " 45% of requests with 503 (35% with Retry-After: 1) and 5% too slowly.");
      List<Thread> workers = new ArrayList<>();
      for (int i = 0; i < WORKERS; i++) {
        Thread worker = new Thread(() -> {
          while (!stop.get()) {
            call(server, okCalls, okInterceptor, jdk);
            sleep(PAUSE);
          }
        }, "observed-demo-" + i);
        worker.start();
        workers.add(worker);
      }
      Sampler sampler = new Sampler(registry, server::requests);
      List<Sampler.Sample> samples = sampler.sampleEverySecond(length, start);
      stop.set(true);
      for (Thread worker : workers) worker.join(10_000);
      ok.dispatcher().executorService().shutdown();
      ok.connectionPool().evictAll();
      tracerProvider.forceFlush().join(5, TimeUnit.SECONDS);

      Run run = new Run(samples, incident, registry, spans.getFinishedSpanItems(),
          server.requests(), server.requests("/catalog") + server.requests("/orders"),
          server.requests("/stock"));
      report(run, out);
      tracerProvider.close();
      return run;
    }
  }

  /** One call: most are OkHttp GETs, some JDK GETs, a few keyless POSTs. */
  private static void call(LoadServer server, Call.Factory okCalls, OkHttpClient okInterceptor,
      HttpClient jdk) {
    double kind = ThreadLocalRandom.current().nextDouble();
    try {
      if (kind < 0.75) {
        Request get = new Request.Builder().url(server.url(OKHTTP_HOST, "/catalog")).build();
        try (Response response = okCalls.newCall(get).execute()) {
          response.body().string();
        }
      } else if (kind < 0.95) {
        HttpRequest get = HttpRequest.newBuilder(server.url(JDK_HOST, "/stock").uri()).build();
        jdk.send(get, BodyHandlers.discarding());
      } else {
        Request post = new Request.Builder().url(server.url(OKHTTP_HOST, "/orders"))
            .post(RequestBody.create("{\"item\": 7}", JSON)).build();
        try (Response response = okInterceptor.newCall(post).execute()) {
          response.body().string();
        }
      }
    } catch (IOException e) {
      // The call failed after what retrying the policy allows: the meters have it.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void report(Run run, PrintStream out) {
    SimpleMeterRegistry registry = run.registry();
    long calls = timers(registry, "stoic.calls");
    long attempts = timers(registry, "stoic.attempts");
    long okAttempts = timers(registry, "stoic.attempts", OKHTTP_HOST);
    long jdkAttempts = timers(registry, "stoic.attempts", JDK_HOST);
    long resends = Math.round(counters(registry, "stoic.client.resends"));
    out.println();
    out.printf(Locale.ROOT, "%d calls, %d attempts (%d retries); the server read %d requests.%n",
        calls, attempts, attempts - calls, run.serverRequests());
    out.printf(Locale.ROOT, "OkHttp: %d attempts + %d requests it re-sent on its own (counted by"
        + " its event listener) = %d; the server read %d.%n", okAttempts, resends,
        okAttempts + resends, run.okHttpRequests());
    out.printf(Locale.ROOT, "JDK client: %d attempts; the server read %d: %d re-sent by the"
        + " client inside Stoic's attempts, which no meter sees.%n", jdkAttempts,
        run.jdkRequests(), run.jdkRequests() - jdkAttempts);
    out.println();
    out.println("Meters at the end (timers: count, total seconds; counters: count):");
    List<Meter> meters = new ArrayList<>(registry.getMeters());
    meters.sort(Comparator.comparing((Meter m) -> m.getId().getName())
        .thenComparing(m -> m.getId().getTags().toString()));
    for (Meter meter : meters) {
      String tags = meter.getId().getTags().stream()
          .map(t -> t.getKey() + "=" + t.getValue()).collect(Collectors.joining(","));
      String value = meter instanceof Timer
          ? String.format(Locale.ROOT, "count=%d total=%.3fs", ((Timer) meter).count(),
              ((Timer) meter).totalTime(TimeUnit.SECONDS))
          : meter instanceof Counter
              ? String.format(Locale.ROOT, "%.3f", ((Counter) meter).count()) : "";
      out.println("  " + meter.getId().getName() + "{" + tags + "} " + value);
    }
    // A call retried for a hint, a throttled one, and one that failed: between them every
    // attribute Stoic sets on a call's span and its events.
    print("One call retried for a hint", first(run, "stoic.hinted_wait_ms"), out);
    print("One call the throttle delayed", first(run, "stoic.throttle"), out);
    print("One call that failed", run.spans().stream()
        .filter(s -> "failure".equals(s.getAttributes().get(
            io.opentelemetry.api.common.AttributeKey.stringKey("stoic.outcome"))))
        .findFirst().orElse(null), out);
  }

  /** The first span with an event named {@code name}, or an event attribute of that name. */
  private static SpanData first(Run run, String name) {
    return run.spans().stream()
        .filter(s -> s.getEvents().stream().anyMatch(e -> e.getName().equals(name)
            || e.getAttributes().asMap().keySet().stream().anyMatch(k -> k.getKey().equals(name))))
        .findFirst().orElse(null);
  }

  private static void print(String title, SpanData span, PrintStream out) {
    if (span == null) return;
    out.println();
    out.println(title + ": span \"" + span.getName() + "\" (" + span.getKind() + ", status "
        + span.getStatus().getStatusCode() + ")");
    span.getAttributes().forEach((k, v) -> out.println("  " + k.getKey() + " = " + v));
    for (EventData event : span.getEvents()) {
      out.println("  event " + event.getName() + ":");
      event.getAttributes().forEach((k, v) -> out.println("    " + k.getKey() + " = " + v));
    }
  }

  static long timers(SimpleMeterRegistry registry, String name) {
    return registry.find(name).timers().stream().mapToLong(Timer::count).sum();
  }

  static long timers(SimpleMeterRegistry registry, String name, String host) {
    return registry.find(name).tag("host", host).timers().stream().mapToLong(Timer::count).sum();
  }

  static double counters(SimpleMeterRegistry registry, String name) {
    return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A client-side limit of {@code perSecond} attempts per host, evenly spaced: an attempt waits
   * for its slot, and is refused when the slot is more than a second away.
   */
  static final class PacedThrottle implements Throttle {
    private final long interval;
    private long next;

    PacedThrottle(int perSecond) {
      this.interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
    }

    @Override
    public synchronized long reserveNanos(String host) {
      long now = System.nanoTime();
      long slot = Math.max(now, next);
      long wait = slot - now;
      if (wait > TimeUnit.SECONDS.toNanos(1)) return -1;
      next = slot + interval;
      return wait;
    }
  }
}
