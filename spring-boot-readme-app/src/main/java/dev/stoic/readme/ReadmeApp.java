package dev.stoic.readme;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot application on the README's dependencies alone, serving an endpoint that fails
 * once per id (503 with {@code Retry-After: 0}) and then answers, for its own clients to call.
 */
@SpringBootApplication
public class ReadmeApp {
  public static void main(String[] args) {
    SpringApplication.run(ReadmeApp.class, args);
  }

  /** 503 on the first request for an id, 200 after, counting requests. */
  @RestController
  public static class FlakyController {
    private final Map<String, Integer> requests = new ConcurrentHashMap<>();

    /** How many requests came for {@code id}. */
    public int requests(String id) {
      return requests.getOrDefault(id, 0);
    }

    @GetMapping("/flaky/{id}")
    ResponseEntity<String> flaky(@PathVariable("id") String id) {
      int n = requests.merge(id, 1, Integer::sum);
      return n > 1 ? ResponseEntity.ok("ok after " + n)
          : ResponseEntity.status(503).header("Retry-After", "0").body("busy");
    }
  }
}
