package dev.stoic.http;

import dev.stoic.http.StructuredFields.Member;
import dev.stoic.http.StructuredFields.Type;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One pass over one Structured Field value, for {@link StructuredFields}: the parsing algorithms
 * of RFC 9651 section 4.2, step by step. The fields below hold the last bare item read. Not
 * thread-safe: one parser per value.
 */
final class StructuredFieldParser {
  private final String s;
  private final int end;
  private int pos;

  private Type type;
  private long number;
  private String text;

  StructuredFieldParser(String s) {
    this.s = s;
    this.end = s.length();
  }

  List<Member> list() {
    List<Member> members = new ArrayList<>();
    while (pos < end) {
      Member member = itemOrInnerList(null);
      if (member == null) return null;
      members.add(member);
      if (!nextMember()) return null;
    }
    return members;
  }

  List<Member> dictionary() {
    List<Member> members = new ArrayList<>();
    while (pos < end) {
      String key = key();
      if (key == null) return null;
      Member member;
      if (pos < end && s.charAt(pos) == '=') {
        pos++;
        member = itemOrInnerList(key);
      } else {
        List<Member> parameters = parameters();
        member = parameters == null ? null : new Member(key, Type.BOOLEAN, 1, null, parameters);
      }
      if (member == null) return null;
      members.add(member);
      if (!nextMember()) return null;
    }
    return members;
  }

  /** After a member: the end, or OWS, a comma, OWS and another member. */
  private boolean nextMember() {
    skipOptionalWhitespace();
    if (pos == end) return true;
    if (s.charAt(pos) != ',') return false;
    pos++;
    skipOptionalWhitespace();
    return pos < end; // a trailing comma is an error
  }

  private Member itemOrInnerList(String key) {
    if (pos < end && s.charAt(pos) == '(') return innerList(key);
    if (!bareItem()) return null;
    Type itemType = type;
    long itemNumber = number;
    String itemText = text;
    List<Member> parameters = parameters();
    if (parameters == null) return null;
    return new Member(key, itemType, itemNumber, itemText, parameters);
  }

  private Member innerList(String key) {
    pos++; // (
    while (pos < end) {
      skipSpaces();
      if (pos < end && s.charAt(pos) == ')') {
        pos++;
        List<Member> parameters = parameters();
        return parameters == null ? null : new Member(key, Type.INNER_LIST, 0, null, parameters);
      }
      if (!bareItem() || parameters() == null) return null;
      if (pos < end && s.charAt(pos) != ' ' && s.charAt(pos) != ')') return null;
    }
    return null;
  }

  /** Returns the parameters after an item (often none), or null if they do not parse. */
  private List<Member> parameters() {
    List<Member> parameters = List.of();
    while (pos < end && s.charAt(pos) == ';') {
      pos++;
      skipSpaces();
      String key = key();
      if (key == null) return null;
      if (pos < end && s.charAt(pos) == '=') {
        pos++;
        if (!bareItem()) return null;
      } else {
        type = Type.BOOLEAN;
        number = 1;
        text = null;
      }
      if (parameters.isEmpty()) parameters = new ArrayList<>(4);
      parameters.add(new Member(key, type, number, text, List.of()));
    }
    return parameters;
  }

  private String key() {
    if (pos == end) return null;
    char c = s.charAt(pos);
    if (!isLowercaseLetter(c) && c != '*') return null;
    int start = pos++;
    while (pos < end && isKeyChar(s.charAt(pos))) pos++;
    return s.substring(start, pos);
  }

  private boolean bareItem() {
    if (pos == end) return false;
    char c = s.charAt(pos);
    if (c == '-' || isDigit(c)) return integerOrDecimal();
    if (c == '"') return string();
    if (c == '*' || isLetter(c)) return token();
    if (c == ':') return byteSequence();
    if (c == '?') return bool();
    if (c == '@') return date();
    if (c == '%') return displayString();
    return false;
  }

  /** At most 15 integer digits, or 12 before and 1 to 3 after a dot; an optional minus. */
  private boolean integerOrDecimal() {
    boolean negative = s.charAt(pos) == '-';
    if (negative) pos++;
    if (pos == end || !isDigit(s.charAt(pos))) return false;
    long integer = 0;
    int digits = 0;
    while (pos < end && isDigit(s.charAt(pos))) {
      if (++digits > 15) return false;
      integer = integer * 10 + (s.charAt(pos++) - '0');
    }
    if (pos == end || s.charAt(pos) != '.') {
      type = Type.INTEGER;
      number = negative ? -integer : integer;
      text = null;
      return true;
    }
    if (digits > 12) return false;
    pos++; // .
    long thousandths = 0;
    int fractionDigits = 0;
    while (pos < end && isDigit(s.charAt(pos))) {
      if (++fractionDigits > 3) return false;
      thousandths = thousandths * 10 + (s.charAt(pos++) - '0');
    }
    if (fractionDigits == 0) return false;
    for (int i = fractionDigits; i < 3; i++) thousandths *= 10;
    long value = integer * 1000 + thousandths;
    type = Type.DECIMAL;
    number = negative ? -value : value;
    text = null;
    return true;
  }

  /** Printable ASCII between quotes; only {@code \"} and {@code \\} are escapes. */
  private boolean string() {
    int start = ++pos;
    StringBuilder unescaped = null;
    while (pos < end) {
      char c = s.charAt(pos++);
      if (c == '"') {
        text = unescaped == null ? s.substring(start, pos - 1) : unescaped.toString();
        type = Type.STRING;
        return true;
      }
      if (c < 0x20 || c > 0x7e) return false;
      if (c == '\\') {
        if (pos == end) return false;
        char escaped = s.charAt(pos++);
        if (escaped != '"' && escaped != '\\') return false;
        if (unescaped == null) unescaped = new StringBuilder().append(s, start, pos - 2);
        unescaped.append(escaped);
      } else if (unescaped != null) {
        unescaped.append(c);
      }
    }
    return false;
  }

  private boolean token() {
    int start = pos++;
    while (pos < end && isTokenChar(s.charAt(pos))) pos++;
    type = Type.TOKEN;
    text = s.substring(start, pos);
    return true;
  }

  /**
   * Base64 between colons, checked but not decoded. As RFC 8941 advises, missing padding is
   * accepted; misplaced padding, or a length no encoder writes, is not.
   */
  private boolean byteSequence() {
    int start = ++pos;
    int padding = 0;
    while (pos < end && s.charAt(pos) != ':') {
      char c = s.charAt(pos++);
      if (c == '=') {
        padding++;
      } else if (padding > 0 || !isBase64Char(c)) {
        return false;
      }
    }
    if (pos == end) return false;
    int length = pos++ - start;
    if (padding > 2 || (padding > 0 ? length % 4 != 0 : length % 4 == 1)) return false;
    type = Type.BYTE_SEQUENCE;
    number = 0;
    text = null;
    return true;
  }

  private boolean bool() {
    pos++; // ?
    if (pos == end) return false;
    char c = s.charAt(pos++);
    if (c != '0' && c != '1') return false;
    type = Type.BOOLEAN;
    number = c - '0';
    text = null;
    return true;
  }

  /** RFC 9651: {@code @} and an integer of seconds since the epoch. */
  private boolean date() {
    pos++; // @
    if (pos == end || !integerOrDecimal() || type != Type.INTEGER) return false;
    type = Type.DATE;
    return true;
  }

  /** RFC 9651: {@code %"..."} with UTF-8 as lowercase percent-escapes; strict UTF-8. */
  private boolean displayString() {
    pos++; // %
    if (pos == end || s.charAt(pos++) != '"') return false;
    byte[] bytes = new byte[end - pos];
    int length = 0;
    while (pos < end) {
      char c = s.charAt(pos++);
      if (c < 0x20 || c > 0x7e) return false;
      if (c == '"') return decodeUtf8(bytes, length);
      if (c == '%') {
        if (end - pos < 2) return false;
        int high = lowercaseHex(s.charAt(pos++));
        int low = lowercaseHex(s.charAt(pos++));
        if (high < 0 || low < 0) return false;
        bytes[length++] = (byte) (high << 4 | low);
      } else {
        bytes[length++] = (byte) c;
      }
    }
    return false;
  }

  private boolean decodeUtf8(byte[] bytes, int length) {
    try {
      /* A fresh decoder reports malformed input instead of replacing it. */
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 0, length))
          .toString();
    } catch (CharacterCodingException e) {
      return false;
    }
    type = Type.DISPLAY_STRING;
    number = 0;
    return true;
  }

  void skipSpaces() {
    while (pos < end && s.charAt(pos) == ' ') pos++;
  }

  /** OWS (spaces and tabs) is allowed only around the commas of lists and dictionaries. */
  private void skipOptionalWhitespace() {
    while (pos < end && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) pos++;
  }

  /* Character classes, ASCII only: Character.isLetter and isDigit accept far more. */

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isLowercaseLetter(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean isLetter(char c) {
    return isLowercaseLetter(c) || (c >= 'A' && c <= 'Z');
  }

  private static boolean isKeyChar(char c) {
    return isLowercaseLetter(c) || isDigit(c) || c == '_' || c == '-' || c == '.' || c == '*';
  }

  /** RFC 9110 tchar, plus ':' and '/' which sf-token allows after the first character. */
  private static boolean isTokenChar(char c) {
    return isLetter(c) || isDigit(c) || "!#$%&'*+-.^_`|~:/".indexOf(c) >= 0;
  }

  private static boolean isBase64Char(char c) {
    return isLetter(c) || isDigit(c) || c == '+' || c == '/';
  }

  private static int lowercaseHex(char c) {
    if (isDigit(c)) return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  }
}
