package dev.stoic.config;

import dev.stoic.RetryPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the Spring Boot starter's configuration metadata for IDEs ({@code
 * additional-spring-configuration-metadata.json}) from the settings in code ({@link Setting}), as
 * {@link ConfigDocs} writes the schema page: so a configurable setting is declared once. Not part
 * of the API; {@code ConfigDocsTest} fails while the checked-in file differs. Stateless.
 */
final class ConfigMetadata {
  static final String PATH =
      "spring-boot-starter/src/main/resources/META-INF/additional-spring-configuration-metadata.json";
  private static final String REFERENCE =
      "Reference: https://github.com/stoic-http/stoic/blob/main/docs/configuration.md";
  private static final String SOURCE = "dev.stoic.config.StoicConfig";

  private ConfigMetadata() {}

  static String json() {
    Map<String, String> defaults = new LinkedHashMap<>();
    for (String line : RetryPolicy.defaults().describe().lines().toList()) {
      int eq = line.indexOf(" = ");
      defaults.put(line.substring(0, eq), line.substring(eq + 3, line.lastIndexOf(" (")));
    }
    List<String> properties = new ArrayList<>();
    List<String> hints = new ArrayList<>();
    for (Setting setting : Setting.values()) {
      if (!setting.configurable()) continue;
      String name = setting.key.equals("status.<code>") ? "stoic.status" : "stoic." + setting.key;
      String description = capitalized(setting.type) + ": " + setting.accepted + ". " + REFERENCE;
      if (setting == Setting.STATUS) {
        properties.add(property(name, "java.util.Map<java.lang.Integer,java.lang.String>",
            description, null));
        continue;
      }
      String value = defaults.get(setting.key);
      String type = switch (setting.type) {
        case "integer" -> "java.lang.Integer";
        case "boolean" -> "java.lang.Boolean";
        default -> "java.lang.String";
      };
      boolean literal = type.equals("java.lang.Integer") || type.equals("java.lang.Boolean");
      properties.add(property(name, type, description, literal ? value : quoted(value)));
      if (setting.type.equals("one of")) hints.add(hint(name, setting.accepted.split(", ")));
    }
    properties.add(property("stoic.route-order", "java.lang.String", "List of route names: every"
        + " route once; required with two routes or more. " + REFERENCE, null));
    properties.add(property("stoic.routes", "java.util.Map<java.lang.String,java.lang.String>",
        "Routes by name: stoic.routes.<name>.host or .path-prefix, and any policy key above"
            + " (except retry-budget and retry-budget.*) to override it for that route. "
            + REFERENCE, null));
    return "{\n  \"properties\": [\n" + String.join(",\n", properties) + "\n  ],\n"
        + "  \"hints\": [\n" + String.join(",\n", hints) + "\n  ]\n}";
  }

  private static String property(String name, String type, String description, String value) {
    return "    {\n      \"name\": " + quoted(name) + ",\n      \"type\": " + quoted(type)
        + ",\n      \"description\": " + quoted(description) + ",\n      \"sourceType\": "
        + quoted(SOURCE) + (value == null ? "" : ",\n      \"defaultValue\": " + value) + "\n    }";
  }

  private static String hint(String name, String[] values) {
    List<String> items = new ArrayList<>();
    for (String v : values) items.add("        {\n          \"value\": " + quoted(v) + "\n        }");
    return "    {\n      \"name\": " + quoted(name) + ",\n      \"values\": [\n"
        + String.join(",\n", items) + "\n      ]\n    }";
  }

  private static String capitalized(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  private static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
