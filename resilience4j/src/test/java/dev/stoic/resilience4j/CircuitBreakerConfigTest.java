package dev.stoic.resilience4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.http.FailureKind;
import dev.stoic.testing.Properties;
import dev.stoic.testing.VirtualClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Settings are checked as they are set; the host registry stays within its bound. */
class CircuitBreakerConfigTest {
  static Stream<Arguments> invalidSettings() {
    return Stream.of(
        bad("failureRateThreshold", b -> b.failureRateThreshold(0)),
        bad("failureRateThreshold", b -> b.failureRateThreshold(100.5f)),
        bad("failureRateThreshold", b -> b.failureRateThreshold(Float.NaN)),
        bad("minimumAttempts", b -> b.minimumAttempts(0)),
        bad("window", b -> b.window(Duration.ofMillis(500))),
        bad("window", b -> b.window(Duration.ofMillis(1500))),
        bad("window", b -> b.window(Duration.ofSeconds(-1))),
        bad("openInterval", b -> b.openInterval(Duration.ZERO)),
        bad("openInterval", b -> b.openInterval(Duration.ofNanos(999_999))),
        bad("probes", b -> b.probes(0)),
        bad("maxProbeTime", b -> b.maxProbeTime(Duration.ZERO)),
        bad("maxHold", b -> b.maxHold(Duration.ofSeconds(-5))),
        bad("maxHosts", b -> b.maxHosts(0)),
        bad("window", b -> b.window(null)),
        bad("openInterval", b -> b.openInterval(null)),
        bad("clock", b -> b.clock(null)));
  }

  static Arguments bad(String setting, Consumer<StoicCircuitBreaker.Builder> change) {
    return Arguments.of(setting, change);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSettings")
  void anInvalidSettingIsRefusedNamingIt(String setting, Consumer<StoicCircuitBreaker.Builder> change) {
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> change.accept(StoicCircuitBreaker.builder()));
    assertTrue(e instanceof IllegalArgumentException || e instanceof NullPointerException, e::toString);
    assertTrue(e.getMessage().startsWith(setting + " "), e.getMessage());
  }

  @Test
  void theSharedConfigurationIsTheOneBuilt() {
    StoicCircuitBreaker breaker = StoicCircuitBreaker.builder()
        .failureRateThreshold(25)
        .minimumAttempts(7)
        .window(Duration.ofSeconds(30))
        .openInterval(Duration.ofMillis(200))
        .probes(2)
        .build();
    breaker.onFailure("a.example", FailureKind.CONNECT);
    breaker.onFailure("b.example", FailureKind.CONNECT);
    CircuitBreakerConfig a = breaker.circuitBreaker("a.example").orElseThrow().getCircuitBreakerConfig();
    CircuitBreakerConfig b = breaker.circuitBreaker("b.example").orElseThrow().getCircuitBreakerConfig();
    assertTrue(a == b, "one configuration shared by every host");
    assertEquals(25f, a.getFailureRateThreshold());
    assertEquals(7, a.getMinimumNumberOfCalls());
    assertEquals(30, a.getSlidingWindowSize());
    assertEquals(SlidingWindowType.TIME_BASED, a.getSlidingWindowType());
    assertEquals(200L, a.getWaitIntervalFunctionInOpenState().apply(1));
    assertEquals(2, a.getPermittedNumberOfCallsInHalfOpenState());
    assertEquals(a, breaker.registry().getDefaultConfig());
  }

  @Test
  void pastItsBoundTheRegistryEvictsTheHostUsedLeastRecently() throws Exception {
    StoicCircuitBreaker breaker = StoicCircuitBreaker.builder().maxHosts(3).build();
    breaker.permitNanos("a", true);
    breaker.permitNanos("b", true);
    breaker.permitNanos("c", true);
    breaker.permitNanos("a", true);
    breaker.permitNanos("d", true);
    assertEquals(Set.of("a", "c", "d"), names(breaker));
    assertEquals(3, breaker.hosts());
    breaker.onFailure("c", FailureKind.CONNECT);
    breaker.permitNanos("e", true);
    assertEquals(Set.of("c", "d", "e"), names(breaker));
  }

  @Test
  void theRegistryBehavesAsAnLruCacheAndNeverGrowsPastItsBound() {
    Properties.forAll("circuit registry is an LRU cache of its bound", 200,
        r -> {
          int bound = 1 + r.nextInt(8);
          List<String> hosts = new ArrayList<>();
          for (int i = r.nextInt(200); i > 0; i--) hosts.add("h" + r.nextInt(bound * 3));
          return new Uses(bound, hosts);
        },
        input -> {
          int bound = input.bound();
          List<String> uses = input.hosts();
          StoicCircuitBreaker breaker = StoicCircuitBreaker.builder()
              .clock(new VirtualClock()).maxHosts(bound).build();
          Map<String, Boolean> model = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > bound;
            }
          };
          for (String host : uses) {
            breaker.reserveNanos(host);
            model.put(host, true);
            assertTrue(breaker.hosts() <= bound);
            assertEquals(new TreeSet<>(model.keySet()), names(breaker));
          }
        });
  }

  record Uses(int bound, List<String> hosts) {}

  static Set<String> names(StoicCircuitBreaker breaker) {
    return breaker.registry().getAllCircuitBreakers().stream()
        .map(CircuitBreaker::getName)
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
