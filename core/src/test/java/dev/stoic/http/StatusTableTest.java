package dev.stoic.http;

import static dev.stoic.http.Retryability.AFTER_AUTH_REFRESH;
import static dev.stoic.http.Retryability.ALWAYS;
import static dev.stoic.http.Retryability.NEVER;
import static dev.stoic.http.Retryability.PASS_THROUGH;
import static dev.stoic.http.Retryability.WHEN_SAFE;
import static dev.stoic.http.Retryability.WITH_KEY;
import static dev.stoic.http.Retryability.WITH_RETRY_AFTER;
import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

public class StatusTableTest {
  /**
   * Every status code named in the five status-code guides under {@code shared/seeds/}, found
   * with {@code grep -ohE '\b[1-5][0-9]{2}\b' shared/seeds/*.txt | sort -un}.
   */
  static final List<Integer> SEED_CODES = List.of(
      100, 101, 102, 103,
      200, 201, 202, 203, 204, 205, 206, 207, 208, 226,
      300, 301, 302, 303, 304, 305, 306, 307, 308,
      400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417,
      418, 421, 422, 423, 424, 425, 426, 428, 429, 431, 451, 499,
      500, 501, 502, 503, 504, 505, 507, 508, 510, 511, 599);

  /**
   * The treatment of every listed code, written out from the "Outcome classes" section of the
   * product design rather than derived from the table. 506 is not in the seeds but the design
   * names it.
   */
  public static final Map<Integer, Retryability> EXPECTED = Map.ofEntries(
      entry(100, PASS_THROUGH), entry(101, PASS_THROUGH), entry(102, PASS_THROUGH),
      entry(103, PASS_THROUGH),
      entry(200, PASS_THROUGH), entry(201, PASS_THROUGH), entry(202, PASS_THROUGH),
      entry(203, PASS_THROUGH), entry(204, PASS_THROUGH), entry(205, PASS_THROUGH),
      entry(206, PASS_THROUGH), entry(207, PASS_THROUGH), entry(208, PASS_THROUGH),
      entry(226, PASS_THROUGH),
      entry(300, PASS_THROUGH), entry(301, PASS_THROUGH), entry(302, PASS_THROUGH),
      entry(303, PASS_THROUGH), entry(304, PASS_THROUGH), entry(305, PASS_THROUGH),
      entry(306, PASS_THROUGH), entry(307, PASS_THROUGH), entry(308, PASS_THROUGH),
      entry(400, NEVER), entry(401, AFTER_AUTH_REFRESH), entry(402, NEVER), entry(403, NEVER),
      entry(404, NEVER), entry(405, NEVER), entry(406, NEVER), entry(407, NEVER),
      entry(408, ALWAYS), entry(409, WITH_KEY), entry(410, NEVER), entry(411, NEVER),
      entry(412, NEVER), entry(413, WITH_RETRY_AFTER), entry(414, NEVER), entry(415, NEVER),
      entry(416, NEVER), entry(417, NEVER), entry(418, NEVER), entry(421, NEVER),
      entry(422, NEVER), entry(423, NEVER), entry(424, NEVER), entry(425, ALWAYS),
      entry(426, NEVER), entry(428, NEVER), entry(429, ALWAYS), entry(431, NEVER),
      entry(451, NEVER), entry(499, NEVER),
      entry(500, WHEN_SAFE), entry(501, NEVER), entry(502, WHEN_SAFE), entry(503, WHEN_SAFE),
      entry(504, WHEN_SAFE), entry(505, NEVER), entry(506, NEVER), entry(507, NEVER),
      entry(508, NEVER), entry(510, NEVER), entry(511, NEVER), entry(599, WHEN_SAFE));

  private final StatusTable table = StatusTable.defaults();

  @Test
  void everyCodeNamedInTheSeedGuidesIsListed() {
    List<Integer> missing = SEED_CODES.stream()
        .filter(code -> !table.isKnown(code))
        .collect(Collectors.toList());
    assertEquals(List.of(), missing, "seed codes missing from the table");
  }

  @Test
  void everyListedCodeHasTheTreatmentTheDesignGivesIt() {
    List<String> wrong = new ArrayList<>();
    EXPECTED.forEach((code, expected) -> {
      Retryability actual = table.lookup(code).retryability();
      if (actual != expected) {
        wrong.add(code + ": expected " + expected + " but was " + actual);
      }
    });
    assertEquals(List.of(), wrong);
  }

  @Test
  void tableListsExactlyTheExpectedCodes() {
    // A new row must come with a deliberate line in EXPECTED.
    TreeSet<Integer> listed = table.entries().stream()
        .map(StatusEntry::code)
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(new TreeSet<>(EXPECTED.keySet()), listed);
  }

  @Test
  void tooManyRequestsIsRetriedForAnyMethod() {
    StatusEntry entry = table.lookup(429);
    assertEquals("Too Many Requests", entry.name());
    assertEquals(ALWAYS, entry.retryability());
  }

  @Test
  void gatewayTimeoutReasonSaysTheRequestMayHaveBeenProcessed() {
    StatusEntry entry = table.lookup(504);
    assertEquals(WHEN_SAFE, entry.retryability());
    assertTrue(entry.reason().contains("may have processed"), entry.reason());
  }

  @Test
  void conflictIsRetriedOnlyWithAnIdempotencyKey() {
    assertEquals(WITH_KEY, table.lookup(409).retryability());
  }

  @Test
  void payloadTooLargeIsRetriedOnlyWithRetryAfter() {
    assertEquals(WITH_RETRY_AFTER, table.lookup(413).retryability());
  }

  @Test
  void unauthorizedIsRetriedOnlyAfterAnAuthRefresh() {
    assertEquals(AFTER_AUTH_REFRESH, table.lookup(401).retryability());
  }

  @Test
  void clientClosedRequestIsNeverRetried() {
    assertEquals(NEVER, table.lookup(499).retryability());
  }

  @ParameterizedTest
  @ValueSource(ints = {150, 199})
  void unknownInformationalCodePassesThrough(int code) {
    assertUnknown(code, "Unknown 1xx", PASS_THROUGH);
  }

  @ParameterizedTest
  @ValueSource(ints = {209, 250, 299})
  void unknownSuccessCodePassesThrough(int code) {
    assertUnknown(code, "Unknown 2xx", PASS_THROUGH);
  }

  @ParameterizedTest
  @ValueSource(ints = {309, 399})
  void unknownRedirectCodePassesThrough(int code) {
    assertUnknown(code, "Unknown 3xx", PASS_THROUGH);
  }

  @ParameterizedTest
  @ValueSource(ints = {419, 420, 427, 430, 432, 450, 498})
  void unknownClientErrorIsNeverRetried(int code) {
    assertUnknown(code, "Unknown 4xx", NEVER);
  }

  @ParameterizedTest
  @ValueSource(ints = {509, 512, 520, 529, 598})
  void unknownServerErrorIsRetriedWhenSafe(int code) {
    assertUnknown(code, "Unknown 5xx", WHEN_SAFE);
  }

  @ParameterizedTest
  @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 1, 99, 600, 999, 1000, Integer.MAX_VALUE})
  void codeOutsideTheHttpRangeIsInvalidAndNeverRetried(int code) {
    StatusEntry entry = table.lookup(code);
    assertAll(
        () -> assertEquals(code, entry.code()),
        () -> assertEquals("Invalid status", entry.name()),
        () -> assertEquals(NEVER, entry.retryability()),
        () -> assertFalse(table.isKnown(code)));
  }

  @Test
  void lookupAnswersEveryIntWithAnEntryForThatCode() {
    // Exhaustive around the HTTP range, plus the int extremes: exact, and the same on every run.
    for (int code = -1_000; code <= 2_000; code++) {
      assertEntryForCode(code);
    }
    for (int code : new int[] {Integer.MIN_VALUE, Integer.MIN_VALUE + 1, Integer.MAX_VALUE}) {
      assertEntryForCode(code);
    }
  }

  @Test
  void lookupOfACodeInRangeReturnsTheSameInstanceEachTime() {
    // The hot path must not allocate: known and unknown codes in range come from one array.
    assertSame(table.lookup(503), table.lookup(503));
    assertSame(table.lookup(432), table.lookup(432));
  }

  @Test
  void defaultsIsOneSharedInstance() {
    assertSame(StatusTable.defaults(), StatusTable.defaults());
  }

  @Test
  void entriesAreSortedByCode() {
    List<Integer> codes = table.entries().stream()
        .map(StatusEntry::code)
        .collect(Collectors.toList());
    List<Integer> sorted = new ArrayList<>(codes);
    sorted.sort(null);
    assertEquals(sorted, codes);
  }

  @Test
  void entriesCannotBeModified() {
    List<StatusEntry> entries = table.entries();
    assertThrows(UnsupportedOperationException.class, () -> entries.add(entries.get(0)));
    assertThrows(UnsupportedOperationException.class, () -> entries.remove(0));
  }

  @Test
  void everyEntryHasAOneLineReasonAndAMeaningOfFullSentences() {
    for (StatusEntry entry : table.entries()) {
      assertFalse(entry.reason().isBlank(), () -> entry.code() + " reason");
      assertFalse(entry.reason().contains("\n"), () -> entry.code() + " reason");
      assertTrue(entry.meaning().endsWith("."),
          () -> entry.code() + " meaning: " + entry.meaning());
      assertTrue(Character.isUpperCase(entry.meaning().charAt(0)), () -> entry.code() + " meaning");
    }
  }

  @Test
  void entryRejectsNullsAndMultiLineReasons() {
    assertThrows(NullPointerException.class, () -> new StatusEntry(500, null, NEVER, "r", "m."));
    assertThrows(NullPointerException.class, () -> new StatusEntry(500, "n", null, "r", "m."));
    assertThrows(NullPointerException.class, () -> new StatusEntry(500, "n", NEVER, null, "m."));
    assertThrows(NullPointerException.class, () -> new StatusEntry(500, "n", NEVER, "r", null));
    assertThrows(IllegalArgumentException.class,
        () -> new StatusEntry(500, "n", NEVER, "one\ntwo", "m."));
    assertThrows(IllegalArgumentException.class, () -> new StatusEntry(500, "n", NEVER, " ", "m."));
  }

  private void assertEntryForCode(int code) {
    StatusEntry entry = table.lookup(code);
    assertNotNull(entry, () -> "no entry for " + code);
    assertEquals(code, entry.code());
    assertEquals(EXPECTED.containsKey(code), table.isKnown(code), () -> "isKnown(" + code + ")");
  }

  private void assertUnknown(int code, String name, Retryability retryability) {
    StatusEntry entry = table.lookup(code);
    assertAll(
        () -> assertFalse(table.isKnown(code)),
        () -> assertEquals(code, entry.code()),
        () -> assertEquals(name, entry.name()),
        () -> assertEquals(retryability, entry.retryability()));
  }
}
