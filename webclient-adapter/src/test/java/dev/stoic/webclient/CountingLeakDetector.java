package dev.stoic.webclient;

import io.netty.util.ResourceLeakDetector;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Netty's leak detector, counting the leaks it reports. Installed for this module's tests with
 * {@code -Dio.netty.customResourceLeakDetector} (see the pom): Netty makes its buffer detector
 * once, when the first buffer class loads.
 */
public final class CountingLeakDetector<T> extends ResourceLeakDetector<T> {
  static final AtomicInteger CREATED = new AtomicInteger();
  static final AtomicInteger LEAKS = new AtomicInteger();

  public CountingLeakDetector(Class<?> resourceType, int samplingInterval) {
    super(resourceType, samplingInterval);
    CREATED.incrementAndGet();
  }

  /** The constructor Netty looks for first; the limit of active resources is not used. */
  public CountingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
    this(resourceType, samplingInterval);
  }

  @Override
  protected void reportTracedLeak(String resourceType, String records) {
    LEAKS.incrementAndGet();
    super.reportTracedLeak(resourceType, records);
  }

  @Override
  protected void reportUntracedLeak(String resourceType) {
    LEAKS.incrementAndGet();
    super.reportUntracedLeak(resourceType);
  }
}
