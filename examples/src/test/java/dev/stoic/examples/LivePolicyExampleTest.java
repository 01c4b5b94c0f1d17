package dev.stoic.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LivePolicyExampleTest {
  @Test
  void theCandidateIsComparedThenPromotedWithoutLosingACall() throws Exception {
    List<String> lines = MainOutput.of(LivePolicyExample::main).lines().toList();

    assertEquals("with max-retry-after 500ms: {429=6}", lines.get(0));
    assertEquals("the candidate (max-retry-after 5s), over 6 calls:", lines.get(1));
    assertEquals("  6 x candidate would retry 429 for GET", lines.get(2));
    // Six waits of Retry-After 1 s plus a spread of at most 10%: between 6 and 6.6 s.
    assertTrue(lines.get(3).startsWith("  extra attempts: 6, extra wait: about 6 s"), lines.get(3));
    assertEquals("promoted after 3 of 6 calls: {200=3, 429=3}, 6 of 6 answered; swaps: 1", lines.get(4));
    assertEquals("now live: max-retry-after = 5s", lines.get(5));
  }
}
