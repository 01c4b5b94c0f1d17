/** Stoic for Apache HttpClient 5: retries in the exec chain, classic and async. */
module dev.stoic.apache {
  requires transitive dev.stoic;
  requires transitive org.apache.httpcomponents.client5.httpclient5;
  requires transitive org.apache.httpcomponents.core5.httpcore5;

  exports dev.stoic.apache;
}
