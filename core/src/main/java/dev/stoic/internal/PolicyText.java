package dev.stoic.internal;

/**
 * The text of a policy and of a route table, which the configuration package ({@code
 * dev.stoic.config}) writes, since it owns the keys: {@code RetryPolicy.describe()} and {@code
 * RetryRoutes.describe()} call it. The configuration package registers it when its class
 * initializes.
 *
 * <p>Not API: in a package core's module descriptor does not export.
 */
public interface PolicyText {
  /** Every setting of {@code policy} (a {@code RetryPolicy}), one per line. */
  String describe(Object policy);

  /** Every route of {@code routes} (a {@code RetryRoutes}), then its otherwise policy. */
  String describeRoutes(Object routes);

  /** The registered text, initializing the configuration package first if needed. */
  static PolicyText get() {
    if (Registered.text == null) Bridges.load("dev.stoic.config.PolicyDescription");
    return Registered.text;
  }

  /** Called once, by the configuration package's class initialization. */
  static void register(PolicyText text) {
    Registered.text = text;
  }

  /** Holds the registration. */
  final class Registered {
    static volatile PolicyText text;

    private Registered() {}
  }
}
