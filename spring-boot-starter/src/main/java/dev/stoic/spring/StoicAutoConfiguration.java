package dev.stoic.spring;

import dev.stoic.LivePolicy;
import dev.stoic.RetryObserver;
import dev.stoic.RetryPolicy;
import dev.stoic.RetryRoutes;
import dev.stoic.apache.StoicApache;
import dev.stoic.jdk.StoicHttpClient;
import dev.stoic.micrometer.StoicMetrics;
import dev.stoic.okhttp.StoicCallFactory;
import dev.stoic.webclient.StoicExchangeFilter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.util.List;
import okhttp3.OkHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateCustomizer;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Puts Stoic into a Spring Boot application from {@code stoic.*} properties. RestClient and
 * RestTemplate builders send through a {@link StoicHttpClient}, OkHttp gets a Stoic {@code
 * Call.Factory}, WebClient builders get a {@link StoicExchangeFilter}, meters go to the {@code
 * MeterRegistry}, and the {@code stoic} Actuator endpoint lists the effective policies.
 *
 * <pre>{@code
 * # application.properties
 * stoic.max-attempts = 4
 * stoic.routes.payments.host = payments.example.com
 * stoic.routes.payments.idempotency-key.auto-generate = true
 * }</pre>
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration"
    },
    beforeName = {
      "org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration",
      "org.springframework.boot.restclient.autoconfigure.RestTemplateAutoConfiguration"
    })
@ConditionalOnProperty(prefix = "stoic.spring", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(StoicProperties.class)
public class StoicAutoConfiguration {
  /** What one of the starter's optional parts adds to the base policy. */
  @FunctionalInterface
  interface PolicyContribution {
    void contribute(RetryPolicy.Builder policy);
  }

  /** Hosts calls went to, for the endpoint's budget report. */
  @Bean
  @ConditionalOnMissingBean
  StoicHosts stoicHosts() {
    return new StoicHosts();
  }

  /** The {@code stoic.*} keys of every property source, with where each was set. */
  @Bean
  StoicEnvironment stoicEnvironment(Environment environment) {
    return StoicEnvironment.read(environment);
  }

  /**
   * The routes from {@code stoic.*} over a base policy holding every {@link RetryObserver} bean;
   * bad keys fail startup with a {@link StoicConfigurationException} naming each one.
   */
  @Bean
  @ConditionalOnMissingBean
  public RetryRoutes stoicRetryRoutes(
      StoicEnvironment keys,
      ObjectProvider<RetryObserver> observers,
      ObjectProvider<PolicyContribution> contributions,
      StoicHosts hosts) {
    return keys.routes(base(observers, contributions, hosts));
  }

  /** The policy the keys apply over: every {@link RetryObserver} bean and the starter's parts. */
  private static RetryPolicy base(ObjectProvider<RetryObserver> observers,
      ObjectProvider<PolicyContribution> contributions, StoicHosts hosts) {
    RetryPolicy.Builder base = RetryPolicy.builder();
    observers.orderedStream().forEach(base::observer);
    contributions.orderedStream().forEach(c -> c.contribute(base));
    base.observer(hosts.observer());
    return base.build();
  }

  /**
   * The policy every client the starter sets up follows: the routes, swapped when a refreshed
   * environment brings new {@code stoic.*} keys (Spring Cloud's {@code EnvironmentChangeEvent}).
   */
  @Bean
  @ConditionalOnMissingBean
  public LivePolicy stoicLivePolicy(RetryRoutes routes) {
    return LivePolicy.of(routes);
  }

  /** The live policy with the keys it was read from, for refreshes and the endpoint. */
  @Bean
  StoicLive stoicLive(LivePolicy live, StoicEnvironment keys, ApplicationContext context,
      ObjectProvider<RetryObserver> observers, ObjectProvider<PolicyContribution> contributions,
      StoicHosts hosts) {
    // The application's own RetryRoutes bean is its own to change: refreshes leave it alone.
    boolean ours = context.containsBeanDefinition("stoicRetryRoutes");
    return new StoicLive(live, ours ? base(observers, contributions, hosts) : null, keys);
  }

  /**
   * Spring Cloud's refresh: when a refreshed environment changed a {@code stoic.*} key, the live
   * policy is read again. Without Spring Cloud, Boot's environment does not change at run time.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.cloud.context.environment.EnvironmentChangeEvent")
  static class RefreshConfiguration {
    @Bean
    ApplicationListener<EnvironmentChangeEvent> stoicRefreshListener(
        StoicLive live, Environment environment) {
      return event -> {
        if (event.getKeys().stream().anyMatch(k -> k.startsWith("stoic.")
            || k.startsWith("STOIC_"))) {
          live.refresh(environment);
        }
      };
    }
  }

  /** The JDK client every RestClient and RestTemplate built by Boot sends through. */
  @Bean
  @ConditionalOnMissingBean
  public StoicHttpClient stoicHttpClient(LivePolicy live) {
    HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    return StoicHttpClient.wrap(client, live);
  }

  /** RestClient: the whole exchange goes through Stoic, not a slice of the interceptor chain. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({RestClient.class, RestClientCustomizer.class})
  @ConditionalOnProperty(prefix = "stoic.spring.rest-client", name = "enabled", matchIfMissing = true)
  @Conditional(ApacheNotChosen.class)
  static class RestClientConfiguration {
    @Bean
    RestClientCustomizer stoicRestClientCustomizer(StoicHttpClient client) {
      return builder -> builder.requestFactory(new JdkClientHttpRequestFactory(client));
    }

    @Bean
    StoicEndpoint.Client stoicRestClientListing() {
      return new StoicEndpoint.Client("RestClient", "StoicHttpClient on every RestClient.Builder");
    }
  }

  /** RestTemplate, through the same client. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({RestTemplate.class, RestTemplateCustomizer.class})
  @ConditionalOnProperty(prefix = "stoic.spring.rest-template", name = "enabled", matchIfMissing = true)
  @Conditional(ApacheNotChosen.class)
  static class RestTemplateConfiguration {
    @Bean
    RestTemplateCustomizer stoicRestTemplateCustomizer(StoicHttpClient client) {
      return template -> template.setRequestFactory(new JdkClientHttpRequestFactory(client));
    }

    @Bean
    StoicEndpoint.Client stoicRestTemplateListing() {
      return new StoicEndpoint.Client("RestTemplate", "StoicHttpClient on every RestTemplateBuilder");
    }
  }

  /** True unless Apache HttpClient 5 was chosen ({@code stoic.spring.apache.enabled}) and is there. */
  static final class ApacheNotChosen extends NoneNestedConditions {
    ApacheNotChosen() {
      super(ConfigurationPhase.PARSE_CONFIGURATION);
    }

    @ConditionalOnProperty(prefix = "stoic.spring.apache", name = "enabled", havingValue = "true")
    @ConditionalOnClass(name = {"org.apache.hc.client5.http.impl.classic.CloseableHttpClient",
        "dev.stoic.apache.StoicApache"})
    static final class ApacheChosen {}
  }

  /**
   * Apache HttpClient 5, when chosen: RestClient and RestTemplate send through one classic client
   * with Stoic first in its exec chain (HC5's own retries off).
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(prefix = "stoic.spring.apache", name = "enabled", havingValue = "true")
  @ConditionalOnClass(name = {"org.apache.hc.client5.http.impl.classic.CloseableHttpClient",
      "dev.stoic.apache.StoicApache"})
  static class ApacheConfiguration {
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(name = "stoicApacheHttpClient")
    CloseableHttpClient stoicApacheHttpClient(LivePolicy live) {
      return StoicApache.install(HttpClients.custom(), live).build();
    }

    @Bean
    @ConditionalOnClass({RestClient.class, RestClientCustomizer.class})
    @ConditionalOnProperty(prefix = "stoic.spring.rest-client", name = "enabled", matchIfMissing = true)
    RestClientCustomizer stoicApacheRestClientCustomizer(CloseableHttpClient stoicApacheHttpClient) {
      return builder -> builder.requestFactory(
          new HttpComponentsClientHttpRequestFactory(stoicApacheHttpClient));
    }

    @Bean
    @ConditionalOnClass({RestTemplate.class, RestTemplateCustomizer.class})
    @ConditionalOnProperty(prefix = "stoic.spring.rest-template", name = "enabled", matchIfMissing = true)
    RestTemplateCustomizer stoicApacheRestTemplateCustomizer(CloseableHttpClient stoicApacheHttpClient) {
      return template -> template.setRequestFactory(
          new HttpComponentsClientHttpRequestFactory(stoicApacheHttpClient));
    }
  }

  /** OkHttp: a Stoic Call.Factory over the application's OkHttpClient, or a new one. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({OkHttpClient.class, StoicCallFactory.class})
  @ConditionalOnProperty(prefix = "stoic.spring.okhttp", name = "enabled", matchIfMissing = true)
  static class OkHttpConfiguration {
    @Bean
    @ConditionalOnMissingBean
    StoicCallFactory stoicCallFactory(ObjectProvider<OkHttpClient> client, LivePolicy live) {
      return StoicCallFactory.wrap(client.getIfUnique(OkHttpClient::new), live);
    }

    @Bean
    StoicEndpoint.Client stoicOkHttpListing() {
      return new StoicEndpoint.Client("OkHttp", "the StoicCallFactory bean");
    }
  }

  /** WebClient: every WebClient.Builder Boot hands out filters its calls through Stoic. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({WebClient.class, WebClientCustomizer.class, StoicExchangeFilter.class})
  @ConditionalOnProperty(prefix = "stoic.spring.web-client", name = "enabled", matchIfMissing = true)
  static class WebClientConfiguration {
    @Bean
    @ConditionalOnMissingBean
    StoicExchangeFilter stoicExchangeFilter(LivePolicy live) {
      return StoicExchangeFilter.create(live);
    }

    @Bean
    WebClientCustomizer stoicWebClientCustomizer(StoicExchangeFilter filter) {
      return builder -> builder.filter(filter);
    }

    @Bean
    StoicEndpoint.Client stoicWebClientListing() {
      return new StoicEndpoint.Client("WebClient", "StoicExchangeFilter on every WebClient.Builder");
    }
  }

  /**
   * Micrometer: Stoic's meters on the application's registry, when there is one. The registry is
   * looked up when the routes are built, not by a bean condition, so the order in which
   * auto-configurations register their beans does not matter.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({MeterRegistry.class, StoicMetrics.class})
  @ConditionalOnProperty(prefix = "stoic.spring.metrics", name = "enabled", matchIfMissing = true)
  static class MetricsConfiguration {
    @Bean
    PolicyContribution stoicMetricsContribution(ObjectProvider<MeterRegistry> registry) {
      return policy -> registry.ifUnique(r -> policy.observer(StoicMetrics.create(r)));
    }
  }

  /** The {@code stoic} Actuator endpoint. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
  static class EndpointConfiguration {
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    StoicEndpoint stoicEndpoint(StoicLive live, StoicHosts hosts,
        ObjectProvider<RetryObserver> observers, ObjectProvider<StoicEndpoint.Client> clients) {
      List<String> names = observers.orderedStream().map(String::valueOf).toList();
      return new StoicEndpoint(live, hosts, names, clients.orderedStream().toList());
    }
  }
}
