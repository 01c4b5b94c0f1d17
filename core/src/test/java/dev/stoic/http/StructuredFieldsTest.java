package dev.stoic.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stoic.http.StructuredFields.Member;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exact expectations for Structured Field Lists and Dictionaries, after RFC 8941 and RFC 9651.
 *
 * <p>A parsed field reads as its members joined by {@code " | "}, each as {@code type:value} and
 * its parameters as {@code ;key=type:value}; {@code invalid} means the field does not parse.
 */
class StructuredFieldsTest {
  static Stream<Arguments> lists() {
    return Stream.of(
        row("empty is the empty list", "", ""),
        row("spaces only are the empty list", "   ", ""),
        row("integers", "1, 42", "int:1 | int:42"),
        row("no space after the comma", "1,42", "int:1 | int:42"),
        row("OWS before and after the comma, tabs too", "1 \t, \t42", "int:1 | int:42"),
        row("leading spaces are discarded", "  1", "int:1"),
        row("trailing spaces are discarded", "1  ", "int:1"),
        row("a leading tab is not", "\t1", "invalid"),
        row("a trailing comma", "1,", "invalid"),
        row("a leading comma", ",1", "invalid"),
        row("an empty member", "1,,2", "invalid"),
        row("two items without a comma", "1 2", "invalid"),
        // Parameters.
        row("parameters of several types", "1;a=1;b=?0;c=\"x\";d=tok",
            "int:1;a=int:1;b=bool:0;c=str:x;d=tok:tok"),
        row("a parameter without a value is true", "a;b", "tok:a;b=bool:1"),
        row("spaces after a semicolon", "1; a=1", "int:1;a=int:1"),
        row("a space before a semicolon", "1 ;a=1", "invalid"),
        row("a space before the equals sign", "1;a =1", "invalid"),
        row("an uppercase key", "1;A=1", "invalid"),
        row("a key may start with a star and hold . _ - *", "1;*a.b_c-d*=2",
            "int:1;*a.b_c-d*=int:2"),
        row("a parameter value cannot be an inner list", "1;a=(1)", "invalid"),
        row("a repeated parameter keeps both; lookups take the last", "1;a=1;a=2",
            "int:1;a=int:1;a=int:2"),
        // Inner lists.
        row("an inner list with parameters", "(1 2);a=1, 3", "inner;a=int:1 | int:3"),
        row("spaces inside the parentheses", "( 1  2 )", "inner"),
        row("an empty inner list", "()", "inner"),
        row("items in an inner list may have parameters", "(1;a 2);b", "inner;b=bool:1"),
        row("a comma inside an inner list", "(1,2)", "invalid"),
        row("an unclosed inner list", "(1 2", "invalid"),
        row("no space between inner items", "(1\"a\")", "invalid"),
        // Integers and decimals.
        row("fifteen digits", "999999999999999", "int:999999999999999"),
        row("sixteen digits", "1000000000000000", "invalid"),
        row("negative fifteen digits", "-999999999999999", "int:-999999999999999"),
        row("leading zeros", "007", "int:7"),
        row("minus zero", "-0", "int:0"),
        row("a minus alone", "-", "invalid"),
        row("a space after the minus", "- 1", "invalid"),
        row("a plus sign", "+1", "invalid"),
        row("a decimal", "1.5", "dec:1.5"),
        row("a negative decimal", "-1.25", "dec:-1.25"),
        row("twelve integer digits and three fraction digits", "123456789012.123",
            "dec:123456789012.123"),
        row("thirteen integer digits in a decimal", "1234567890123.1", "invalid"),
        row("four fraction digits", "1.1234", "invalid"),
        row("a trailing dot", "1.", "invalid"),
        row("an exponent", "1e3", "invalid"),
        row("letters after digits", "1a", "invalid"),
        // Strings.
        row("a string with escapes", "\"a \\\"b\\\" \\\\ c\"", "str:a \"b\" \\ c"),
        row("an empty string", "\"\"", "str:"),
        row("an unknown escape", "\"\\n\"", "invalid"),
        row("a tab in a string", "\"a\tb\"", "invalid"),
        row("non-ASCII in a string", "\"caf\u00e9\"", "invalid"),
        row("an unterminated string", "\"abc", "invalid"),
        row("a backslash at the end", "\"abc\\", "invalid"),
        // Tokens.
        row("a token with every allowed punctuation",
            "*a!#$%&'*+-.^_`|~:/9", "tok:*a!#$%&'*+-.^_`|~:/9"),
        row("tokens keep their case", "Default", "tok:Default"),
        row("non-ASCII after a token", "caf\u00e9", "invalid"),
        // Byte sequences.
        row("a padded byte sequence", ":cHJldGVuZCB0aGlzIGlzIGJpbmFyeSBjb250ZW50Lg==:", "bytes"),
        row("an empty byte sequence", "::", "bytes"),
        row("missing padding is accepted", ":YQ:", "bytes"),
        row("one character is no base64", ":a:", "invalid"),
        row("padding in the middle", ":Y=Q=:", "invalid"),
        row("padding that does not fill a block", ":YQ=:", "invalid"),
        row("a character outside base64", ":a*bc:", "invalid"),
        row("an unterminated byte sequence", ":YQ==", "invalid"),
        // Booleans, dates and display strings.
        row("booleans", "?1, ?0", "bool:1 | bool:0"),
        row("a boolean of two", "?2", "invalid"),
        row("a question mark alone", "?", "invalid"),
        row("a date", "@1659578233", "date:1659578233"),
        row("a negative date", "@-1", "date:-1"),
        row("a decimal date", "@1.5", "invalid"),
        row("an at sign alone", "@", "invalid"),
        row("a display string", "%\"caf%c3%a9 %22x%22\"", "dstr:caf\u00e9 \"x\""),
        row("uppercase hex in a display string", "%\"%C3%A9\"", "invalid"),
        row("invalid UTF-8 in a display string", "%\"%ff\"", "invalid"),
        row("a truncated escape in a display string", "%\"%c\"", "invalid"),
        row("a percent sign alone", "%", "invalid"));
  }

  static Stream<Arguments> dictionaries() {
    return Stream.of(
        row("empty is the empty dictionary", "", ""),
        row("integers", "a=1, b=2", "a=int:1 | b=int:2"),
        row("a member without a value is true, with parameters", "a, b;x=1",
            "a=bool:1 | b=bool:1;x=int:1"),
        row("an inner list value", "a=(1 2);p", "a=inner;p=bool:1"),
        row("a repeated key keeps both", "a=1, a=2", "a=int:1 | a=int:2"),
        row("a key starting with a star", "*a=1", "*a=int:1"),
        row("an uppercase key", "A=1", "invalid"),
        row("a missing value", "a=", "invalid"),
        row("a space around the equals sign", "a = 1", "invalid"),
        row("a trailing comma", "a=1,", "invalid"),
        row("members without a comma", "a=1 b=2", "invalid"),
        row("a string key", "\"a\"=1", "invalid"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lists")
  void listsParseAsTheVectorSays(String what, String field, String expected) {
    assertEquals(expected, describe(StructuredFields.parseList(field)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dictionaries")
  void dictionariesParseAsTheVectorSays(String what, String field, String expected) {
    assertEquals(expected, describe(StructuredFields.parseDictionary(field)));
  }

  @Test
  void lookupFindsTheLastMemberWithAKey() {
    List<Member> dictionary = StructuredFields.parseDictionary("a=1, b=2, a=3");
    assertEquals(3, StructuredFields.lookup(dictionary, "a").number());
    assertEquals(null, StructuredFields.lookup(dictionary, "c"));
  }

  @Test
  void parameterFindsTheLastParameterWithAKey() {
    Member item = StructuredFields.parseList("x;a=1;a=2").get(0);
    assertEquals(2, item.parameter("a").number());
    assertEquals(null, item.parameter("b"));
  }

  private static Arguments row(String what, String field, String expected) {
    return Arguments.of(what, field, expected);
  }

  private static String describe(List<Member> members) {
    if (members == null) return "invalid";
    List<String> parts = new ArrayList<>();
    for (Member member : members) parts.add(describe(member));
    return String.join(" | ", parts);
  }

  private static String describe(Member member) {
    StringBuilder s = new StringBuilder();
    if (member.key() != null) s.append(member.key()).append('=');
    s.append(value(member));
    for (Member parameter : member.parameters()) {
      s.append(';').append(parameter.key()).append('=').append(value(parameter));
    }
    return s.toString();
  }

  private static String value(Member member) {
    switch (member.type()) {
      case INTEGER: return "int:" + member.number();
      case DECIMAL: return "dec:" + BigDecimal.valueOf(member.number(), 3).stripTrailingZeros();
      case STRING: return "str:" + member.text();
      case TOKEN: return "tok:" + member.text();
      case BYTE_SEQUENCE: return "bytes";
      case BOOLEAN: return "bool:" + member.number();
      case DATE: return "date:" + member.number();
      case DISPLAY_STRING: return "dstr:" + member.text();
      default: return "inner";
    }
  }
}
