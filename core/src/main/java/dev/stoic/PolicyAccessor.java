package dev.stoic;

import dev.stoic.internal.PolicyAccess;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/** What the configuration package may read of a policy and its parts; see {@link PolicyAccess}. */
final class PolicyAccessor implements PolicyAccess {
  @Override public boolean isSet(Object policy, String key) {
    return ((RetryPolicy) policy).isSet(key);
  }

  @Override public Map<Integer, ?> statusRules(Object policy) {
    return ((RetryPolicy) policy).statusRules();
  }

  @Override public IntFunction<?> statusClassifier(Object policy) {
    return ((RetryPolicy) policy).statusClassifier();
  }

  @Override public Map<Class<? extends Throwable>, Boolean> exceptionRules(Object policy) {
    return ((RetryPolicy) policy).exceptionRules();
  }

  @Override public int attemptCountFirst(Object policy) {
    return ((RetryPolicy) policy).attemptCountFirst();
  }

  @Override public Supplier<String> keyGenerator(Object idempotencyKey) {
    return ((IdempotencyKey) idempotencyKey).generator();
  }

  @Override public Iterable<String> secretNames(Object redaction, boolean headers) {
    Redaction r = (Redaction) redaction;
    return headers ? r.secretHeaderNames() : r.secretQueryParameterNames();
  }

  @Override public double[] budgetNumbers(Object budget) {
    RetryBudget b = (RetryBudget) budget;
    if (!b.isEnabled()) {
      return new double[] {RetryBudget.DEFAULT_CAPACITY, RetryBudget.DEFAULT_COST,
          RetryBudget.DEFAULT_REFILL, 1};
    }
    return new double[] {b.capacity(), b.costPerRetry(), b.refillPerSuccess(), b.isPerHost() ? 1 : 0};
  }

  @Override public Iterable<?> throttleParts(Object throttle) {
    return throttle instanceof AllThrottles ? ((AllThrottles) throttle).parts() : null;
  }

  @Override public void addRoute(
      Object routesBuilder, String name, String host, String pathPrefix, Object policy) {
    RetryRoutes.Builder table = (RetryRoutes.Builder) routesBuilder;
    if (host != null) {
      table.host(name, host, (RetryPolicy) policy);
    } else {
      table.pathPrefix(name, pathPrefix, (RetryPolicy) policy);
    }
  }
}
