package dev.stoic.config;


import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import dev.stoic.internal.DurationText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How settings are written as text, both ways: {@link StoicConfig} reads values with these
 * parsers and {@link RetryPolicy#describe()} writes them with the formatters, so what describe()
 * prints can be read back. A parser throws {@link IllegalArgumentException} whose message says
 * what is wrong with the text; the caller adds the key and the range. Stateless.
 */
final class ConfigText {
  private ConfigText() {}

  /** A number and a unit, as Spring Boot writes simple durations: 500ms, 2s, 1m. */
  private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d{1,18})(ns|us|ms|s|m|h|d)");
  private static final Pattern INTEGER = Pattern.compile("\\d{1,9}");
  private static final Pattern DECIMAL = Pattern.compile("\\d{1,9}(\\.\\d{1,9})?");

  static Duration duration(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = SIMPLE_DURATION.matcher(s);
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      try {
        switch (m.group(2)) {
          case "ns": return Duration.ofNanos(amount);
          case "us": return Duration.ofNanos(Math.multiplyExact(amount, 1_000L));
          case "ms": return Duration.ofMillis(amount);
          case "s": return Duration.ofSeconds(amount);
          case "m": return Duration.ofMinutes(amount);
          case "h": return Duration.ofHours(amount);
          default: return Duration.ofDays(amount);
        }
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("too long a duration");
      }
    }
    if (s.startsWith("p") || s.startsWith("-p") || s.startsWith("+p")) {
      try {
        return Duration.parse(s.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        // reported below
      }
    }
    throw new IllegalArgumentException("not a duration, which is a whole number and a unit (ns,"
        + " us, ms, s, m, h, d) such as 500ms or 2s, or ISO-8601 such as PT2S");
  }

  /** An exact form {@link #duration} reads back: whole seconds (60s), else 250ms, 1500us or ns. */
  static String duration(Duration d) {
    return DurationText.of(d);
  }

  static int integer(String text) {
    String s = text.trim();
    if (!INTEGER.matcher(s).matches()) throw new IllegalArgumentException("not a whole number");
    return Integer.parseInt(s);
  }

  static double decimal(String text) {
    String s = text.trim();
    if (!DECIMAL.matcher(s).matches()) {
      throw new IllegalArgumentException("not a number such as 20 or 0.5");
    }
    return Double.parseDouble(s);
  }

  /** 2, 0.1, 1.5: no trailing zeros, never an exponent. */
  static String decimal(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  static boolean bool(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.equals("true")) return true;
    if (s.equals("false")) return false;
    throw new IllegalArgumentException("not true or false");
  }

  /** One of {@code choices}, compared ignoring case. */
  static String choice(String text, List<String> choices) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (choices.contains(s)) return s;
    throw new IllegalArgumentException("not one of the values allowed");
  }

  /** Comma-separated items, trimmed; empty or "none" is the empty list. */
  static List<String> list(String text) {
    String s = text.trim();
    List<String> items = new ArrayList<>();
    if (s.isEmpty() || s.equalsIgnoreCase("none")) return items;
    for (String item : s.split(",", -1)) {
      String trimmed = item.trim();
      if (trimmed.isEmpty()) {
        throw new IllegalArgumentException("a comma-separated list with an empty item");
      }
      items.add(trimmed);
    }
    return items;
  }

  /** A list's text as {@link #list} reads it back. */
  static String list(List<String> items) {
    return items.isEmpty() ? "none" : String.join(", ", items);
  }

  /** "none" for null, otherwise the value formatted by {@link #duration(Duration)}. */
  static String optionalDuration(Duration d) {
    return d == null ? "none" : duration(d);
  }

  /**
   * Names a piece of code set on a policy for a support ticket: its class name, or "lambda" for a
   * lambda or method reference, whose generated class name changes from run to run.
   */
  static String codeName(Object code) {
    Class<?> type = code.getClass();
    if (type.isSynthetic() || type.isHidden() || type.getName().contains("$$Lambda")) {
      return "lambda";
    }
    return type.getName();
  }

  /** A value as an error message may quote it: short, one line, no control characters. */
  static String quote(String value) {
    StringBuilder out = new StringBuilder("\"");
    int limit = Math.min(value.length(), 60);
    for (int i = 0; i < limit; i++) {
      char c = value.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    if (value.length() > limit) out.append("...");
    return out.append('"').toString();
  }

  static Duration upToADay(Duration d, Setting setting) {
    if (d.isNegative() || d.compareTo(Duration.ofDays(1)) > 0) throw setting.outOfRange();
    return d;
  }

  /** A positive duration, or null for "none". */
  static Duration positiveOrNone(String text, Setting setting) {
    if (text.trim().equalsIgnoreCase("none")) return null;
    Duration d = upToADay(ConfigText.duration(text), setting);
    if (d.isZero()) throw setting.outOfRange();
    return d;
  }

  static List<Integer> statusCodes(String text, Setting setting) {
    List<Integer> codes = new ArrayList<>();
    for (String item : ConfigText.list(text)) {
      int code;
      try {
        code = ConfigText.integer(item);
      } catch (IllegalArgumentException e) {
        throw setting.outOfRange();
      }
      if (code < 100 || code > 599) throw setting.outOfRange();
      codes.add(code);
    }
    return codes;
  }

  static List<Class<? extends Throwable>> throwableTypes(String text) {
    List<Class<? extends Throwable>> types = new ArrayList<>();
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) loader = ConfigText.class.getClassLoader();
    for (String name : ConfigText.list(text)) {
      Class<?> type;
      try {
        type = Class.forName(name, false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        throw new IllegalArgumentException(name + " is not on the class path");
      }
      if (!Throwable.class.isAssignableFrom(type)) {
        throw new IllegalArgumentException(name + " is not a Throwable");
      }
      types.add(type.asSubclass(Throwable.class));
    }
    return types;
  }
}
