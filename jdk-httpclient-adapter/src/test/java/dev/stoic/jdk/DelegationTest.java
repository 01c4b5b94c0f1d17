package dev.stoic.jdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stoic.RetryPolicy;
import dev.stoic.RetryRoutes;
import dev.stoic.jdk.internal.ClientLifecycle;
import java.net.Authenticator;
import java.net.CookieManager;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpClient.Redirect;
import java.net.http.HttpClient.Version;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/** Everything but send and sendAsync is the wrapped client's. */
class DelegationTest {
  final CookieManager cookies = new CookieManager();
  final ProxySelector proxy = ProxySelector.of(new InetSocketAddress("proxy.example", 3128));
  final Authenticator authenticator = new Authenticator() {};
  final Executor executor = ForkJoinPool.commonPool();

  @Test
  void everyOtherMethodIsTheWrappedClients() throws Exception {
    SSLContext tls = SSLContext.getInstance("TLSv1.3");
    tls.init(null, null, null);
    SSLParameters parameters = new SSLParameters();
    parameters.setProtocols(new String[] {"TLSv1.3"});
    HttpClient wrapped = HttpClient.newBuilder()
        .cookieHandler(cookies)
        .connectTimeout(Duration.ofSeconds(3))
        .followRedirects(Redirect.NORMAL)
        .proxy(proxy)
        .sslContext(tls)
        .sslParameters(parameters)
        .authenticator(authenticator)
        .version(Version.HTTP_1_1)
        .executor(executor)
        .build();

    StoicHttpClient client = StoicHttpClient.wrap(wrapped, RetryPolicy.defaults());

    assertSame(cookies, client.cookieHandler().orElseThrow());
    assertEquals(Duration.ofSeconds(3), client.connectTimeout().orElseThrow());
    assertEquals(Redirect.NORMAL, client.followRedirects());
    assertSame(proxy, client.proxy().orElseThrow());
    assertSame(tls, client.sslContext());
    assertArrayEquals(new String[] {"TLSv1.3"}, client.sslParameters().getProtocols());
    assertSame(authenticator, client.authenticator().orElseThrow());
    assertEquals(Version.HTTP_1_1, client.version());
    assertSame(executor, client.executor().orElseThrow());
    assertNotNull(client.newWebSocketBuilder());
    assertSame(wrapped, client.delegate());
    assertSame(RetryPolicy.defaults(), client.policy());
  }

  @Test
  void nullsAreRejectedEagerly() {
    HttpClient jdk = HttpClient.newHttpClient();
    StoicHttpClient client = StoicHttpClient.wrap(jdk, RetryPolicy.defaults());
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost/")).build();

    assertEquals("client == null", assertThrows(NullPointerException.class,
        () -> StoicHttpClient.wrap(null, RetryPolicy.defaults())).getMessage());
    assertEquals("policy == null", assertThrows(NullPointerException.class,
        () -> StoicHttpClient.wrap(jdk, (RetryPolicy) null)).getMessage());
    assertEquals("routes == null", assertThrows(NullPointerException.class,
        () -> StoicHttpClient.wrap(jdk, (RetryRoutes) null)).getMessage());
    assertEquals("request == null", assertThrows(NullPointerException.class,
        () -> client.sendAsync(null, BodyHandlers.ofString())).getMessage());
    assertEquals("handler == null", assertThrows(NullPointerException.class,
        () -> client.send(request, null)).getMessage());
    assertEquals("body == null", assertThrows(NullPointerException.class,
        () -> StoicBodyPublishers.oneShot(null)).getMessage());
  }

  @Test
  void oneShotOfAOneShotBodyIsTheSameBody() {
    HttpRequest.BodyPublisher once = StoicBodyPublishers.oneShot(BodyPublishers.ofString("x"));
    assertSame(once, StoicBodyPublishers.oneShot(once));
    assertEquals(1, once.contentLength());
  }

  @Test
  void lifecycleWithoutJava21DoesWhatHttpClientsDefaultsDo() throws Exception {
    assumeFalse(ClientLifecycle.available(), "Java 21 and later forward instead");
    StoicHttpClient client = StoicHttpClient.wrap(HttpClient.newHttpClient(), RetryPolicy.defaults());

    client.shutdown();
    client.shutdownNow();
    client.close();

    assertTrue(client.awaitTermination(Duration.ofDays(1)));
    assertFalse(client.isTerminated());
  }

  @Test
  void lifecycleOnJava21IsForwardedToTheWrappedClient() throws Exception {
    assumeTrue(ClientLifecycle.available(), "HttpClient has a lifecycle from Java 21");
    HttpClient wrapped = HttpClient.newHttpClient();
    StoicHttpClient client = StoicHttpClient.wrap(wrapped, RetryPolicy.defaults());

    client.shutdown();

    assertTrue(client.awaitTermination(Duration.ofSeconds(5)));
    assertTrue(ClientLifecycle.isTerminated(wrapped), "the wrapped client terminated");
    assertTrue(client.isTerminated());
  }
}
