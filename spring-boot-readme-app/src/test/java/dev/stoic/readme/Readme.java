package dev.stoic.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The README's Spring Boot section, and the code blocks in it. */
final class Readme {
  private Readme() {}

  /** The section, from its heading to the next heading of its level. */
  static String springBootSection() {
    String readme;
    try {
      readme = Files.readString(Path.of("../README.md"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int start = readme.indexOf("### Spring Boot\n");
    int end = readme.indexOf("\n### ", start + 1);
    if (start < 0 || end < 0) throw new IllegalStateException("no Spring Boot section in README.md");
    return readme.substring(start, end);
  }

  /** The first block fenced as {@code language} in the section. */
  static String block(String language) {
    String section = springBootSection();
    int start = section.indexOf("```" + language + "\n");
    if (start < 0) throw new IllegalStateException("no " + language + " block in the section");
    start += language.length() + 4;
    return section.substring(start, section.indexOf("```", start));
  }

  /** "group:artifact" of each dependency the text names as Maven elements, in order. */
  static List<String> mavenDependencies(String xml) {
    List<String> out = new ArrayList<>();
    Matcher dependency = Pattern.compile(
        "<dependency>\\s*<groupId>([^<]+)</groupId>\\s*<artifactId>([^<]+)</artifactId>(.*?)</dependency>",
        Pattern.DOTALL).matcher(xml);
    while (dependency.find()) {
      String rest = dependency.group(3);
      String scope = rest.contains("<scope>") ? rest.replaceAll("(?s).*<scope>([^<]+)</scope>.*", "$1") : "";
      out.add(dependency.group(1) + ":" + dependency.group(2) + (scope.isEmpty() ? "" : ":" + scope));
    }
    return out;
  }
}
