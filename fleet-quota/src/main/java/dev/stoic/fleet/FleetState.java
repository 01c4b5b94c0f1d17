package dev.stoic.fleet;

/**
 * What the fleet knows about one quota, as kept beside its bucket in the store: the quota the
 * server announced ({@code limit} per {@code windowMillis}; 0 for unknown) and the wall-clock time
 * before which no instance may call ({@code holdUntilMillis}, epoch milliseconds; 0 for none).
 * {@code version} is the epoch millisecond at which the quota was first announced in this form,
 * so that a newer announcement replaces an older one and the bucket follows it.
 *
 * <p>Encoded as {@code "1;limit;windowMillis;holdUntilMillis;version"}: a few bytes, no
 * serializer needed on Hazelcast members, readable with {@code redis-cli GET}.
 */
record FleetState(long limit, long windowMillis, long holdUntilMillis, long version) {
  static final FleetState NONE = new FleetState(0, 0, 0, 0);

  boolean paced() {
    return limit > 0 && windowMillis > 0;
  }

  boolean sameQuota(long limit, long windowMillis) {
    return this.limit == limit && this.windowMillis == windowMillis;
  }

  /** This state and {@code other} together: the later hold, the newer quota. */
  FleetState merge(FleetState other) {
    if (other == null) return this;
    boolean theirs = other.version > version;
    return new FleetState(theirs ? other.limit : limit, theirs ? other.windowMillis : windowMillis,
        Math.max(holdUntilMillis, other.holdUntilMillis), Math.max(version, other.version));
  }

  FleetState withHold(long holdUntilMillis) {
    return new FleetState(limit, windowMillis, Math.max(this.holdUntilMillis, holdUntilMillis),
        version);
  }

  String encode() {
    return "1;" + limit + ";" + windowMillis + ";" + holdUntilMillis + ";" + version;
  }

  /** The state a stored value holds; {@link #NONE} for null or anything not written by us. */
  static FleetState decode(String value) {
    if (value == null) return NONE;
    String[] parts = value.split(";", -1);
    if (parts.length != 5 || !parts[0].equals("1")) return NONE;
    try {
      long limit = Long.parseLong(parts[1]);
      long window = Long.parseLong(parts[2]);
      long hold = Long.parseLong(parts[3]);
      long version = Long.parseLong(parts[4]);
      if (limit < 0 || window < 0 || hold < 0 || version < 0) return NONE;
      return new FleetState(limit, window, hold, version);
    } catch (NumberFormatException e) {
      return NONE;
    }
  }
}
