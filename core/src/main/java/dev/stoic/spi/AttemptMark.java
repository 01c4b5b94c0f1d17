package dev.stoic.spi;

/**
 * The mark of an attempt a Stoic layer is already retrying. An adapter puts it on what it hands
 * its client for each attempt (a request tag, a body handler that implements it), and an adapter
 * that finds it sends the attempt once and leaves the retrying to the outer layer: two Stoic
 * layers on one call make five attempts five, not twenty-five.
 *
 * <pre>{@code
 * if (AttemptMark.isOn(request.tag(AttemptMark.class))) return chain.proceed(request);
 * }</pre>
 */
public interface AttemptMark {
  /** The mark as a value, for clients that carry it as a tag. */
  AttemptMark OUTER = new AttemptMark() {
    @Override
    public String toString() {
      return "AttemptMark.OUTER";
    }
  };

  /** True if {@code carrier} (a tag, a handler) marks an attempt of an outer Stoic layer. */
  static boolean isOn(Object carrier) {
    return carrier instanceof AttemptMark;
  }
}
