package dev.stoic.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The running counts of a shadow comparison, written by the engine as calls end their attempts and
 * read by {@code LivePolicy} into a {@code ShadowReport}. Exact counts (up to and including a
 * call's first disagreement) and estimates (after it) are kept apart.
 *
 * <p>Not API: in a package core's module descriptor does not export. Thread-safe.
 */
public final class ShadowTally {
  /**
   * Distinct disagreement texts kept; the texts name a status or failure kind and a method, so a
   * real program sees a few dozen. Beyond this they are counted under {@link #OTHER}.
   */
  static final int MAX_KEYS = 256;

  public static final String OTHER = "other disagreements";

  private final LongAdder calls = new LongAdder();
  private final LongAdder compared = new LongAdder();
  private final LongAdder divergedCalls = new LongAdder();
  private final LongAdder[] attempts = {new LongAdder(), new LongAdder()};
  private final LongAdder[] waitNanos = {new LongAdder(), new LongAdder()};
  private final ConcurrentHashMap<String, LongAdder> exact = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LongAdder> estimated = new ConcurrentHashMap<>();

  /** Counts one outcome both policies decided; {@code first} if it is its call's first attempt. */
  public void compared(boolean first) {
    compared.increment();
    if (first) calls.increment();
  }

  /** Counts a disagreement: exact if it is its call's first, else an estimate. */
  public void disagreed(String what, boolean exactly) {
    if (exactly) divergedCalls.increment();
    ConcurrentHashMap<String, LongAdder> map = exactly ? exact : estimated;
    LongAdder count = map.get(what);
    if (count == null) {
      count = map.size() >= MAX_KEYS ? map.computeIfAbsent(OTHER, k -> new LongAdder())
          : map.computeIfAbsent(what, k -> new LongAdder());
    }
    count.increment();
  }

  /** Adds attempts and wait the candidate would have caused (negative: saved). */
  public void extra(long attemptCount, long nanos, boolean exactly) {
    int i = exactly ? 0 : 1;
    if (attemptCount != 0) attempts[i].add(attemptCount);
    if (nanos != 0) waitNanos[i].add(nanos);
  }

  public long calls() {
    return calls.sum();
  }

  public long compared() {
    return compared.sum();
  }

  public long divergedCalls() {
    return divergedCalls.sum();
  }

  public long extraAttempts(boolean exactly) {
    return attempts[exactly ? 0 : 1].sum();
  }

  public long extraWaitNanos(boolean exactly) {
    return waitNanos[exactly ? 0 : 1].sum();
  }

  /** The disagreements counted so far, by text, sorted. */
  public Map<String, Long> disagreements(boolean exactly) {
    Map<String, Long> out = new TreeMap<>();
    (exactly ? exact : estimated).forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
