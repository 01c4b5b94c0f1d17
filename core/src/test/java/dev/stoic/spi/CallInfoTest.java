package dev.stoic.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.testing.Generators;
import dev.stoic.testing.Properties;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The immutable CallInfo adapters build with of() or the builder, and the URL host parser. */
class CallInfoTest {
  @ParameterizedTest(name = "{0} -> [{1}]")
  @CsvSource(delimiter = '|', emptyValue = "", value = {
      "https://api.example.com/items?id=1|api.example.com",
      "https://api.example.com:8443/items|api.example.com",
      "https://user:secret@api.example.com:8443/items|api.example.com",
      "https://a@b@api.example.com/|api.example.com",
      "http://[::1]:8080/health|[::1]",
      "http://[2001:db8::1]/|[2001:db8::1]",
      "http://user@[::1]/x|[::1]",
      "http://[::1|[::1",
      "https://api.example.com|api.example.com",
      "https://api.example.com?q=a@b:c|api.example.com",
      "https://api.example.com#frag@x|api.example.com",
      "https://api.example.com/p@th:1|api.example.com",
      "mailto:someone@example.com|''",
      "/relative/path|''",
      "http:///no-host|''"})
  void hostOfTakesTheHostWithoutUserInfoOrPortAndKeepsIpv6Brackets(String url, String host) {
    assertEquals(host.equals("''") ? "" : host, CallInfo.hostOf(url));
  }

  @Test
  void hostOfNeverThrowsAndNeverReturnsUserInfoPathQueryOrFragment() {
    Properties.forAll("hostOfNeverThrows", 2000,
        Generators.oneOf(
            Generators.strings(Generators.anyChar(), 40),
            Generators.strings(Generators.charsOf("htps:/[]@?#:.a1"), 30)),
        url -> {
          String host = CallInfo.hostOf(url);
          assertTrue(url.contains(host), "a substring of the URL");
          for (char c : "/?#@".toCharArray()) assertEquals(-1, host.indexOf(c), "no " + c);
        });
  }

  @Test
  void ofKeepsWhatItIsGivenAndParsesTheHostOnlyWhenNotGiven() {
    CallInfo given = CallInfo.of("POST", "https://a.example/x", "b.example", "key-1", false, 5);
    assertEquals("POST", given.method());
    assertEquals("https://a.example/x", given.url());
    assertEquals("b.example", given.host());
    assertEquals("key-1", given.callerIdempotencyKey());
    assertFalse(given.bodyReplayable());
    assertEquals(5, given.clientTimeoutNanos());

    CallInfo parsed = CallInfo.of("get", "https://u:p@a.example:444/x", null, null, true, -7);
    assertEquals("get", parsed.method(), "the method as written: case-sensitive");
    assertEquals("a.example", parsed.host());
    assertNull(parsed.callerIdempotencyKey());
    assertTrue(parsed.bodyReplayable());
    assertEquals(0, parsed.clientTimeoutNanos(), "a negative limit is none");
  }

  @Test
  void builderDefaultsToAReplayableKeylessCallWithoutALimit() {
    CallInfo call = CallInfo.builder("GET", "http://[::1]:9/x").build();
    assertEquals("[::1]", call.host());
    assertNull(call.callerIdempotencyKey());
    assertTrue(call.bodyReplayable());
    assertEquals(0, call.clientTimeoutNanos());

    CallInfo set = CallInfo.builder("PUT", "http://h/x").host("other").callerIdempotencyKey("k")
        .bodyReplayable(false).clientTimeout(Duration.ofMillis(3)).build();
    assertEquals("other", set.host());
    assertEquals("k", set.callerIdempotencyKey());
    assertFalse(set.bodyReplayable());
    assertEquals(3_000_000, set.clientTimeoutNanos());
    assertEquals(0, CallInfo.builder("GET", "http://h/").clientTimeout(Duration.ofSeconds(-1))
        .build().clientTimeoutNanos());
  }

  @Test
  void nullMethodOrUrlIsRefusedByName() {
    assertEquals("method == null", assertThrows(NullPointerException.class,
        () -> CallInfo.of(null, "http://h/", null, null, true, 0)).getMessage());
    assertEquals("url == null", assertThrows(NullPointerException.class,
        () -> CallInfo.of("GET", null, "h", null, true, 0)).getMessage());
    assertEquals("method == null", assertThrows(NullPointerException.class,
        () -> CallInfo.builder(null, "http://h/")).getMessage());
    assertEquals("url == null", assertThrows(NullPointerException.class,
        () -> CallInfo.builder("GET", null)).getMessage());
  }
}
