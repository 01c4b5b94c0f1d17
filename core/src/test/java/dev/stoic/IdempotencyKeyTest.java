package dev.stoic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.IdempotencyKey.Format;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdempotencyKeyTest {
  @Test
  void defaultsRecogniseIdempotencyKeyAndGenerateNone() {
    IdempotencyKey key = IdempotencyKey.defaults();
    assertEquals("Idempotency-Key", key.headerName());
    assertEquals(IdempotencyKey.DEFAULT_HEADER, key.headerName());
    assertFalse(key.autoGenerates());
    assertEquals(Format.PLAIN, key.format());
    assertSame(key, IdempotencyKey.defaults());
    assertEquals(
        "IdempotencyKey{header=Idempotency-Key, autoGenerate=false, format=PLAIN}",
        key.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"Idempotency-Key", "X-Idempotency-Key", "x", "A1", "!#$%&'*+-.^_`|~"})
  void tokenCharactersMakeAValidHeaderName(String name) {
    assertEquals(name, IdempotencyKey.header(name).headerName());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "Idempotency Key", "Idempotency-Key:", "Key\r\n", "a(b)",
      "a\"b", "a,b", "a/b", "a@b", "a[b]", "a{b}", "a=b", "a;b", "a\tb", "Schl\u00fcssel",
      "\u0000"})
  void anythingElseIsRejectedQuotingTheName(String name) {
    assertMessage(IllegalArgumentException.class, "not a valid header name: \"" + name + "\"",
        () -> IdempotencyKey.header(name));
  }

  @Test
  void aNullHeaderNameIsRejected() {
    assertMessage(NullPointerException.class, "name == null", () -> IdempotencyKey.header(null));
  }

  @Test
  void aHeaderAloneRecognisesKeysButGeneratesNone() {
    IdempotencyKey key = IdempotencyKey.header("X-Key");
    assertFalse(key.autoGenerates());
    assertEquals(Format.PLAIN, key.format());
  }

  @Test
  void generatedKeysAreBareTokensByDefault() {
    // Stripe, Adyen and most payment APIs document a bare token.
    IdempotencyKey key = IdempotencyKey.header("Idempotency-Key").autoGenerate(() -> "abc-123");
    assertTrue(key.autoGenerates());
    assertEquals(Format.PLAIN, key.format());
    assertEquals("abc-123", key.newKeyValue());
    assertEquals("abc-123", key.plain().newKeyValue());
  }

  @Test
  void structuredKeysAreQuotedSfStrings() {
    IdempotencyKey key =
        IdempotencyKey.header("Idempotency-Key").autoGenerate(() -> "abc-123").structured();
    assertEquals(Format.STRUCTURED, key.format());
    assertEquals("\"abc-123\"", key.newKeyValue());
  }

  @Test
  void structuredKeysEscapeQuotesAndBackslashes() {
    IdempotencyKey key =
        IdempotencyKey.header("Idempotency-Key").autoGenerate(() -> "a\"b\\c").structured();
    assertEquals("\"a\\\"b\\\\c\"", key.newKeyValue());
  }

  @Test
  void plainKeysAreWrittenAsGenerated() {
    IdempotencyKey key = IdempotencyKey.header("Idempotency-Key").autoGenerate(() -> "a\"b")
        .structured().plain();
    assertEquals(Format.PLAIN, key.format());
    assertEquals("a\"b", key.newKeyValue());
    assertEquals("\"a\\\"b\"", key.structured().newKeyValue());
  }

  @Test
  void theFormatIsKeptWhicheverOrderItIsSetIn() {
    IdempotencyKey structuredFirst =
        IdempotencyKey.header("K").structured().autoGenerate(() -> "v");
    IdempotencyKey structuredLast =
        IdempotencyKey.header("K").autoGenerate(() -> "v").structured();
    assertEquals("\"v\"", structuredFirst.newKeyValue());
    assertEquals("\"v\"", structuredLast.newKeyValue());
    assertEquals(Format.STRUCTURED,
        IdempotencyKey.header("K").structured().autoGenerate().format());
  }

  @Test
  void autoGenerateWithoutASupplierMakesAFreshUuidEachTime() {
    IdempotencyKey key = IdempotencyKey.header("Idempotency-Key").autoGenerate();
    String first = key.newKeyValue();
    String second = key.newKeyValue();
    String uuid = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
    assertTrue(first.matches(uuid), first);
    assertTrue(key.structured().newKeyValue().matches("\"" + uuid + "\""));
    assertNotEquals(first, second);
  }

  @Test
  void theSupplierIsCalledOncePerKey() {
    AtomicInteger calls = new AtomicInteger();
    IdempotencyKey key =
        IdempotencyKey.header("K").autoGenerate(() -> "k" + calls.incrementAndGet());
    assertEquals(0, calls.get(), "nothing is generated up front");
    assertEquals("k1", key.newKeyValue());
    assertEquals("k2", key.newKeyValue());
    assertEquals(2, calls.get());
  }

  @Test
  void aLaterAutoGenerateWithoutSupplierDropsTheSupplier() {
    IdempotencyKey key = IdempotencyKey.header("K").autoGenerate(() -> "fixed").autoGenerate();
    assertNotEquals("fixed", key.newKeyValue());
  }

  @Test
  void aNullSupplierIsRejected() {
    assertMessage(NullPointerException.class, "generator == null",
        () -> IdempotencyKey.header("K").autoGenerate(null));
  }

  @Test
  void aSupplierReturningAnEmptyOrNullKeyIsAnIllegalState() {
    String message = "idempotency key generator returned an empty key";
    assertMessage(IllegalStateException.class, message,
        () -> IdempotencyKey.header("K").autoGenerate(() -> "").newKeyValue());
    assertMessage(IllegalStateException.class, message,
        () -> IdempotencyKey.header("K").autoGenerate(() -> null).plain().newKeyValue());
  }

  @Test
  void noneHasNoHeaderAndRejectsEverySettingThatNeedsOne() {
    IdempotencyKey none = IdempotencyKey.none();
    assertNull(none.headerName());
    assertFalse(none.autoGenerates());
    assertEquals("IdempotencyKey.none()", none.toString());
    assertSame(none, IdempotencyKey.none());
    String message = "IdempotencyKey.none() has no header; use header(name)";
    assertMessage(IllegalStateException.class, message, none::autoGenerate);
    assertMessage(IllegalStateException.class, message, () -> none.autoGenerate(() -> "k"));
    assertMessage(IllegalStateException.class, message, none::plain);
    assertMessage(IllegalStateException.class, message, none::structured);
  }

  @Test
  void eachCopyLeavesTheOriginalAlone() {
    IdempotencyKey original = IdempotencyKey.header("K");
    IdempotencyKey generating = original.autoGenerate().structured();
    assertFalse(original.autoGenerates());
    assertEquals(Format.PLAIN, original.format());
    assertTrue(generating.autoGenerates());
    assertEquals("IdempotencyKey{header=K, autoGenerate=true, format=STRUCTURED}",
        generating.toString());
  }

  private static void assertMessage(
      Class<? extends Throwable> type, String message, Executable executable) {
    assertEquals(message, assertThrows(type, executable).getMessage());
  }

  @Test
  void aGeneratedKeyThatCannotBeAHeaderValueIsRejected() {
    IdempotencyKey key = IdempotencyKey.header("Idempotency-Key").autoGenerate(() -> "a\r\nX-Evil: 1");
    IllegalStateException e = assertThrows(IllegalStateException.class, key::newKeyValue);
    assertEquals("idempotency key generator returned a key with a character not allowed in a header"
        + " (code 13 at index 1)", e.getMessage());
    IdempotencyKey unicode = IdempotencyKey.header("Idempotency-Key").autoGenerate(() -> "kéy");
    assertThrows(IllegalStateException.class, unicode::newKeyValue);
  }
}
