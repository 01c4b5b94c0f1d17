package dev.stoic.examples.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stoic.examples.demo.DemoServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;

/** Runs the example application against the demo server and checks what the server saw. */
class SpringBootExampleTest {
  @Test
  void retriesThroughTheStarter() throws Exception {
    try (DemoServer server = new DemoServer().start()) {
      SpringApplication.run(SpringBootExample.class, "--demo.url=" + server.url("/")).close();
      assertEquals(List.of("503, Retry-After: 1", "200"), server.log("/inventory"));
      assertEquals(List.of("502", "404"), server.log("/users/42"));
    }
  }
}
