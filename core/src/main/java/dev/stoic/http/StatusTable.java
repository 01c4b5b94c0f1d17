package dev.stoic.http;

import static dev.stoic.http.UnknownStatuses.MAX_CODE;
import static dev.stoic.http.UnknownStatuses.MIN_CODE;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The default treatment of every HTTP status code: whether a response with that code is returned
 * as it is, retried, retried only under a condition, or never retried.
 *
 * <p>The table lists every code named in the status-code guides the defaults are drawn from, each
 * with a one-line reason and a plain-language meaning. A code it does not list still gets an entry:
 * an unknown code in 100..599 takes the treatment of its class (1xx, 2xx and 3xx pass through,
 * 4xx is never retried, 5xx is retried when safe), and a code outside that range is an "Invalid
 * status" that is never retried. The published page {@code docs/status-codes.md} is generated from
 * {@link #toMarkdown()}.
 *
 * <pre>{@code
 * StatusTable table = StatusTable.defaults();
 * if (table.lookup(response.code()).retryability() == Retryability.ALWAYS) { ... }
 * }</pre>
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class StatusTable {
  private static final StatusTable DEFAULTS = new StatusTable(KnownStatuses.all());

  /**
   * One entry per code in 100..599, indexed by {@code code - 100}: the listed entry, or the
   * unknown-class entry built once here, so that {@link #lookup} never allocates for a code in
   * range. 500 small records are cheaper than an allocation per unknown code on the hot path.
   */
  private final StatusEntry[] byCode = new StatusEntry[MAX_CODE - MIN_CODE + 1];

  private final boolean[] known = new boolean[MAX_CODE - MIN_CODE + 1];
  private final List<StatusEntry> entries;

  private StatusTable(List<StatusEntry> rows) {
    List<StatusEntry> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparingInt(StatusEntry::code));
    for (StatusEntry entry : sorted) {
      int code = entry.code();
      if (code < MIN_CODE || code > MAX_CODE) {
        throw new IllegalArgumentException(
            "status outside " + MIN_CODE + ".." + MAX_CODE + ": " + code);
      }
      if (known[code - MIN_CODE]) {
        throw new IllegalArgumentException("status listed twice: " + code);
      }
      known[code - MIN_CODE] = true;
      byCode[code - MIN_CODE] = entry;
    }
    for (int code = MIN_CODE; code <= MAX_CODE; code++) {
      if (!known[code - MIN_CODE]) {
        byCode[code - MIN_CODE] = UnknownStatuses.byClass(code);
      }
    }
    this.entries = List.copyOf(sorted);
  }

  /** Returns the default table, the same instance on every call. */
  public static StatusTable defaults() {
    return DEFAULTS;
  }

  /**
   * Returns the entry for {@code code}; never null.
   *
   * <p>A listed code returns its own entry; an unlisted code in 100..599 returns an entry named
   * for its class, such as "Unknown 4xx", carrying {@code code}; any other code returns an
   * "Invalid status" entry treated as {@link Retryability#NEVER}. Codes in 100..599 are answered
   * from an array without allocating.
   */
  public StatusEntry lookup(int code) {
    if (code < MIN_CODE || code > MAX_CODE) {
      return UnknownStatuses.invalid(code);
    }
    return byCode[code - MIN_CODE];
  }

  /** Returns true if the table lists {@code code} itself rather than falling back to its class. */
  public boolean isKnown(int code) {
    return code >= MIN_CODE && code <= MAX_CODE && known[code - MIN_CODE];
  }

  /** Returns the listed entries in ascending code order, as an unmodifiable list. */
  public List<StatusEntry> entries() {
    return entries;
  }

  /**
   * Returns the full documentation page for this table in Markdown: a title, an introduction to
   * the {@link Retryability} values, one row per listed code, and the treatment of unknown and
   * invalid codes. The output uses {@code \n} line endings and is the same on every call.
   */
  public String toMarkdown() {
    return StatusMarkdown.render(this);
  }

  @Override
  public String toString() {
    return "StatusTable{" + entries.size() + " listed codes}";
  }
}
