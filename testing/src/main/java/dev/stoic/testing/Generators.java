package dev.stoic.testing;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Input generators for {@link Properties#forAll}: each is a function from a seeded random
 * stream to a value.
 *
 * <p>Numbers lean towards their edges and towards small magnitudes, as hand-picked examples do:
 * one draw in ten is an edge value (the bounds, their neighbours, 0 and ±1 when in range), and of
 * the rest half are uniform over the range and half are near its lower bound. Strings and lists
 * have a uniform length, with the empty and the longest one as edges. Without shrinking, that keeps
 * failing inputs small enough to read. Stateless and thread-safe.
 */
public final class Generators {
  private Generators() {}

  /** A long in {@code [min, max]}. */
  public static Function<SplittableRandom, Long> longs(long min, long max) {
    if (min > max) throw new IllegalArgumentException("min > max: " + min + " > " + max);
    long[] edges = Arrays.stream(new long[] {
            min, max, min + 1, max - 1, 0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE})
        .filter(v -> v >= min && v <= max)
        .distinct()
        .toArray();
    return r -> {
      int pick = r.nextInt(20);
      if (pick < 2) return edges[r.nextInt(edges.length)];
      if (pick < 11) return uniform(r, min, max);
      long span = max - min; // negative when the range is wider than Long.MAX_VALUE
      long limit = 1L << r.nextInt(63);
      long bound = span >= 0 && span < limit ? span : limit - 1;
      return min + uniform(r, 0, bound);
    };
  }

  /** An int in {@code [min, max]}, leaning like {@link #longs}. */
  public static Function<SplittableRandom, Integer> ints(int min, int max) {
    Function<SplittableRandom, Long> longs = longs(min, max);
    return r -> longs.apply(r).intValue();
  }

  /** A BigInteger in {@code [min, max]}: the bounds as edges, else uniform or near {@code min}. */
  public static Function<SplittableRandom, BigInteger> bigIntegers(BigInteger min, BigInteger max) {
    if (min.compareTo(max) > 0) throw new IllegalArgumentException("min > max");
    BigInteger span = max.subtract(min);
    return r -> {
      int pick = r.nextInt(20);
      if (pick == 0) return min;
      if (pick == 1) return max;
      if (pick < 11) return min.add(uniform(r, span));
      BigInteger limit = BigInteger.ONE.shiftLeft(r.nextInt(span.bitLength() + 1));
      return min.add(uniform(r, span.min(limit)));
    };
  }

  /** A UTF-16 char of any value, lone surrogates included, with ASCII drawn more often. */
  public static Function<SplittableRandom, Character> anyChar() {
    char[] edges = {'\u0000', '\uffff', ' ', '\u007f', '\ud800', '\udfff', '\u00a0', '\ufeff'};
    return r -> {
      int pick = r.nextInt(10);
      if (pick == 0) return edges[r.nextInt(edges.length)];
      if (pick < 4) return (char) r.nextInt(0x80);
      return (char) r.nextInt(0x10000);
    };
  }

  /** A char from {@code alphabet}. */
  public static Function<SplittableRandom, Character> charsOf(String alphabet) {
    if (alphabet.isEmpty()) throw new IllegalArgumentException("empty alphabet");
    return r -> alphabet.charAt(r.nextInt(alphabet.length()));
  }

  /** A string of 0 to {@code maxLength} chars from {@code chars}. */
  public static Function<SplittableRandom, String> strings(
      Function<SplittableRandom, Character> chars, int maxLength) {
    return r -> {
      int length = length(r, maxLength);
      StringBuilder s = new StringBuilder(length);
      for (int i = 0; i < length; i++) s.append(chars.apply(r));
      return s.toString();
    };
  }

  /** A list of 0 to {@code maxSize} elements from {@code elements}. */
  public static <T> Function<SplittableRandom, List<T>> lists(
      Function<SplittableRandom, ? extends T> elements, int maxSize) {
    return r -> {
      int size = length(r, maxSize);
      List<T> list = new ArrayList<>(size);
      for (int i = 0; i < size; i++) list.add(elements.apply(r));
      return list;
    };
  }

  /** One of {@code values}, each equally likely. */
  @SafeVarargs
  @SuppressWarnings("varargs") // the array is only copied, as in Arrays.asList
  public static <T> Function<SplittableRandom, T> elementOf(T... values) {
    List<T> copy = List.of(values);
    return r -> copy.get(r.nextInt(copy.size()));
  }

  /** A value from one of {@code generators}, each equally likely. */
  @SafeVarargs
  @SuppressWarnings("varargs") // the array is only copied, as in Arrays.asList
  public static <T> Function<SplittableRandom, T> oneOf(
      Function<SplittableRandom, ? extends T>... generators) {
    List<Function<SplittableRandom, ? extends T>> copy = List.of(generators);
    return r -> copy.get(r.nextInt(copy.size())).apply(r);
  }

  /** An instant whose epoch second is in {@code [fromSecond, toSecond]}, with any nanosecond. */
  public static Function<SplittableRandom, Instant> instants(long fromSecond, long toSecond) {
    Function<SplittableRandom, Long> seconds = longs(fromSecond, toSecond);
    Function<SplittableRandom, Integer> nanos = ints(0, 999_999_999);
    return r -> Instant.ofEpochSecond(seconds.apply(r), nanos.apply(r));
  }

  /**
   * Any double: NaN, the infinities, ±0, the extremes, values in and around {@code [0, 1]}, and
   * uniformly random bit patterns.
   */
  public static Function<SplittableRandom, Double> doubles() {
    double[] edges = {
        Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 1.0, -1.0,
        Math.nextDown(1.0), Math.nextUp(1.0), Double.MIN_VALUE, -Double.MIN_VALUE,
        Double.MAX_VALUE, -Double.MAX_VALUE, 0.5
    };
    return r -> {
      int pick = r.nextInt(10);
      if (pick < 2) return edges[r.nextInt(edges.length)];
      if (pick < 6) return r.nextDouble();
      if (pick < 8) return r.nextDouble(-2.0, 3.0);
      return Double.longBitsToDouble(r.nextLong());
    };
  }

  private static int length(SplittableRandom r, int max) {
    int pick = r.nextInt(20);
    if (pick == 0) return 0;
    if (pick == 1) return max;
    return r.nextInt(max + 1);
  }

  /** Uniform in {@code [min, max]}, for any pair of longs with {@code min <= max}. */
  private static long uniform(SplittableRandom r, long min, long max) {
    if (max < Long.MAX_VALUE) return r.nextLong(min, max + 1);
    if (min > Long.MIN_VALUE) return r.nextLong(min - 1, max) + 1;
    return r.nextLong();
  }

  /** Uniform in {@code [0, bound]}, by rejection over bound's bit length. */
  private static BigInteger uniform(SplittableRandom r, BigInteger bound) {
    int bits = bound.bitLength();
    if (bits == 0) return BigInteger.ZERO;
    byte[] bytes = new byte[(bits + 7) / 8];
    while (true) {
      r.nextBytes(bytes);
      int excess = bytes.length * 8 - bits;
      bytes[0] &= (byte) (0xff >>> excess);
      BigInteger candidate = new BigInteger(1, bytes);
      if (candidate.compareTo(bound) <= 0) return candidate;
    }
  }
}
