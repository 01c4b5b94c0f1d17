package dev.stoic.reliability.testing;

import dev.stoic.Throttle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import dev.stoic.http.ServerHints;

/**
 * A token bucket with an {@link AtomicLong} token count, lock-free, that records its own
 * accounting: how many permits it gave, how many responses it was told of, and the lowest and
 * highest token counts it ever held. Tokens accrue one per {@code interval}, up to {@code
 * capacity}. An empty bucket hands out permits ahead of time: each such permit is owed, paid
 * from the next tokens to accrue, and its caller told to wait until then.
 */
public final class TokenThrottle implements Throttle {
  private final long capacity;
  private final long intervalNanos;
  private final AtomicLong tokens;
  private final AtomicLong owed = new AtomicLong();
  private final AtomicLong credited;

  public final AtomicLong permits = new AtomicLong();
  public final AtomicLong permitsAhead = new AtomicLong();
  public final AtomicLong responses = new AtomicLong();
  public final LongAccumulator minTokens;
  public final LongAccumulator maxTokens;
  public final LongAccumulator minOwed = new LongAccumulator(Math::min, 0);

  public TokenThrottle(long capacity, long intervalNanos) {
    this.capacity = capacity;
    this.intervalNanos = intervalNanos;
    this.tokens = new AtomicLong(capacity);
    this.credited = new AtomicLong(System.nanoTime());
    this.minTokens = new LongAccumulator(Math::min, capacity);
    this.maxTokens = new LongAccumulator(Math::max, capacity);
  }

  public long capacity() {
    return capacity;
  }

  /** The tokens held now. */
  public long tokens() {
    return tokens.get();
  }

  @Override
  public long reserveNanos(String host) {
    permits.incrementAndGet();
    refill();
    while (true) {
      long held = tokens.get();
      if (held > 0) {
        if (tokens.compareAndSet(held, held - 1)) {
          observe(held - 1);
          return 0;
        }
        continue;
      }
      permitsAhead.incrementAndGet();
      return owed.incrementAndGet() * intervalNanos;
    }
  }

  @Override
  public void onResponse(String host, int status, ServerHints hints) {
    responses.incrementAndGet();
  }

  /** Credits the whole intervals passed since the last credit: owed permits first. */
  private void refill() {
    long now = System.nanoTime();
    long last = credited.get();
    long intervals = (now - last) / intervalNanos;
    if (intervals <= 0 || !credited.compareAndSet(last, last + intervals * intervalNanos)) return;
    long credit = intervals;
    while (credit > 0) {
      long debt = owed.get();
      if (debt == 0) break;
      long pay = Math.min(debt, credit);
      if (owed.compareAndSet(debt, debt - pay)) {
        credit -= pay;
        minOwed.accumulate(debt - pay);
      }
    }
    while (credit > 0) {
      long held = tokens.get();
      long next = Math.min(capacity, held + credit);
      if (tokens.compareAndSet(held, next)) {
        observe(next);
        return;
      }
    }
  }

  private void observe(long held) {
    minTokens.accumulate(held);
    maxTokens.accumulate(held);
  }
}
