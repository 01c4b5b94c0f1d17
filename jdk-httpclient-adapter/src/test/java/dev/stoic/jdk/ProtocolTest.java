package dev.stoic.jdk;

import static dev.stoic.Decision.Action.RETRY;
import static dev.stoic.Decision.Action.RETURN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stoic.Backoff;
import dev.stoic.IdempotencyKey;
import dev.stoic.RetryPolicy;
import dev.stoic.testing.RecordingListener;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpClient.Version;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Protocol;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each attempt uses the wrapped client's protocol: HTTP/2 where it is negotiated, HTTP/1.1 when
 * the client asks for it.
 *
 * <p>HTTP/2 runs over TLS: the JDK client speaks cleartext HTTP/2 only by upgrading an HTTP/1.1
 * request (h2c), which MockWebServer does not offer, and it has no prior-knowledge mode, which is
 * all MockWebServer offers in cleartext.
 */
class ProtocolTest {
  static final HeldCertificate LOCALHOST = new HeldCertificate.Builder()
      .commonName("localhost")
      .addSubjectAlternativeName("localhost")
      .build();
  static final HandshakeCertificates SERVER_CERTIFICATES =
      new HandshakeCertificates.Builder().heldCertificate(LOCALHOST).build();
  static final HandshakeCertificates CLIENT_CERTIFICATES =
      new HandshakeCertificates.Builder().addTrustedCertificate(LOCALHOST.certificate()).build();

  final MockWebServer server = new MockWebServer();
  final RecordingListener events = new RecordingListener();
  final RetryPolicy policy = RetryPolicy.builder()
      .backoff(Backoff.fixed(Duration.ofMillis(10)))
      .idempotencyKey(IdempotencyKey.header("Idempotency-Key").autoGenerate())
      .listener(events)
      .build();

  @AfterEach
  void stop() {
    server.close();
  }

  void startTls() throws IOException {
    server.useHttps(SERVER_CERTIFICATES.sslSocketFactory());
    server.setProtocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1));
    server.start();
  }

  HttpClient tlsClient(Version version) {
    return StoicHttpClient.wrap(HttpClient.newBuilder()
        .sslContext(CLIENT_CERTIFICATES.sslContext())
        .version(version)
        .build(), policy);
  }

  URI uri(String scheme, String path) {
    return URI.create(scheme + "://localhost:" + server.getPort() + path);
  }

  static MockResponse response(int code, String body) {
    return new MockResponse.Builder().code(code).body(body).build();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void http2RetriesOnStreamsOfOneConnection(Mode mode) throws Exception {
    startTls();
    server.enqueue(response(503, "busy"));
    server.enqueue(response(201, "created"));
    HttpRequest request = HttpRequest.newBuilder(uri("https", "/orders"))
        .POST(BodyPublishers.ofString("order"))
        .build();

    HttpResponse<String> response = mode.call(tlsClient(Version.HTTP_2), request, BodyHandlers.ofString());

    assertEquals(Version.HTTP_2, response.version());
    assertEquals("created", response.body());
    assertEquals(List.of(RETRY, RETURN), events.actions());
    RecordedRequest first = server.takeRequest(0, TimeUnit.SECONDS);
    RecordedRequest second = server.takeRequest(0, TimeUnit.SECONDS);
    assertEquals("HTTP/2", first.getVersion());
    assertEquals("order", second.getBody().utf8());
    assertEquals(first.getHeaders().get("Idempotency-Key"), second.getHeaders().get("Idempotency-Key"));
    assertEquals(first.getConnectionIndex(), second.getConnectionIndex(), "one connection");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void http11IsKeptWhenTheClientAsksForItOverTls(Mode mode) throws Exception {
    startTls();
    server.enqueue(response(503, "busy"));
    server.enqueue(response(200, "ok"));

    HttpResponse<String> response = mode.call(
        tlsClient(Version.HTTP_1_1), HttpRequest.newBuilder(uri("https", "/items")).build(),
        BodyHandlers.ofString());

    assertEquals(Version.HTTP_1_1, response.version());
    assertEquals("ok", response.body());
    assertEquals("HTTP/1.1", server.takeRequest(0, TimeUnit.SECONDS).getVersion());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void http11InCleartext(Mode mode) throws Exception {
    server.start();
    server.enqueue(response(503, "busy"));
    server.enqueue(response(200, "ok"));
    HttpClient client = StoicHttpClient.wrap(
        HttpClient.newBuilder().version(Version.HTTP_1_1).build(), policy);

    HttpResponse<String> response = mode.call(
        client, HttpRequest.newBuilder(uri("http", "/items")).build(), BodyHandlers.ofString());

    assertEquals(Version.HTTP_1_1, response.version());
    assertEquals("ok", response.body());
  }

  /**
   * The push-promise overload retries like the others. It cannot show a push arriving:
   * MockWebServer's push promises carry no {@code :scheme}, and the JDK client rejects them
   * ("protocol error: No scheme in Push Promise").
   */
  @Test
  void sendAsyncWithPushPromiseHandlerRetries() throws Exception {
    startTls();
    server.enqueue(response(503, "busy"));
    server.enqueue(response(200, "ok"));
    PushPromiseHandler<String> refuseAll = (initiating, pushed, acceptor) -> { };

    HttpResponse<String> response = tlsClient(Version.HTTP_2)
        .sendAsync(HttpRequest.newBuilder(uri("https", "/page")).build(), BodyHandlers.ofString(),
            refuseAll)
        .get(10, TimeUnit.SECONDS);

    assertEquals("ok", response.body());
    assertEquals(2, server.getRequestCount());
  }
}
