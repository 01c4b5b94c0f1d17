package dev.stoic.fleet;

/**
 * What the fleet knows about one quota, as kept beside its bucket in the store: the quota the
 * server announced ({@code limit} per {@code windowMillis}; 0 for unknown) and the wall-clock time
 * before which no instance may call ({@code holdUntilMillis}, epoch milliseconds; 0 for none).
 * {@code version} is the epoch millisecond at which the quota was first announced in this form,
 * so that a newer announcement replaces an older one and the bucket follows it. A {@code
 * learned} quota is the fleet's measure of a server that announces none ({@link Learning}):
 * {@code limit} is the rate it let through, 0 while the fleet is still measuring it; {@code
 * settled} once measured.
 *
 * <p>Encoded as {@code "1;limit;windowMillis;holdUntilMillis;version"}, plus {@code ";S"} when
 * learned and {@code ";L"} when learned and settled: a few bytes, no serializer needed on
 * Hazelcast members, readable with {@code redis-cli GET}.
 */
record FleetState(long limit, long windowMillis, long holdUntilMillis, long version,
    boolean learned, boolean settled) {
  static final FleetState NONE = new FleetState(0, 0, 0, 0);

  FleetState(long limit, long windowMillis, long holdUntilMillis, long version) {
    this(limit, windowMillis, holdUntilMillis, version, false, false);
  }

  /** A learned quota of {@code limit}, set at {@code version}, keeping this state's hold. */
  FleetState learned(long limit, long version, boolean settled) {
    return new FleetState(limit, Learning.WINDOW_MILLIS, holdUntilMillis, version, true, settled);
  }

  boolean paced() {
    return limit > 0 && windowMillis > 0;
  }

  /** A quota the server announced (not one learned). */
  boolean announced() {
    return paced() && !learned;
  }

  boolean sameQuota(long limit, long windowMillis) {
    return !learned && this.limit == limit && this.windowMillis == windowMillis;
  }

  /**
   * This state and {@code other} together: the later hold, the newer quota; an announced quota
   * wins over a learned one, whatever their versions.
   */
  FleetState merge(FleetState other) {
    if (other == null) return this;
    boolean theirs = other.announced() != announced() ? other.announced() : other.version > version;
    FleetState quota = theirs ? other : this;
    return new FleetState(quota.limit, quota.windowMillis,
        Math.max(holdUntilMillis, other.holdUntilMillis), Math.max(version, other.version),
        quota.learned, quota.settled);
  }

  FleetState withHold(long holdUntilMillis) {
    return new FleetState(limit, windowMillis, Math.max(this.holdUntilMillis, holdUntilMillis),
        version, learned, settled);
  }

  String encode() {
    return "1;" + limit + ";" + windowMillis + ";" + holdUntilMillis + ";" + version
        + (learned ? settled ? ";L" : ";S" : "");
  }

  /** The state a stored value holds; {@link #NONE} for null or anything not written by us. */
  static FleetState decode(String value) {
    if (value == null) return NONE;
    String[] parts = value.split(";", -1);
    boolean learned = parts.length == 6 && (parts[5].equals("L") || parts[5].equals("S"));
    if ((parts.length != 5 && !learned) || !parts[0].equals("1")) return NONE;
    try {
      long limit = Long.parseLong(parts[1]);
      long window = Long.parseLong(parts[2]);
      long hold = Long.parseLong(parts[3]);
      long version = Long.parseLong(parts[4]);
      if (limit < 0 || window < 0 || hold < 0 || version < 0) return NONE;
      return new FleetState(limit, window, hold, version, learned,
          learned && parts[5].equals("L"));
    } catch (NumberFormatException e) {
      return NONE;
    }
  }
}
