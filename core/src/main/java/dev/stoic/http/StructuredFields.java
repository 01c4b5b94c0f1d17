package dev.stoic.http;

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
    StructuredFieldParser parser = new StructuredFieldParser(value);
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
    StructuredFieldParser parser = new StructuredFieldParser(value);
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
}
