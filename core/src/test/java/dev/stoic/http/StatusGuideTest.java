package dev.stoic.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatusGuideTest {
  @Test
  void serviceUnavailableIsExplainedByNumberNameAndMeaning() {
    String explanation = StatusGuide.explain(503);
    assertTrue(explanation.startsWith("503 Service Unavailable: "), explanation);
    assertEquals("503 Service Unavailable: " + StatusTable.defaults().lookup(503).meaning(),
        explanation);
  }

  @Test
  void tooManyRequestsExplanationTellsTheCallerToWait() {
    String explanation = StatusGuide.explain(429);
    assertTrue(explanation.startsWith("429 Too Many Requests: "), explanation);
    assertTrue(explanation.contains("Retry-After"), explanation);
  }

  @Test
  void gatewayTimeoutExplanationWarnsTheWorkMayHaveBeenDone() {
    String explanation = StatusGuide.explain(504);
    assertTrue(explanation.startsWith("504 Gateway Timeout: "), explanation);
    assertTrue(explanation.contains("may still have completed the work"), explanation);
  }

  @Test
  void everyListedCodeHasAnExplanation() {
    for (StatusEntry entry : StatusTable.defaults().entries()) {
      assertEquals(entry.code() + " " + entry.name() + ": " + entry.meaning(),
          StatusGuide.explain(entry.code()));
    }
  }

  @Test
  void unknownCodeIsExplainedByItsClass() {
    assertTrue(StatusGuide.explain(432).startsWith("432 Unknown 4xx: "));
    assertTrue(StatusGuide.explain(520).startsWith("520 Unknown 5xx: "));
  }

  @Test
  void invalidCodeIsExplainedAsInvalid() {
    assertTrue(StatusGuide.explain(42).startsWith("42 Invalid status: "));
    assertTrue(StatusGuide.explain(-1).startsWith("-1 Invalid status: "));
    assertTrue(StatusGuide.explain(600).startsWith("600 Invalid status: "));
  }
}
