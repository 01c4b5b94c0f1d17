package dev.stoic.reliability.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;

/**
 * A server that misbehaves at random, reproducibly, and keeps a ledger of side effects.
 *
 * <p>Each arrival's fault is a function of the seed, the call's request id and the attempt
 * number, so a run is the same whatever order concurrent calls arrive in. Requests that are
 * "processed" execute their side effect: it is counted per request id, and for a POST with an
 * {@code Idempotency-Key} the server deduplicates as a real one would: a key seen before returns
 * the stored result without executing again, and counts as a duplicate attempt absorbed.
 */
public final class HostileServer implements Server.Handler {
  public static final String KEY_HEADER = "Idempotency-Key";
  /** Paths under this one are always answered 200, for leak probes and warm-ups. */
  public static final String PROBE_PATH = "/probe";
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  /** What the server does with one arrival. */
  public enum Fault {
    /** Answers 200 at once. */
    NONE(false),
    /** Closes the connection before any response byte, without executing the request. */
    DROP_BEFORE_PROCESSING(false),
    /** Executes the request, then closes the connection before any response byte. */
    PROCESS_THEN_DROP(true),
    /** 503 with a Retry-After that is valid, absent, zero, in the past, garbage or huge. */
    UNAVAILABLE_503(false),
    /** 429 with a Retry-After as for 503, or one beyond any integer type. */
    TOO_MANY_429(false),
    /** Executes, then answers 200 after 20 to 50 ms: within the attempt timeout. */
    SLOW(true),
    /** Executes, then answers 200 after 150 to 250 ms: past a 100 ms attempt timeout. */
    TOO_SLOW(true),
    /** Executes (and fails) and answers 500. */
    ERROR_500(true);

    final boolean executes;

    Fault(boolean executes) {
      this.executes = executes;
    }
  }

  /** The kinds of Retry-After a 503 or 429 carries. */
  public enum Hint { NONE, ZERO, ONE_SECOND, PAST_DATE, GARBAGE, HUGE_SECONDS, FAR_DATE, OVERFLOW }

  private static final String[] GARBAGE = {
      "soon", "1.5", "-1", "+3", "10s", "1e3", "0x10", "", " ", "NaN", "3, 5",
      "Sun, 31 Feb 2026 10:00:00 GMT", "Mon, 22 Nov 2026 10:00:00 PST", "\"2\"", "2;q=1",
  };

  private final long seed;
  private final EnumMap<Fault, Integer> weights;
  private final int weightTotal;
  public final Map<Fault, AtomicInteger> faults = new ConcurrentHashMap<>();
  public final Map<Hint, AtomicInteger> hints = new ConcurrentHashMap<>();
  /** Side effects executed, per request id. */
  public final Map<String, AtomicInteger> executionsById = new ConcurrentHashMap<>();
  /** Side effects executed, per idempotency key (keyed POSTs). */
  public final Map<String, AtomicInteger> executionsByKey = new ConcurrentHashMap<>();
  /** Every idempotency key each call sent, over all its attempts. */
  public final Map<String, Set<String>> keysById = new ConcurrentHashMap<>();
  /** The method of each call. */
  public final Map<String, String> methodById = new ConcurrentHashMap<>();
  /** Arrivals with a key already executed: each one a side effect the key prevented. */
  public final AtomicLong duplicatesAbsorbed = new AtomicLong();
  public final AtomicLong arrivals = new AtomicLong();

  /** The default mix: about two arrivals in five succeed at the first try. */
  public HostileServer(long seed) {
    this(seed, defaultWeights());
  }

  public HostileServer(long seed, EnumMap<Fault, Integer> weights) {
    this.seed = seed;
    this.weights = new EnumMap<>(weights);
    this.weightTotal = weights.values().stream().mapToInt(Integer::intValue).sum();
  }

  public static EnumMap<Fault, Integer> defaultWeights() {
    EnumMap<Fault, Integer> weights = new EnumMap<>(Fault.class);
    weights.put(Fault.NONE, 34);
    weights.put(Fault.DROP_BEFORE_PROCESSING, 9);
    weights.put(Fault.PROCESS_THEN_DROP, 10);
    weights.put(Fault.UNAVAILABLE_503, 12);
    weights.put(Fault.TOO_MANY_429, 11);
    weights.put(Fault.SLOW, 8);
    weights.put(Fault.TOO_SLOW, 7);
    weights.put(Fault.ERROR_500, 9);
    return weights;
  }

  @Override
  public MockResponse handle(Server.Arrival arrival) {
    if (arrival.path().startsWith(PROBE_PATH)) return new MockResponse.Builder().body("probe").build();
    arrivals.incrementAndGet();
    String id = arrival.requestId();
    methodById.putIfAbsent(id, arrival.method());
    String key = arrival.header(KEY_HEADER);
    if (key != null) keysById.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(key);

    SplittableRandom random = new SplittableRandom(mix(seed, id, arrival.attempt()));
    Fault fault = pick(random);
    faults.computeIfAbsent(fault, f -> new AtomicInteger()).incrementAndGet();
    if (fault.executes) execute(id, arrival.method(), key);

    MockResponse.Builder response = new MockResponse.Builder();
    switch (fault) {
      case NONE:
        return response.code(200).body("ok " + id).build();
      case DROP_BEFORE_PROCESSING:
      case PROCESS_THEN_DROP:
        return response.onResponseStart(new SocketEffect.CloseSocket()).build();
      case UNAVAILABLE_503:
      case TOO_MANY_429:
        int code = fault == Fault.UNAVAILABLE_503 ? 503 : 429;
        Hint hint = pickHint(random, code);
        hints.computeIfAbsent(hint, h -> new AtomicInteger()).incrementAndGet();
        String value = hintValue(hint, random);
        if (value != null) response.addHeaderLenient("Retry-After", value);
        return response.code(code).body("busy " + id).build();
      case SLOW:
        return response.code(200).body("ok " + id)
            .headersDelay(20 + random.nextInt(31), TimeUnit.MILLISECONDS).build();
      case TOO_SLOW:
        return response.code(200).body("late " + id)
            .headersDelay(150 + random.nextInt(101), TimeUnit.MILLISECONDS).build();
      case ERROR_500:
        return response.code(500).body("boom " + id).build();
      default:
        throw new AssertionError(fault);
    }
  }

  private void execute(String id, String method, String key) {
    if (key != null && method.equals("POST")) {
      AtomicInteger byKey = executionsByKey.computeIfAbsent(key, k -> new AtomicInteger());
      if (byKey.getAndUpdate(n -> n == 0 ? 1 : n) != 0) {
        duplicatesAbsorbed.incrementAndGet(); // the stored result, not a second execution
        return;
      }
    }
    executionsById.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
  }

  private Fault pick(SplittableRandom random) {
    int draw = random.nextInt(weightTotal);
    for (Map.Entry<Fault, Integer> entry : weights.entrySet()) {
      draw -= entry.getValue();
      if (draw < 0) return entry.getKey();
    }
    throw new AssertionError();
  }

  /**
   * Mostly hints that cost no time (absent, zero, past, garbage) or end retrying at once (huge),
   * and rarely a valid one second, so that the suite stays fast. OVERFLOW (30 digits) only on a
   * 429: OkHttp itself throws on such a 503 (RawClientFindingsTest).
   */
  private static Hint pickHint(SplittableRandom random, int code) {
    int draw = random.nextInt(100);
    if (draw < 10) return Hint.NONE;
    if (draw < 32) return Hint.ZERO;
    if (draw < 36) return Hint.ONE_SECOND;
    if (draw < 54) return Hint.PAST_DATE;
    if (draw < 74) return Hint.GARBAGE;
    if (draw < 84) return Hint.HUGE_SECONDS;
    if (draw < 92 || code != 429) return Hint.FAR_DATE;
    return Hint.OVERFLOW;
  }

  private static String hintValue(Hint hint, SplittableRandom random) {
    Instant now = Instant.now();
    switch (hint) {
      case NONE:
        return null;
      case ZERO:
        return random.nextBoolean() ? "0" : "000";
      case ONE_SECOND:
        return "1";
      case PAST_DATE:
        return IMF_FIXDATE.format(now.minus(Duration.ofSeconds(1 + random.nextInt(1_000_000))));
      case GARBAGE:
        return GARBAGE[random.nextInt(GARBAGE.length)];
      case HUGE_SECONDS:
        return random.nextBoolean() ? "999999999" : "2147483647";
      case FAR_DATE:
        return random.nextBoolean() ? "Fri, 31 Dec 9999 23:59:59 GMT"
            : IMF_FIXDATE.format(now.plus(Duration.ofDays(2)));
      case OVERFLOW:
        return "123456789012345678901234567890";
      default:
        throw new AssertionError(hint);
    }
  }

  /** A per-arrival seed (SplitMix64 finaliser over seed, id and attempt). */
  static long mix(long seed, String id, int attempt) {
    long z = seed + 0x9E3779B97F4A7C15L * (id.hashCode() * 31L + attempt + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  public int faultCount(Fault fault) {
    AtomicInteger count = faults.get(fault);
    return count == null ? 0 : count.get();
  }
}
