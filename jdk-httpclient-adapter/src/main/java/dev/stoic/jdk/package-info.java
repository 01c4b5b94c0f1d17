/**
 * Retries for {@code java.net.http.HttpClient}: {@link dev.stoic.jdk.StoicHttpClient} wraps a
 * client so that {@code send} and {@code sendAsync} retry as a {@link dev.stoic.RetryPolicy}
 * decides.
 *
 * <pre>{@code
 * HttpClient client = StoicHttpClient.wrap(HttpClient.newHttpClient(), RetryPolicy.defaults());
 * HttpResponse<String> response = client.send(request, BodyHandlers.ofString());
 * }</pre>
 *
 * <p>Request bodies that cannot be sent twice are marked with {@link
 * dev.stoic.jdk.StoicBodyPublishers#oneShot}.
 */
package dev.stoic.jdk;
