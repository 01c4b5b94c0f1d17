package dev.stoic.fleet;

/**
 * What the fleet knows about one quota, as kept beside its bucket in the store: the quota
 * ({@code limit} per {@code windowMillis}; 0 for unknown) and the wall-clock time before which no
 * instance may call ({@code holdUntilMillis}, epoch milliseconds; 0 for none). {@code version} is
 * the epoch millisecond at which the quota was set in this form, so that a newer one replaces an
 * older one and the bucket follows it.
 *
 * <p>A quota the server announced has {@code growth} 0. One the fleet learned from 429s, with
 * nothing announced, has the percent by which it grows each window since {@code version} (see
 * {@link Pace#of}); while {@code limit} is still 0 the fleet is measuring the server's rate.
 *
 * <p>Encoded as {@code "1;limit;windowMillis;holdUntilMillis;version"}, plus {@code ";growth"}
 * for a learned quota: a few bytes, no serializer needed on Hazelcast members, readable with
 * {@code redis-cli GET}.
 */
record FleetState(long limit, long windowMillis, long holdUntilMillis, long version, int growth) {
  static final FleetState NONE = new FleetState(0, 0, 0, 0, 0);

  FleetState(long limit, long windowMillis, long holdUntilMillis, long version) {
    this(limit, windowMillis, holdUntilMillis, version, 0);
  }

  boolean paced() {
    return limit > 0 && windowMillis > 0;
  }

  /** A quota the server stated. */
  boolean announced() {
    return paced() && growth == 0;
  }

  /** Learning a quota from 429s: measuring (limit 0) or pacing at what it learned. */
  boolean learning() {
    return growth > 0;
  }

  boolean sameQuota(long limit, long windowMillis) {
    return growth == 0 && this.limit == limit && this.windowMillis == windowMillis;
  }

  /**
   * This state and {@code other} together: the later hold, and the quota the server announced
   * over one learned, else the newer.
   */
  FleetState merge(FleetState other) {
    if (other == null) return this;
    boolean theirs = announced() != other.announced() ? other.announced() : other.version > version;
    FleetState quota = theirs ? other : this;
    return new FleetState(quota.limit, quota.windowMillis,
        Math.max(holdUntilMillis, other.holdUntilMillis), Math.max(version, other.version),
        quota.growth);
  }

  FleetState withHold(long holdUntilMillis) {
    return new FleetState(limit, windowMillis, Math.max(this.holdUntilMillis, holdUntilMillis),
        version, growth);
  }

  String encode() {
    return "1;" + limit + ";" + windowMillis + ";" + holdUntilMillis + ";" + version
        + (growth == 0 ? "" : ";" + growth);
  }

  /** The state a stored value holds; {@link #NONE} for null or anything not written by us. */
  static FleetState decode(String value) {
    if (value == null) return NONE;
    String[] parts = value.split(";", -1);
    if (parts.length < 5 || parts.length > 6 || !parts[0].equals("1")) return NONE;
    try {
      long limit = Long.parseLong(parts[1]);
      long window = Long.parseLong(parts[2]);
      long hold = Long.parseLong(parts[3]);
      long version = Long.parseLong(parts[4]);
      int growth = parts.length == 6 ? Integer.parseInt(parts[5]) : 0;
      if (limit < 0 || window < 0 || hold < 0 || version < 0) return NONE;
      if (parts.length == 6 && (growth < 1 || growth > 100)) return NONE;
      return new FleetState(limit, window, hold, version, growth);
    } catch (NumberFormatException e) {
      return NONE;
    }
  }
}
