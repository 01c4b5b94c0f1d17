/** Micrometer meters for Stoic's calls: install {@link dev.stoic.micrometer.StoicMetrics} on a policy. */
module dev.stoic.micrometer {
  requires transitive dev.stoic;
  requires transitive micrometer.core;

  exports dev.stoic.micrometer;
}
