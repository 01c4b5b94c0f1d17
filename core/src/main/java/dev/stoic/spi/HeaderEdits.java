package dev.stoic.spi;

import java.util.Arrays;

/**
 * The headers an attempt sets on the caller's request, each replacing any value the request has
 * under that name. {@link #NONE} when the request goes out unchanged, which costs nothing.
 *
 * <pre>{@code
 * HeaderEdits edits = attempt.headerEdits(name -> request.headers().allValues(name));
 * for (int i = 0; i < edits.size(); i++) builder.setHeader(edits.name(i), edits.value(i));
 * }</pre>
 *
 * <p>Immutable.
 */
public final class HeaderEdits {
  /** No header to set. */
  public static final HeaderEdits NONE = new HeaderEdits(new String[0], 0);

  private final String[] namesAndValues;
  private final int size;

  private HeaderEdits(String[] namesAndValues, int size) {
    this.namesAndValues = namesAndValues;
    this.size = size;
  }

  /** Edits of {@code namesAndValues}: name, value, name, value... Null pairs are skipped. */
  public static HeaderEdits of(String... namesAndValues) {
    String[] kept = new String[namesAndValues.length];
    int n = 0;
    for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
      if (namesAndValues[i] == null || namesAndValues[i + 1] == null) continue;
      kept[2 * n] = namesAndValues[i];
      kept[2 * n + 1] = namesAndValues[i + 1];
      n++;
    }
    return n == 0 ? NONE : new HeaderEdits(kept, n);
  }

  /** How many headers to set. */
  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** The name of header {@code i}, as the policy spells it. */
  public String name(int i) {
    return namesAndValues[2 * checked(i)];
  }

  /** The value of header {@code i}. */
  public String value(int i) {
    return namesAndValues[2 * checked(i) + 1];
  }

  private int checked(int i) {
    if (i < 0 || i >= size) throw new IndexOutOfBoundsException(i + " of " + size);
    return i;
  }

  /** Names only: values may be credentials. */
  @Override
  public String toString() {
    String[] names = new String[size];
    for (int i = 0; i < size; i++) names[i] = namesAndValues[2 * i];
    return "HeaderEdits" + Arrays.toString(names);
  }
}
