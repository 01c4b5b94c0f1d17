package dev.stoic.examples.spring;

import dev.stoic.examples.demo.DemoServer;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * A Spring Boot application that calls the demo's misbehaving server through a plain {@code
 * RestClient}: stoic-spring-boot-starter and three lines of application.properties make it retry.
 */
@SpringBootApplication
public class SpringBootExample {
  public static void main(String[] args) throws Exception {
    try (DemoServer server = new DemoServer().start()) {
      String base = server.url("/").toString();
      SpringApplication.run(SpringBootExample.class, "--demo.url=" + base).close();
      System.out.println("server saw on /inventory: " + server.log("/inventory"));
      System.out.println("server saw on /users/42:  " + server.log("/users/42"));
    }
  }

  @Bean
  ApplicationRunner callTheDemo(RestClient.Builder builder,
      org.springframework.core.env.Environment environment) {
    return args -> {
      RestClient client = builder.baseUrl(environment.getRequiredProperty("demo.url")).build();
      // 503 with Retry-After: 1, then 200: Stoic waits the second the server asked for.
      System.out.println("/inventory: " + client.get().uri("/inventory").retrieve().body(String.class));
      // 502, then 404: retried once, and the 404 is the answer.
      try {
        client.get().uri("/users/42").retrieve().body(String.class);
      } catch (HttpClientErrorException.NotFound e) {
        System.out.println("/users/42: " + e.getStatusCode() + " after a retried 502");
      }
    };
  }
}
