package dev.stoic.benchmarks;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.stoic.RetryPolicy;
import dev.stoic.Throttle;
import dev.stoic.fleet.FleetQuota;
import dev.stoic.fleet.QuotaStore;
import dev.stoic.jdk.StoicHttpClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * What the fleet-wide quota adds to a call on its fast path, when no server has announced
 * anything: the same in-memory {@code java.net.http} calls as {@link ObservabilityBenchmark},
 * without a throttle ({@code success_stoic}) and with a {@link FleetQuota} on an embedded
 * Hazelcast member of its own ({@code success_stoicFleet}), whose state is read in the background
 * once per refresh interval (100 ms). {@code success_stoicNoopThrottle} has a throttle that
 * permits at once and reads nothing, to tell the engine's cost of any throttle from this one's;
 * {@code permit_fleet} is the throttle's permit alone.
 *
 * <p>Stateful per benchmark thread; run single-threaded.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class FleetQuotaBenchmark {
  private final CannedHttpClient raw = new CannedHttpClient();
  private final HttpRequest request =
      HttpRequest.newBuilder(URI.create("https://api.example.com/v1/orders/42?expand=items")).build();
  private final BodyHandler<Void> discarding = BodyHandlers.discarding();

  private HazelcastInstance member;
  private FleetQuota fleet;
  private StoicHttpClient stoic;
  private StoicHttpClient stoicFleet;
  private StoicHttpClient stoicNoopThrottle;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) throws Throwable {
    Config config = new Config();
    config.setClusterName("stoic-bench-" + UUID.randomUUID());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "none");
    config.getJetConfig().setEnabled(false);
    config.getNetworkConfig().setPort(0).setPortAutoIncrement(false);
    config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
    member = Hazelcast.newHazelcastInstance(config);
    fleet = FleetQuota.builder(QuotaStore.hazelcast(member)).build();
    RetryPolicy policy = EquivalentPolicies.stoicDefaultBudget();
    stoic = StoicHttpClient.wrap(raw, policy);
    stoicFleet = StoicHttpClient.wrap(raw, policy.toBuilder().throttle(fleet).build());
    Throttle noop = host -> 0;
    stoicNoopThrottle = StoicHttpClient.wrap(raw, policy.toBuilder().throttle(noop).build());
    if (!params.getBenchmark().endsWith("permit_fleet")) PathCheck.check(this, params, () -> raw.requests);
  }

  /** Fails the run if the throttle ever asked a call to wait: this is the path with no quota. */
  @TearDown(Level.Iteration)
  public void checkNoWait() throws Exception {
    if (fleet.permitNanos("api.example.com", true) != 0) {
      throw new IllegalStateException("the fleet throttle asked to wait with nothing announced");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    member.getLifecycleService().terminate();
  }

  @Benchmark
  public int success_stoic() throws Exception {
    return stoic.send(request, discarding).statusCode();
  }

  @Benchmark
  public int success_stoicFleet() throws Exception {
    return stoicFleet.send(request, discarding).statusCode();
  }

  /** A throttle that permits at once and reads nothing: the engine's own cost of a throttle. */
  @Benchmark
  public int success_stoicNoopThrottle() throws Exception {
    return stoicNoopThrottle.send(request, discarding).statusCode();
  }

  @Benchmark
  public long permit_fleet() throws Exception {
    return fleet.permitNanos("api.example.com", true);
  }
}
