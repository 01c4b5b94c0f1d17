package dev.stoic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedactionTest {
  final Redaction redaction = Redaction.defaults();

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      https://api.example.com/items                    | https://api.example.com/items
      https://api.example.com                          | https://api.example.com
      https://api.example.com/                         | https://api.example.com/
      http://localhost:8080/a/b?page=2                 | http://localhost:8080/a/b?page=2
      https://[::1]:8443/x?q=1                         | https://[::1]:8443/x?q=1
      https://api.example.com/items?                   | https://api.example.com/items?
      """)
  void aUrlWithoutSecretsIsUnchanged(String url, String expected) {
    assertEquals(expected, redaction.url(url));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      https://user:hunter2@api.example.com/x           | https://REDACTED@api.example.com/x
      https://user@api.example.com/x                   | https://REDACTED@api.example.com/x
      https://user:p@ss@api.example.com/x              | https://REDACTED@api.example.com/x
      https://user:pw@api.example.com                  | https://REDACTED@api.example.com
      https://user:pw@api.example.com?x=1              | https://REDACTED@api.example.com?x=1
      https://api.example.com/x?email=a@b.example      | https://api.example.com/x?email=a@b.example
      """)
  void userInfoIsMaskedWhereverTheAuthorityEnds(String url, String expected) {
    assertEquals(expected, redaction.url(url));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      https://h/p#section                              | https://h/p
      https://h#top                                    | https://h
      https://h/p?a=1#frag?token=x                     | https://h/p?a=1
      https://h/p#frag?token=x                         | https://h/p
      """)
  void theFragmentIsDropped(String url, String expected) {
    assertEquals(expected, redaction.url(url));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "access_token", "api_key", "apikey", "client_secret", "key", "password", "secret", "sig",
      "signature", "token"})
  void eachDefaultSecretParameterIsMasked(String name) {
    assertEquals("https://h/p?" + name + "=REDACTED&page=2",
        redaction.url("https://h/p?" + name + "=s3cr3t&page=2"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      https://h/p?TOKEN=abc                            | https://h/p?TOKEN=REDACTED
      https://h/p?Api_Key=abc&x=1                      | https://h/p?Api_Key=REDACTED&x=1
      https://h/p?token=a&token=b                      | https://h/p?token=REDACTED&token=REDACTED
      https://h/p?token=                               | https://h/p?token=REDACTED
      https://h/p?token=b=c                            | https://h/p?token=REDACTED
      https://h/p?a=b=c&token=t                        | https://h/p?a=b=c&token=REDACTED
      https://h/p?token                                | https://h/p?token
      https://h/p?token&a=1                            | https://h/p?token&a=1
      https://h/p?=token                               | https://h/p?=token
      https://h/p?&&token=t&                           | https://h/p?&&token=REDACTED&
      https://h/p?tokens=t&my_token=t                  | https://h/p?tokens=t&my_token=t
      https://h?token=t                                | https://h?token=REDACTED
      """)
  void secretParametersAreMaskedCaseInsensitivelyAndExactlyByName(String url, String expected) {
    assertEquals(expected, redaction.url(url));
  }

  @Test
  void configuredParametersAreMaskedOnTopOfTheDefaultsCaseInsensitively() {
    Redaction configured = redaction.withSecretQueryParameters(List.of("Session", "X-Sig"));
    assertEquals("https://h/p?session=REDACTED&SESSION=REDACTED&x-sig=REDACTED&token=REDACTED&q=1",
        configured.url("https://h/p?session=a&SESSION=b&x-sig=c&token=d&q=1"));
    assertEquals("https://h/p?session=a", redaction.url("https://h/p?session=a"),
        "the defaults are unchanged");
  }

  /*
   * Regression: names were compared as written, so a secret parameter whose name was
   * percent-encoded ("api%5Fkey", which every server reads as api_key) was shown in events, logs
   * and messages.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      https://h/p?api%5Fkey=s&q=1           | https://h/p?api%5Fkey=REDACTED&q=1
      https://h/p?API%5fKEY=s               | https://h/p?API%5fKEY=REDACTED
      https://h/p?%61%70%69_key=s           | https://h/p?%61%70%69_key=REDACTED
      https://h/p?q=1&access%5Ftoken=s      | https://h/p?q=1&access%5Ftoken=REDACTED
      https://h/p?api%zzkey=s&api%=t        | https://h/p?api%zzkey=s&api%=t
      https://h/p?caf%C3%A9=s               | https://h/p?caf%C3%A9=s
      """)
  void aSecretParameterWithAPercentEncodedNameIsMasked(String url, String expected) {
    assertEquals(expected, redaction.url(url));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {
      "api.example.com/items?token=t", "/items?token=t", "mailto:someone@example.com",
      "://host/x", "", "not a url", "user:pw@host"})
  void anythingThatIsNotAnAbsoluteUrlIsMaskedWhole(String notAUrl) {
    assertEquals("REDACTED", redaction.url(notAUrl));
  }

  @Test
  void aNullUrlIsShownAsNull() {
    assertEquals("null", redaction.url(null));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "Authorization", "authorization", "AUTHORIZATION", "Proxy-Authorization",
      "proxy-authorization", "Cookie", "cookie", "Set-Cookie", "SET-COOKIE"})
  void credentialHeadersAreAlwaysSecret(String name) {
    assertTrue(redaction.isSecretHeader(name));
    assertEquals("REDACTED", redaction.headerValue(name, "Bearer abc"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "Accept", "Retry-After", "X-Api-Key", "Idempotency-Key", "Authorization2"})
  void otherHeadersAreShownByDefault(String name) {
    assertFalse(redaction.isSecretHeader(name));
    assertEquals("value", redaction.headerValue(name, "value"));
  }

  @Test
  void configuredHeadersAreSecretCaseInsensitivelyOnTopOfTheAlwaysSecretOnes() {
    Redaction configured = redaction.withSecretHeaders(List.of("X-Api-Key"));
    assertTrue(configured.isSecretHeader("x-api-key"));
    assertTrue(configured.isSecretHeader("X-API-KEY"));
    assertTrue(configured.isSecretHeader("Authorization"));
    assertEquals("REDACTED", configured.headerValue("X-Api-Key", "k"));
    assertFalse(redaction.isSecretHeader("X-Api-Key"), "the defaults are unchanged");
  }

  @Test
  void policySecretHeadersReachTheRedaction() {
    RetryPolicy p = RetryPolicy.builder().secretHeaders("X-Token").secretQueryParameters("sid")
        .build();
    assertTrue(p.redaction().isSecretHeader("x-token"));
    assertEquals("https://h/?sid=REDACTED", p.redaction().url("https://h/?sid=1"));
  }

  @Test
  void namesAreValidated() {
    assertEquals("header names == null", assertThrows(NullPointerException.class,
        () -> redaction.withSecretHeaders(null)).getMessage());
    assertEquals("header name == null", assertThrows(NullPointerException.class,
        () -> redaction.withSecretHeaders(Arrays.asList("a", null))).getMessage());
    assertEquals("header name is blank", assertThrows(IllegalArgumentException.class,
        () -> redaction.withSecretHeaders(List.of(" \t"))).getMessage());
    assertEquals("query parameters == null", assertThrows(NullPointerException.class,
        () -> redaction.withSecretQueryParameters(null)).getMessage());
    assertEquals("query parameter is blank", assertThrows(IllegalArgumentException.class,
        () -> redaction.withSecretQueryParameters(List.of(""))).getMessage());
  }

  @Test
  void defaultsIsOneSharedInstance() {
    assertSame(Redaction.defaults(), Redaction.defaults());
    assertEquals("REDACTED", Redaction.MASK);
  }
}
