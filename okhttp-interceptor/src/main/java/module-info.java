/** Stoic for OkHttp: an application interceptor and a call factory whose waits hold no thread. */
module dev.stoic.okhttp {
  requires transitive dev.stoic;
  requires transitive okhttp3;
  requires okio;
  requires kotlin.stdlib;

  exports dev.stoic.okhttp;
}
