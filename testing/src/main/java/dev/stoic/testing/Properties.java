package dev.stoic.testing;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a property over many generated inputs, reproducibly: the same seed gives the same inputs on
 * every machine, so a failure seen on CI is a failure seen on a laptop.
 *
 * <pre>{@code
 * Properties.forAll("parse never throws", 1000,
 *     r -> Generators.strings(Generators.anyChar(), 40).apply(r),
 *     value -> RetryAfter.parse(value, NOW));
 * }</pre>
 *
 * <p>Every run uses {@link #DEFAULT_SEED} unless {@code -Dstoic.seed=N} names another ({@code
 * -Dstoic.seed=random} draws one and reports it). Each property mixes its name into the seed, so
 * properties do not see the same stream, and each try gets its own split of that stream. A failing
 * try throws an {@link AssertionError} naming the property, the seed, the try number and the
 * input, with the original failure as its cause. There is no shrinking: generators lean towards
 * small values and edge cases instead, so a failing input is usually short already.
 *
 * <p>Why not jqwik: jqwik 1.10's maintainers ask AI agents not to use the library, and we respect
 * that.
 *
 * <p>Stateless and thread-safe.
 */
public final class Properties {
  /** The seed every run uses unless {@code -Dstoic.seed} overrides it. Any fixed value will do. */
  public static final long DEFAULT_SEED = 20261122L;

  private Properties() {}

  /**
   * Checks {@code property} on {@code tries} inputs made by {@code generator}.
   *
   * @param name names the property in a failure; mixed into the seed, so keep it stable
   * @param property fails by throwing anything (an assertion, or the code under test throwing)
   * @throws AssertionError on the first failing try, naming seed, try and input
   */
  public static <T> void forAll(
      String name, int tries, Function<SplittableRandom, T> generator, Consumer<T> property) {
    if (tries < 1) throw new IllegalArgumentException("tries must be >= 1: " + tries);
    long seed = seed();
    SplittableRandom stream = new SplittableRandom(mix(seed, name));
    for (int attempt = 1; attempt <= tries; attempt++) {
      SplittableRandom random = stream.split();
      T input;
      try {
        input = generator.apply(random);
      } catch (Throwable t) {
        throw new AssertionError(header(name, seed, attempt, tries) + ": the generator threw", t);
      }
      try {
        property.accept(input);
      } catch (Throwable t) {
        throw new AssertionError(
            header(name, seed, attempt, tries) + "\n  input: " + describe(input)
                + "\n  failure: " + t, t);
      }
    }
  }

  /** The seed for this run: {@code -Dstoic.seed}, or {@link #DEFAULT_SEED}. */
  public static long seed() {
    String configured = System.getProperty("stoic.seed");
    if (configured == null || configured.isBlank()) return DEFAULT_SEED;
    if (configured.equals("random")) return RandomSeed.VALUE;
    try {
      return Long.parseLong(configured.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-Dstoic.seed must be a long or \"random\": " + configured);
    }
  }

  /** One random seed per test JVM, so that every property of a run reports the same one. */
  private static final class RandomSeed {
    static final long VALUE = new SplittableRandom().nextLong();
  }

  private static String header(String name, long seed, int attempt, int tries) {
    return "property \"" + name + "\" failed on try " + attempt + " of " + tries + " with seed "
        + seed + " (rerun with -Dstoic.seed=" + seed + ")";
  }

  /** Mixes the property name into the seed (the SplitMix64 finaliser spreads nearby values). */
  private static long mix(long seed, String name) {
    long z = seed + 0x9E3779B97F4A7C15L * (name.hashCode() + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * Shows an input so that it can be pasted back into a test: strings quoted with Java escapes
   * for anything outside printable ASCII, records and collections element by element.
   */
  public static String describe(Object value) {
    if (value == null) return "null";
    if (value instanceof CharSequence) return quote(value.toString());
    if (value instanceof Character) return "'" + escape(value.toString()) + "'";
    if (value instanceof Collection) {
      StringJoiner joiner = new StringJoiner(", ", "[", "]");
      for (Object element : (Collection<?>) value) joiner.add(describe(element));
      return joiner.toString();
    }
    if (value.getClass().isRecord()) return describeRecord(value);
    return String.valueOf(value);
  }

  private static String describeRecord(Object record) {
    StringJoiner joiner = new StringJoiner(", ", record.getClass().getSimpleName() + "[", "]");
    try {
      for (RecordComponent component : record.getClass().getRecordComponents()) {
        var accessor = component.getAccessor();
        accessor.setAccessible(true);
        joiner.add(component.getName() + "=" + describe(accessor.invoke(record)));
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      return String.valueOf(record);
    }
    return joiner.toString();
  }

  private static String quote(String s) {
    return "\"" + escape(s) + "\"";
  }

  private static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\t': out.append("\\t"); break;
        case '\r': out.append("\\r"); break;
        case '\n': out.append("\\n"); break;
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        default:
          if (c >= 0x20 && c < 0x7f) {
            out.append(c);
          } else {
            out.append(String.format("\\u%04x", (int) c));
          }
      }
    }
    return out.toString();
  }
}
