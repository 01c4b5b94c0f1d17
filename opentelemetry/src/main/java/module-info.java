/** OpenTelemetry tracing for Stoic's calls: install {@link dev.stoic.opentelemetry.StoicTracing} on a policy. */
module dev.stoic.opentelemetry {
  requires transitive dev.stoic;
  requires transitive io.opentelemetry.api;
  requires io.opentelemetry.context;

  exports dev.stoic.opentelemetry;
}
