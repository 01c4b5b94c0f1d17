package dev.stoic.jdk;

import dev.stoic.jdk.internal.OneShotBodyPublisher;
import java.net.http.HttpRequest.BodyPublisher;
import java.util.Objects;

/**
 * Request bodies with a retry contract, to use next to {@link
 * java.net.http.HttpRequest.BodyPublishers}.
 *
 * <p>{@link StoicHttpClient} re-sends a request's body on every attempt by subscribing to its
 * {@link BodyPublisher} again. The JDK's publishers replay as follows:
 *
 * <ul>
 *   <li>{@code noBody}, {@code ofString}, {@code ofByteArray} and {@code ofByteArrays} (over a
 *       collection, which can be iterated again): replayable; every attempt sends the same bytes.
 *   <li>{@code ofFile}: replayable; every attempt reads the file again, so it sends the file as it
 *       is at that moment.
 *   <li>{@code ofInputStream(supplier)}: replayable only when the supplier returns a fresh stream
 *       on every call; a supplier that hands out one shared stream is one-shot.
 *   <li>{@code fromPublisher} and {@code concat}: replayable only when every underlying publisher
 *       supports a new subscriber per attempt.
 * </ul>
 *
 * <p>Mark anything else with {@link #oneShot}: Stoic then never re-sends it once an attempt has
 * started writing it (a retry after a connect failure, before anything was written, still
 * happens).
 *
 * <pre>{@code
 * HttpRequest upload = HttpRequest.newBuilder(uri)
 *     .PUT(StoicBodyPublishers.oneShot(BodyPublishers.ofInputStream(() -> socketStream)))
 *     .build();
 * }</pre>
 */
public final class StoicBodyPublishers {
  private StoicBodyPublishers() {}

  /**
   * Returns a publisher that sends what {@code body} sends and tells {@link StoicHttpClient} that
   * it can be sent only once. The result is thread-safe if {@code body} is.
   *
   * @throws NullPointerException if {@code body} is null
   */
  public static BodyPublisher oneShot(BodyPublisher body) {
    Objects.requireNonNull(body, "body == null");
    return body instanceof OneShotBodyPublisher ? body : new OneShotBodyPublisher(body);
  }
}
