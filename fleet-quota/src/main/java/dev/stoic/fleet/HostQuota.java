package dev.stoic.fleet;

import dev.stoic.RetryClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One quota key as this instance sees it: what the fleet announced, the slots leased from the
 * shared bucket, and the local pacer used while the store does not answer.
 *
 * <p>A lease is a batch of tokens reserved in the shared bucket, which answers when the last of
 * them is paid for; the batch becomes evenly spaced send times (slots) ending then, so that the
 * fleet's attempts reach the server at the bucket's pace, one instance's batch after another's.
 * Each permit takes the next slot. A permit that finds no slot borrows one: it gets an estimated
 * time, and the next lease's first slot pays for it, so that every permit costs the fleet exactly
 * one token. Guarded by {@code this}; the fast path reads three volatile fields and takes no lock.
 */
final class HostQuota {
  private static final long NONE = Long.MIN_VALUE;
  /** A slot this far in the past is dropped (its token is lost) rather than sent late. */
  private static final long MIN_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  /** A stored state outlives its hold by this much; unused keys then vanish. */
  private static final long STATE_TTL_MILLIS = TimeUnit.HOURS.toMillis(1);

  private final String key;
  private final FleetQuota owner;
  private final RetryClock clock;

  /** The fast path reads these three without the lock. */
  private volatile boolean paced;
  private volatile long holdUntilNanos = NONE;
  private volatile long nextRefreshNanos;
  /** The fleet learns a quota nobody announced: answers are counted for it. */
  private volatile boolean counting;
  final Learning learning = new Learning();

  private FleetState state = FleetState.NONE;
  private Pace pace;
  private boolean refreshing;
  private boolean leasing;
  private boolean leaseScheduled;
  /** Leased batches, oldest first: {start, spacing, count, taken}. */
  private final ArrayDeque<long[]> leases = new ArrayDeque<>();
  /** Permits given a slot no lease had yet; the next leases pay for them first. */
  private int borrowed;
  /** The latest slot given. */
  private long lastGiven = NONE;
  /** This instance's estimated time between its own slots when the fleet is busy. */
  private long shareSpacing;
  private long lastLeaseEnd = NONE;
  /** Counts the server's window restarts this instance was told of; a lease asked for before one is void. */
  private long epoch;
  /** Leases answered, their total and longest time; for tests. */
  long leaseCount;
  long leaseNanos;
  long leaseMaxNanos;
  /** Permits given on credit, in all; for tests. */
  long credited;
  /** Leased tokens whose time passed unused; for tests. */
  long expired;
  /** The local pacer's next slot, while the store does not answer. */
  private long nextLocal = NONE;

  HostQuota(String key, FleetQuota owner) {
    this.key = key;
    this.owner = owner;
    this.clock = owner.clock;
    this.nextRefreshNanos = clock.nanoTime();
  }

  /** Nanoseconds until this attempt may go, reserving what it needs; never blocks. */
  long permit() {
    long now = clock.nanoTime();
    long hold = holdUntilNanos;
    // Fast path: nothing announced, no hold, no refresh due.
    if (!paced && (hold == NONE || hold - now <= 0) && now - nextRefreshNanos < 0) return 0;
    synchronized (this) {
      if (now - nextRefreshNanos >= 0) refresh(now);
      hold = holdUntilNanos;
      long earliest = hold != NONE && hold - now > 0 ? hold : now;
      if (pace == null) return earliest - now;
      long spacing = pace.spacingNanos();
      // A learned quota: each instance paces at its share, as last measured by the fleet's
      // counts (also while the store does not answer: alone, it would pace at the fleet's rate).
      if (state.learned()) spacing = learning.spacingNanos(spacing);
      if (state.learned() || !owner.health.up()) {
        long slot = Math.max(earliest, nextLocal == NONE ? earliest : nextLocal);
        nextLocal = slot + spacing;
        lastGiven = Math.max(lastGiven, slot);
        return slot - now;
      }
      long slot = take(earliest);
      if (slot == NONE) {
        slot = lastGiven == NONE ? earliest : Math.max(earliest, lastGiven + shareSpacing);
        borrowed++;
        credited++;
      }
      lastGiven = Math.max(lastGiven, slot);
      nextLocal = Math.max(nextLocal, slot + spacing);
      int batch = owner.batch;
      long lead = lead(spacing);
      if (earliest - now <= lead) {
        long want = borrowed + (untaken(earliest) < batch ? batch : 0);
        if (!leasing && want > 0) lease(want, now);
      } else if (!leaseScheduled) {
        // Held: tokens leased now would be paid for with time before the hold's end, while the
        // permits they pay for go after it. Lease just before the end instead.
        leaseScheduled = true;
        clock.schedule(Duration.ofNanos(earliest - now - lead), this::leaseForCredit);
      }
      return slot - now;
    }
  }

  /**
   * How long before a hold ends its attempts are leased for: long enough for the answer to be
   * back in time, and half a batch.
   */
  private long lead(long spacing) {
    return Math.max(owner.maxWaitNanos, owner.batch * spacing / 2);
  }

  /** Pays for the permits given on credit during a hold, as it ends. */
  private void leaseForCredit() {
    synchronized (this) {
      leaseScheduled = false;
      if (!leasing && borrowed > 0 && owner.health.up()) lease(borrowed, clock.nanoTime());
    }
  }

  /** The next unexpired slot at or after {@code earliest} (less the grace), or NONE. */
  private long take(long earliest) {
    while (!leases.isEmpty()) {
      long[] lease = leases.peek();
      long start = lease[0];
      long spacing = lease[1];
      long floor = earliest - Math.max(MIN_GRACE_NANOS, 2 * spacing);
      if (lease[3] < lease[2] && start + lease[3] * spacing < floor) {
        long skipTo = Math.min(lease[2], (floor - start + spacing - 1) / spacing);
        expired += skipTo - lease[3];
        lease[3] = skipTo;
      }
      if (lease[3] < lease[2]) {
        long slot = start + lease[3] * spacing;
        lease[3]++;
        return Math.max(slot, earliest);
      }
      leases.poll();
    }
    return NONE;
  }

  private long untaken(long earliest) {
    long n = 0;
    for (long[] lease : leases) {
      long floor = earliest - Math.max(MIN_GRACE_NANOS, 2 * lease[1]);
      long firstValid = floor <= lease[0] ? 0 : (floor - lease[0] + lease[1] - 1) / lease[1];
      n += Math.max(0, lease[2] - Math.max(lease[3], firstValid));
    }
    return n;
  }

  private void lease(long tokens, long now) {
    leasing = true;
    Pace asked = pace;
    long leaseEpoch = epoch;
    send(StoreHealth.Request.LEASE, () -> owner.session.reserve(key, tokens, asked))
        .whenComplete((penalty, e) -> leased(leaseEpoch, now, tokens, asked, penalty, e));
  }

  /**
   * A lease's answer. Its wait counts from when the store read its clock, which is nearer the
   * request's time than the answer's: counting from the answer would leave a round trip's gap
   * between one instance's batch and the next, unused quota.
   */
  private void leased(long leaseEpoch, long asked, long tokens, Pace pace, Long penalty,
      Throwable e) {
    long now = clock.nanoTime();
    synchronized (this) {
      leasing = false;
      leaseCount++;
      leaseNanos += now - asked;
      leaseMaxNanos = Math.max(leaseMaxNanos, now - asked);
      if (leaseEpoch != epoch) return; // asked for before the server's window restarted
      if (e != null || penalty == null || penalty == Long.MAX_VALUE) {
        // Permits given on credit go as local behaviour does; nothing was reserved for them.
        borrowed = 0;
        if (e == null) owner.health.failed(new IllegalStateException("no reservation"));
        return;
      }
      long spacing = pace.spacingNanos();
      long end = asked + penalty;
      long start = Math.max(now, end - (tokens - 1) * spacing);
      if (penalty > 0 && lastLeaseEnd != NONE) {
        // The fleet is busy: this instance gets a slot every (end - lastEnd) / tokens.
        long observed = Math.max(spacing, (end - lastLeaseEnd) / tokens);
        shareSpacing = Math.min(1000 * spacing, (shareSpacing + observed) / 2);
      } else if (penalty == 0) {
        shareSpacing = spacing;
      }
      lastLeaseEnd = end;
      long paid = Math.min(borrowed, tokens);
      borrowed -= (int) paid;
      long count = tokens - paid;
      if (count > 0) leases.add(new long[] {start + paid * spacing, spacing, count, 0});
    }
  }

  private void refresh(long now) {
    nextRefreshNanos = now + owner.refreshNanos;
    if (counting) count();
    if (refreshing) return;
    refreshing = true;
    send(StoreHealth.Request.READ, () -> owner.session.read(key)).whenComplete((read, e) -> {
      synchronized (this) {
        refreshing = false;
        if (e == null) adopt(state.merge(read));
      }
    });
  }

  /** An answer the server let through (not a 429 or 503); counted while the fleet learns. */
  void accepted() {
    if (counting) learning.accepted(clock.instant().toEpochMilli());
  }

  /**
   * A 429 that announced nothing and asked for a wait of one learning window at most: unless
   * a quota was announced (then it holds the fleet, as {@link #announce} does), it holds nobody
   * but the attempt it answered (which waits its own {@code Retry-After}), and the fleet learns
   * the server's rate ({@link Learning}) and paces at it.
   */
  void rateLimited(long holdUntilMillis) {
    synchronized (this) {
      if (state.announced()) {
        if (holdUntilMillis > 0) announce(holdUntilMillis, 0, 0);
        return;
      }
      long nowMillis = clock.instant().toEpochMilli();
      learning.refused(nowMillis);
      if (state.learned()) return;
      write(state.learned(0, Math.max(nowMillis, state.version() + 1), false), nowMillis);
    }
  }

  /**
   * Adds what this instance counted to the fleet's counts, and reads the fleet's counts of the
   * last window once every instance has reported it. Holds by the lock.
   */
  private void count() {
    for (Map.Entry<Long, long[]> counted : learning.takeUnreported().entrySet()) {
      long[] c = counted.getValue();
      // Not repeated when it fails: one that did not answer in time may yet have been added.
      send(StoreHealth.Request.COUNT, () -> owner.session.count(key, counted.getKey(), c));
    }
    long nowMillis = clock.instant().toEpochMilli();
    long settle = TimeUnit.NANOSECONDS.toMillis(2 * owner.refreshNanos + owner.maxWaitNanos);
    long window = learning.due(nowMillis, settle, state.version());
    if (window == Long.MIN_VALUE) return;
    send(StoreHealth.Request.COUNT, () -> owner.session.counts(key, window))
        .whenComplete((totals, e) -> {
          if (e != null) return;
          synchronized (this) {
            if (!state.learned() || window * Learning.WINDOW_MILLIS < state.version()) return;
            FleetState next = learning.decide(state, window, totals);
            if (next != null && next.version() > state.version()) {
              write(next, clock.instant().toEpochMilli());
            }
          }
        });
  }

  /** Adopts {@code next} and stores it for the fleet. Holds by the lock. */
  private void write(FleetState next, long nowMillis) {
    adopt(next);
    long ttl = Math.max(0, next.holdUntilMillis() - nowMillis) + STATE_TTL_MILLIS;
    send(StoreHealth.Request.WRITE, () -> owner.session.write(key, next, ttl));
  }

  /** Takes in what a response announced, and tells the fleet if that is news. */
  void announce(long holdUntilMillis, long limit, long windowMillis) {
    synchronized (this) {
      FleetState next = state;
      long nowMillis = clock.instant().toEpochMilli();
      if (limit > 0 && windowMillis > 0 && !state.sameQuota(limit, windowMillis)) {
        next = new FleetState(limit, windowMillis, state.holdUntilMillis(),
            Math.max(nowMillis, state.version() + 1));
      }
      boolean newHold = holdUntilMillis > state.holdUntilMillis();
      // A hold told while another runs comes from an attempt sent before it: it extends the
      // hold, and does not restart the window again.
      // Nor does one that ends within the lead: attempts after it may already be paid for, and a
      // restart now would wipe what they paid.
      boolean restart = newHold && state.holdUntilMillis() <= nowMillis && pace != null
          && TimeUnit.MILLISECONDS.toNanos(holdUntilMillis - nowMillis) > lead(pace.spacingNanos());
      if (newHold) next = next.withHold(holdUntilMillis);
      if (next.equals(state)) return;
      adopt(next);
      if (!owner.health.up()) return; // told locally; the fleet learns from its own responses
      if (restart && pace != null) {
        // The server's window starts afresh at the hold's end: the fleet's debt (reservations
        // made while it overshot, before it knew the quota) must not silence the next window.
        Pace current = pace;
        send(StoreHealth.Request.RESTART, () -> owner.session.restart(key, current));
      }
      long ttl = Math.max(0, next.holdUntilMillis() - nowMillis) + STATE_TTL_MILLIS;
      FleetState written = next;
      send(StoreHealth.Request.WRITE, () -> owner.session.write(key, written, ttl));
    }
  }

  /**
   * Sends a request to the store, and tells the store's health how it went. The answer is a
   * copy of the store's future, given up on after the bounded wait: the store's own future is
   * left to its client.
   */
  private <T> CompletableFuture<T> send(StoreHealth.Request kind, Supplier<CompletableFuture<T>> request) {
    CompletableFuture<T> sent;
    try {
      sent = request.get().copy();
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.orTimeout(owner.health.timeoutNanos(kind), TimeUnit.NANOSECONDS)
        .whenComplete((answer, e) -> {
          if (e != null) owner.health.failed(e);
          else owner.health.answered(kind);
        });
  }

  /** Makes {@code next} this instance's view. Holds by the lock. */
  private void adopt(FleetState next) {
    counting = next.learned();
    if (next.paced() && (pace == null || pace.version() != next.version())) {
      pace = Pace.of(next, owner.targetUse);
      // Until a lease shows this instance's share, credit assumes a fleet of a batch's size:
      // credit given too fast is paid for with quota the next window then lacks.
      if (shareSpacing == 0) shareSpacing = pace.spacingNanos() * owner.batch;
      paced = true;
    }
    long nowMillis = clock.instant().toEpochMilli();
    if (next.holdUntilMillis() > state.holdUntilMillis() || holdUntilNanos == NONE) {
      long leftMillis = next.holdUntilMillis() - nowMillis;
      boolean held = state.holdUntilMillis() > nowMillis;
      if (leftMillis > 0) {
        holdUntilNanos = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(leftMillis);
      }
      if (leftMillis > 0 && !held) {
        // What was reserved or given on credit before the server's window restarts counts in
        // the old window: the bucket is restarted (see announce), and its debts are void.
        leases.clear();
        borrowed = 0;
        epoch++;
        lastGiven = NONE; // attempts resume at the hold's end, paced from there
        nextLocal = NONE;
      }
    }
    state = next;
  }

  /** What this instance knows now; for tests. */
  synchronized FleetState state() {
    return state;
  }

  /** How far ahead the local pacer's next slot is, in milliseconds; for tests. */
  synchronized long localLeadMillis() {
    return nextLocal == NONE ? -1 : (nextLocal - clock.nanoTime()) / 1_000_000;
  }

  /** Permits given on credit and not yet paid for by a lease; for tests. */
  synchronized int borrowed() {
    return borrowed;
  }
}
