/** Stoic for Spring WebClient: an exchange filter whose waits hold no thread. */
module dev.stoic.webclient {
  requires transitive dev.stoic;
  requires transitive spring.webflux;
  requires transitive spring.web;
  requires transitive reactor.core;
  requires transitive org.reactivestreams;
  requires spring.core;

  exports dev.stoic.webclient;
}
