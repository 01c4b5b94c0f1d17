package dev.stoic.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stoic.jdk.StoicHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClient;

/**
 * A real application that chose Apache HttpClient 5 ({@code stoic.spring.apache.enabled}): the
 * RestClient and RestTemplate Boot builds send through the Stoic HC5 client, not the JDK one.
 */
@SpringBootTest(
    classes = FlakyApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "stoic.spring.apache.enabled = true",
      "stoic.max-attempts = 3",
      "stoic.backoff.base = 5ms",
      "stoic.backoff.cap = 20ms"
    })
class StoicApacheStarterTest {
  @LocalServerPort int port;
  @Autowired FlakyApp.FlakyController server;
  @Autowired RestClient.Builder restClientBuilder;
  @Autowired RestTemplateBuilder restTemplateBuilder;
  @Autowired CloseableHttpClient stoicApacheHttpClient;
  @Autowired ApplicationContext context;

  String base() {
    return "http://localhost:" + port;
  }

  @Test
  void restClientRetriesThroughTheApacheClient() {
    RestClient client = restClientBuilder.baseUrl(base()).build();
    assertEquals("ok after 2", client.get().uri("/flaky/apache-rest-client").retrieve().body(String.class));
    assertEquals(2, server.requests("apache-rest-client"));
  }

  @Test
  void restTemplateRetriesThroughTheApacheClient() {
    String body = restTemplateBuilder.rootUri(base()).build()
        .getForObject("/flaky/{id}", String.class, "apache-rest-template");
    assertEquals("ok after 2", body);
    assertEquals(2, server.requests("apache-rest-template"));
  }

  @Test
  void maxAttemptsComesFromThePropertiesAndHc5sOwnRetriesDoNotAdd() {
    RestClient client = restClientBuilder.baseUrl(base()).build();
    assertThrows(HttpServerErrorException.ServiceUnavailable.class,
        () -> client.get().uri("/down/apache-max").retrieve().body(String.class));
    assertEquals(3, server.requests("apache-max"));
  }

  @Test
  void theJdkCustomizersStepAside() {
    assertInstanceOf(HttpComponentsClientHttpRequestFactory.class,
        restTemplateBuilder.build().getRequestFactory());
    assertFalse(context.containsBean("stoicRestClientCustomizer"));
    assertFalse(context.containsBean("stoicRestTemplateCustomizer"));
    // The JDK client bean stays (other code may use it); only the builders' factory changes.
    assertEquals(1, context.getBeansOfType(StoicHttpClient.class).size());
  }
}
