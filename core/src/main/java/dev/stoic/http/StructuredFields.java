package dev.stoic.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Parses Structured Field Lists and Dictionaries (RFC 8941, and the Date and Display String types
 * RFC 9651 adds).
 *
 * <p>Stateless and safe for concurrent use. Parsing never throws: text that is not a valid field
 * of the asked-for kind gives null, and RFC 8941 section 4.2 says such a field is ignored as a
 * whole. For example:
 *
 * <pre>{@code
 * List<Member> list = StructuredFields.parseList("\"burst\";r=0;t=30, \"daily\";r=20");
 * list.get(0).text();                       // "burst"
 * list.get(0).parameter("t").number();      // 30
 * StructuredFields.parseList("\"burst\" ;r=0"); // null: no space before a parameter
 * }</pre>
 *
 * <p>The parsing algorithms of RFC 9651 section 4.2 are followed step by step. Values a caller
 * here has no use for are checked but not kept: byte sequences are not decoded, and an inner
 * list keeps its parameters but not its items.
 *
 * <p>Package-private: the parser behind {@link RateLimitFields}, not API.
 */
final class StructuredFields {
  /** The type of a member's or parameter's value. */
  public enum Type {
    INTEGER, DECIMAL, STRING, TOKEN, BYTE_SEQUENCE, BOOLEAN, DATE, DISPLAY_STRING, INNER_LIST
  }

  private StructuredFields() {}

  /**
   * Returns the members of a List field, or null if {@code value} is not one. Empty (or blank)
   * text is the empty list.
   */
  public static List<Member> parseList(String value) {
    if (value.isEmpty()) return List.of();
    Parser parser = new Parser(value);
    parser.skipSpaces();
    return parser.list();
  }

  /**
   * Returns the members of a Dictionary field in order, each carrying its key, or null if {@code
   * value} is not one. A key that occurs twice is kept twice; {@link #lookup} finds the last, the
   * one RFC 8941 says wins.
   */
  public static List<Member> parseDictionary(String value) {
    if (value.isEmpty()) return List.of();
    Parser parser = new Parser(value);
    parser.skipSpaces();
    return parser.dictionary();
  }

  /** Returns the last dictionary member with {@code key}, or null. */
  public static Member lookup(List<Member> dictionary, String key) {
    for (int i = dictionary.size() - 1; i >= 0; i--) {
      if (key.equals(dictionary.get(i).key)) return dictionary.get(i);
    }
    return null;
  }

  /** One list member, dictionary member or parameter. Immutable. */
  public static final class Member {
    private final String key;
    private final Type type;
    private final long number;
    private final String text;
    private final List<Member> parameters;

    Member(String key, Type type, long number, String text, List<Member> parameters) {
      this.key = key;
      this.type = type;
      this.number = number;
      this.text = text;
      this.parameters = parameters;
    }

    /** The dictionary or parameter key; null for a list member. */
    public String key() {
      return key;
    }

    public Type type() {
      return type;
    }

    /**
     * The value of an integer or date; a decimal in thousandths (1.5 is 1500); 1 or 0 for a
     * boolean; 0 for other types.
     */
    public long number() {
      return number;
    }

    /** The unescaped text of a string, token or display string; null for other types. */
    public String text() {
      return text;
    }

    /** The parameters in order, repeated keys included; none for a parameter itself. */
    public List<Member> parameters() {
      return Collections.unmodifiableList(parameters);
    }

    /** Returns the last parameter named {@code key}, or null. */
    public Member parameter(String key) {
      return lookup(parameters, key);
    }

    /** True if this is an integer at or above zero. */
    public boolean isNonNegativeInteger() {
      return type == Type.INTEGER && number >= 0;
    }
  }

  /** One pass over one field value; the fields below hold the last bare item read. */
  private static final class Parser {
    private final String s;
    private final int end;
    private int pos;

    private Type type;
    private long number;
    private String text;

    Parser(String s) {
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
