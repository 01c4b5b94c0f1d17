package dev.stoic.internal;

import java.util.function.Function;

/**
 * One state of a live policy, as the engine reads it: the routes calls follow now, the candidate
 * routes shadowing them and their tally, or none. A new state replaces the whole at each swap, so a
 * reader sees either the old or the new, never a mix. {@code LivePolicy} registers how the engine
 * gets a live policy's state when its class initializes, before any live policy exists.
 *
 * <p>Not API: in a package core's module descriptor does not export. Immutable.
 */
public final class LiveState {
  /** The routes ({@code dev.stoic.RetryRoutes}, which this package cannot name). */
  public final Object routes;
  /** The candidate routes, or null when nothing is shadowed. */
  public final Object candidate;
  /** The candidate's counts, or null when nothing is shadowed. */
  public final ShadowTally tally;

  public LiveState(Object routes, Object candidate, ShadowTally tally) {
    this.routes = routes;
    this.candidate = candidate;
    this.tally = tally;
  }

  private static volatile Function<Object, LiveState> access;

  /** The current state of {@code live}, a {@code dev.stoic.LivePolicy}. */
  public static LiveState of(Object live) {
    return access.apply(live);
  }

  /** Called once, by {@code LivePolicy}'s class initialization. */
  public static void register(Function<Object, LiveState> reader) {
    access = reader;
  }
}
