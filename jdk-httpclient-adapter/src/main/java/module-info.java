/** Stoic for {@code java.net.http}: an {@code HttpClient} that retries. */
module dev.stoic.jdk {
  requires transitive dev.stoic;
  requires transitive java.net.http;

  exports dev.stoic.jdk;
}
