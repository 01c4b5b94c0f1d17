/**
 * Stoic's core: the retry policy and its pure decision ({@code dev.stoic}), what HTTP says about
 * retrying ({@code dev.stoic.http}), and the engine that runs calls for Stoic's adapters ({@code
 * dev.stoic.engine}, open to those modules only).
 */
module dev.stoic {
  // Flight Recorder events, when the module is there; core needs nothing but java.base.
  requires static jdk.jfr;

  exports dev.stoic;
  exports dev.stoic.http;
  exports dev.stoic.engine to
      dev.stoic.okhttp,
      dev.stoic.jdk,
      dev.stoic.resilience4j;
}
