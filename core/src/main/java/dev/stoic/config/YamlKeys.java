package dev.stoic.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Flattens the YAML a Spring Boot user writes for {@code stoic:} into dotted keys: block mappings
 * by indentation, scalars (plain or quoted), and lists as block ({@code - a}) or flow ({@code [a,
 * b]}), joined with commas as Spring binds a list from a string. Anchors, tags, multi-line scalars
 * and documents are refused by name, so a file is never half read. Stateless.
 */
final class YamlKeys {
  private YamlKeys() {}

  /**
   * The keys of {@code text}, dotted.
   *
   * @throws IllegalArgumentException naming every line that cannot be read
   */
  static Map<String, String> read(String text) {
    Map<String, String> keys = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    List<Integer> indents = new ArrayList<>();
    List<String> path = new ArrayList<>();
    String listKey = null;
    int lineNumber = 0;
    for (String raw : text.split("\r?\n", -1)) {
      lineNumber++;
      String line = stripComment(raw);
      if (line.isBlank() || line.equals("---")) continue;
      int indent = line.length() - line.stripLeading().length();
      String body = line.strip();
      if (body.startsWith("- ") || body.equals("-")) {
        String item = unquote(body.substring(1).strip());
        if (listKey == null) {
          problems.add("line " + lineNumber + ": a list item outside a key");
        } else {
          keys.merge(listKey, item, (a, b) -> a.isEmpty() ? b : a + "," + b);
        }
        continue;
      }
      int colon = body.indexOf(": ");
      if (colon < 0 && body.endsWith(":")) colon = body.length() - 1;
      if (colon <= 0 || body.startsWith("&") || body.startsWith("*") || body.startsWith("!")) {
        problems.add("line " + lineNumber + ": not \"key: value\": " + body);
        continue;
      }
      while (!indents.isEmpty() && indents.get(indents.size() - 1) >= indent) {
        indents.remove(indents.size() - 1);
        path.remove(path.size() - 1);
      }
      String key = unquote(body.substring(0, colon).strip());
      String value = body.substring(colon + 1).strip();
      String full = path.isEmpty() ? key : String.join(".", path) + "." + key;
      listKey = null;
      if (value.isEmpty()) {
        indents.add(indent);
        path.add(key);
        listKey = full;
      } else if (value.startsWith("|") || value.startsWith(">") || value.startsWith("&")
          || value.startsWith("*") || value.startsWith("!") || value.startsWith("{")) {
        problems.add("line " + lineNumber + ": " + full + ": only plain values, quoted values"
            + " and lists are read here");
      } else if (value.startsWith("[") && value.endsWith("]")) {
        List<String> items = new ArrayList<>();
        for (String item : value.substring(1, value.length() - 1).split(",")) {
          if (!item.isBlank()) items.add(unquote(item.strip()));
        }
        keys.put(full, String.join(",", items));
      } else {
        keys.put(full, unquote(value));
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("not YAML this reader takes: " + String.join("; ", problems));
    }
    return keys;
  }

  private static String stripComment(String line) {
    boolean single = false;
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\'' && !quoted) single = !single;
      if (c == '"' && !single) quoted = !quoted;
      if (c == '#' && !single && !quoted && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
        return line.substring(0, i);
      }
    }
    return line;
  }

  private static String unquote(String s) {
    if (s.length() >= 2 && ((s.startsWith("\"") && s.endsWith("\""))
        || (s.startsWith("'") && s.endsWith("'")))) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }
}
