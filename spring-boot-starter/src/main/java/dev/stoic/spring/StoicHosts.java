package dev.stoic.spring;

import dev.stoic.CallObserver;
import dev.stoic.ObservedCall;
import dev.stoic.RetryObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hosts the application's Stoic clients have called (the first {@value #MAX_HOSTS}), so the
 * {@code stoic} endpoint can report each one's retry budget.
 *
 * <pre>{@code
 * for (String host : hosts.hosts()) log.info(host + ": " + routes.retryBudget().available(host));
 * }</pre>
 */
public final class StoicHosts {
  /** Bounds memory when an application calls very many hosts. */
  public static final int MAX_HOSTS = 256;
  private final Set<String> hosts = ConcurrentHashMap.newKeySet();
  private final RetryObserver observer = new Seen();

  StoicHosts() {}

  /** The hosts called so far, sorted. */
  public List<String> hosts() {
    List<String> sorted = new ArrayList<>(hosts);
    sorted.sort(null);
    return sorted;
  }

  RetryObserver observer() {
    return observer;
  }

  private final class Seen implements RetryObserver {
    @Override
    public CallObserver callStarted(ObservedCall call) {
      String host = call.host();
      if (host != null && hosts.size() < MAX_HOSTS) hosts.add(host);
      return CallObserver.NONE;
    }

    @Override
    public String toString() {
      return "StoicHosts";
    }
  }
}
