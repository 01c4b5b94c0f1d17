package dev.stoic.fleet;

import java.util.concurrent.CompletableFuture;

/**
 * One throttle's connection to a {@link QuotaStore}. Every method returns at once; the answer
 * comes on a future, so that no caller's thread waits for the store.
 */
interface StoreSession {
  /**
   * Takes {@code tokens} from the bucket of {@code key}, configured as {@code pace} says, whether
   * or not they are there yet: the bucket goes into debt, and the answer is the nanoseconds until
   * the last of them is paid for. That is how a batch is reserved in the fleet's order.
   */
  CompletableFuture<Long> reserve(String key, long tokens, Pace pace);

  /**
   * Empties the bucket of {@code key} of its debt: the server said when its window starts
   * afresh, so what the fleet reserved beyond that no longer counts.
   */
  CompletableFuture<Void> restart(String key, Pace pace);

  /** The state kept for {@code key}; {@link FleetState#NONE} if none. */
  CompletableFuture<FleetState> read(String key);

  /**
   * Adds {@code counts} ({accepted, refused, instances}) to the fleet's counts for {@code key} in
   * {@code window} (a wall-clock second): the answers it got accepted and refused (429), and the
   * instances that had answers. What {@link Learning} measures a server's rate by.
   */
  CompletableFuture<Void> count(String key, long window, long[] counts);

  /** The fleet's counts for {@code key} in {@code window}: {accepted, refused, instances}. */
  CompletableFuture<long[]> counts(String key, long window);

  /** Stores {@code state} for {@code key}, to expire after {@code ttlMillis}. */
  CompletableFuture<Void> write(String key, FleetState state, long ttlMillis);
}
