package dev.stoic.fleet;

import dev.stoic.RetryPolicy;
import dev.stoic.okhttp.StoicInterceptor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One instance of a fleet, run as its own JVM by {@link NginxFleetTest}: an OkHttp client with
 * Stoic's default policy, plus a {@link FleetQuota} on Redis unless the port is 0, called in a
 * loop by several threads from a wall-clock start time until its end.
 *
 * <p>Arguments: url, redis port (0: alone), quota key, threads. Prints {@code ready} once set
 * up, then reads the start and end (epoch millis) from its input, and prints {@code done <calls>
 * <errors>} at the end, then each second's view of the quota (an {@code L} for a learned one,
 * its limit, the instances counted, how far ahead the next local send time was in
 * milliseconds, and the calls made so far), and the final state.
 */
public final class FleetMember {
  private FleetMember() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int redisPort = Integer.parseInt(args[1]);
    String key = args[2];
    int threads = Integer.parseInt(args[3]);

    RetryPolicy policy = RetryPolicy.defaults();
    RedisClient redis = null;
    FleetQuota quota = null;
    if (redisPort != 0) {
      redis = RedisClient.create(RedisURI.create("127.0.0.1", redisPort));
      quota = FleetQuota.builder(QuotaStore.redis(redis.connect(ByteArrayCodec.INSTANCE)))
          .quotaKey(host -> key)
          .maxStoreWait(Duration.ofMillis(100)) // several JVMs on a loaded 2-CPU machine
          .build();
      policy = RetryPolicy.builder().throttle(quota).build();
    }
    OkHttpClient client = new OkHttpClient.Builder()
        .connectionPool(new ConnectionPool(threads, 1, TimeUnit.MINUTES))
        .addInterceptor(StoicInterceptor.create(policy))
        .build();
    Request request = new Request.Builder().url(url).build();
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    System.out.println("ready");
    String[] times = new java.io.BufferedReader(new java.io.InputStreamReader(System.in))
        .readLine().trim().split(" ");
    long start = Long.parseLong(times[0]);
    long end = Long.parseLong(times[1]);
    Thread.sleep(Math.max(0, start - System.currentTimeMillis()));
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker = new Thread(() -> {
        while (System.currentTimeMillis() < end) {
          try (Response response = client.newCall(request).execute()) {
            response.body().string();
            calls.incrementAndGet();
          } catch (IOException | RuntimeException e) {
            if (errors.getAndIncrement() == 0) e.printStackTrace(System.out);
          }
        }
      });
      worker.start();
      workers.add(worker);
    }
    StringBuilder limits = new StringBuilder();
    if (quota != null) {
      FleetQuota watched = quota;
      Thread watcher = new Thread(() -> {
        while (System.currentTimeMillis() < end) {
          try {
            Thread.sleep(1000);
          } catch (InterruptedException e) {
            return;
          }
          FleetState seen = watched.hostQuota("127.0.0.1").state();
          limits.append(' ').append(seen.learned() ? "L" : "").append(seen.limit())
              .append('/').append(watched.hostQuota("127.0.0.1").learning.instances())
              .append('/').append(watched.hostQuota("127.0.0.1").localLeadMillis())
              .append('/').append(calls.get());
        }
      });
      watcher.setDaemon(true);
      watcher.start();
    }
    for (Thread worker : workers) worker.join();
    System.out.println("done " + calls + " " + errors + " limits" + limits

        + (quota == null ? "" : " " + quota.hostQuota("127.0.0.1").state() + " store up "
        + quota.health.up()));
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
    if (redis != null) redis.shutdown(Duration.ZERO, Duration.ofSeconds(1));
  }
}
