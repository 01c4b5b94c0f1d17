/**
 * Stoic's core: the retry policy and its pure decision ({@code dev.stoic}), what HTTP says about
 * retrying ({@code dev.stoic.http}), the policy read from text ({@code dev.stoic.config}), and the
 * adapter contract ({@code dev.stoic.spi}) through which any HTTP client's adapter runs its calls
 * on the engine, which stays hidden ({@code dev.stoic.engine}).
 */
module dev.stoic {
  // Flight Recorder events, when the module is there; core needs nothing but java.base.
  requires static jdk.jfr;

  exports dev.stoic;
  exports dev.stoic.config;
  exports dev.stoic.http;
  exports dev.stoic.spi;

  uses dev.stoic.spi.EngineProvider;
  provides dev.stoic.spi.EngineProvider with dev.stoic.engine.Engine;
}
