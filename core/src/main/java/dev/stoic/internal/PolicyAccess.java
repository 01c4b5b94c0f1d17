package dev.stoic.internal;

import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * What the configuration package ({@code dev.stoic.config}) reads of a policy and writes into a
 * route table that users cannot: which settings a builder set, and the parts of a policy that
 * only its description shows. {@code RetryPolicy} registers it when its class initializes.
 *
 * <p>Not API: in a package core's module descriptor does not export. The types are those of
 * {@code dev.stoic}, which this package cannot name.
 */
public interface PolicyAccess {
  /** True if the policy's builder set the setting {@code key} (as configuration names it). */
  boolean isSet(Object policy, String key);

  /** The policy's own status rules, by code; values are {@code Retryability}. */
  Map<Integer, ?> statusRules(Object policy);

  /** The policy's status classifier, or null. */
  IntFunction<?> statusClassifier(Object policy);

  /** The policy's exception rules in order: TRUE to retry, FALSE never to. */
  Map<Class<? extends Throwable>, Boolean> exceptionRules(Object policy);

  /** 0 or 1: what the attempt-count header says on the first attempt. */
  int attemptCountFirst(Object policy);

  /** The idempotency key's own generator, or null for the built-in one. */
  Supplier<String> keyGenerator(Object idempotencyKey);

  /** The redaction's own secret header names (true) or query parameter names (false). */
  Iterable<String> secretNames(Object redaction, boolean headers);

  /** A budget's numbers: capacity, cost per retry, refill per success; and 1 if per host. */
  double[] budgetNumbers(Object budget);

  /** The throttles a combined throttle is made of, or null if {@code throttle} is one. */
  Iterable<?> throttleParts(Object throttle);

  /** Adds a named route to a route table's builder: by host, or else by path prefix. */
  void addRoute(Object routesBuilder, String name, String host, String pathPrefix, Object policy);

  /** The registered access, initializing {@code RetryPolicy} first if needed. */
  static PolicyAccess get() {
    if (Registered.access == null) Bridges.load("dev.stoic.RetryPolicy");
    return Registered.access;
  }

  /** Called once, by {@code RetryPolicy}'s class initialization. */
  static void register(PolicyAccess access) {
    Registered.access = access;
  }

  /** Holds the registration. */
  final class Registered {
    static volatile PolicyAccess access;

    private Registered() {}
  }
}
