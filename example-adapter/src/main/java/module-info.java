/** An example Stoic adapter for {@code java.net.HttpURLConnection}, on the adapter contract. */
module dev.stoic.example.adapter {
  requires transitive dev.stoic;

  exports dev.stoic.example.adapter;
}
