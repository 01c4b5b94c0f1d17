package dev.stoic.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The starter's own switches, under {@code stoic.spring.}: which clients Stoic is put into.
 * An unknown switch fails startup, as an unknown retry key does. The
 * retry policy itself is read from the other {@code stoic.*} keys, those of {@code
 * docs/configuration.md}.
 *
 * <pre>{@code
 * stoic.spring.rest-template.enabled = false
 * }</pre>
 */
@ConfigurationProperties(prefix = "stoic.spring", ignoreUnknownFields = false)
public class StoicProperties {
  /** Whether the starter configures anything at all. */
  private boolean enabled = true;

  private final Client restClient = new Client();
  private final Client restTemplate = new Client();
  private final Client okhttp = new Client();
  private final Client webClient = new Client();
  private final Client metrics = new Client();
  private final Client apache = new Client(false);

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** RestClient.Builder beans (and HTTP interface clients built on them) send through Stoic. */
  public Client getRestClient() {
    return restClient;
  }

  /** RestTemplateBuilder beans build RestTemplates that send through Stoic. */
  public Client getRestTemplate() {
    return restTemplate;
  }

  /** A Stoic-wrapped OkHttp Call.Factory bean, when OkHttp is on the class path. */
  public Client getOkhttp() {
    return okhttp;
  }

  /** WebClient.Builder beans get Stoic's exchange filter, when stoic-webclient is on the class path. */
  public Client getWebClient() {
    return webClient;
  }

  /** Stoic's Micrometer meters, when a MeterRegistry bean exists. */
  public Client getMetrics() {
    return metrics;
  }

  /**
   * RestClient and RestTemplate send through Apache HttpClient 5 with Stoic in its exec chain
   * instead of the JDK client; off unless chosen, and only with stoic-apache on the class path.
   */
  public Client getApache() {
    return apache;
  }

  /** One switch. */
  public static class Client {
    /** Whether this part is configured. */
    private boolean enabled;

    public Client() {
      this(true);
    }

    Client(boolean enabled) {
      this.enabled = enabled;
    }

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }
}
