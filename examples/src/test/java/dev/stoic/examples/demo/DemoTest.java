package dev.stoic.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoTest {
  @Test
  void everyScenarioEndsAsExpectedAndIsPrinted() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<Demo.Result> results =
        Demo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String output = bytes.toString(StandardCharsets.UTF_8);

    assertEquals(7, results.size());
    for (Demo.Result result : results) assertTrue(result.asExpected(), result + "\n" + output);
    for (String expected : List.of(
        "503 with Retry-After: 1, then 200",
        "429 with Retry-After as an HTTP-date, then 200",
        "SocketTimeoutException (after send)",
        "closed the connection without answering",
        "the same key on every attempt",
        "is not retried for POST without an idempotency key",
        "caught RetriesExhaustedException",
        "StatusGuide.explain(404) = 404 Not Found: ",
        "7 of 7 calls ended as expected.")) {
      assertTrue(output.contains(expected), expected + " missing from\n" + output);
    }
  }
}
