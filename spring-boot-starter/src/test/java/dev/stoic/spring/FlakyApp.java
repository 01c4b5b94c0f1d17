package dev.stoic.spring;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.service.annotation.GetExchange;

/** The test application: a server that misbehaves on purpose, counting what it is sent. */
@SpringBootApplication
public class FlakyApp {
  /** An HTTP interface client of the flaky server. */
  public interface FlakyApi {
    @GetExchange("/flaky/{id}")
    String flaky(@PathVariable("id") String id);
  }

  /** 503 with Retry-After: 0 on the first request for an id, 200 after; or always 503. */
  @RestController
  public static class FlakyController {
    final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    int requests(String id) {
      AtomicInteger n = requests.get(id);
      return n == null ? 0 : n.get();
    }

    @GetMapping("/flaky/{id}")
    ResponseEntity<String> flaky(@PathVariable("id") String id) {
      int n = requests.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      if (n == 1) return ResponseEntity.status(503).header("Retry-After", "0").body("busy");
      return ResponseEntity.ok("ok after " + n);
    }

    @GetMapping("/down/{id}")
    ResponseEntity<String> down(@PathVariable("id") String id) {
      requests.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      return ResponseEntity.status(503).body("down");
    }
  }
}
