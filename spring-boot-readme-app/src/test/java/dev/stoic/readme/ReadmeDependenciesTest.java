package dev.stoic.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** This application is built from the README's Spring Boot dependencies, no more and no fewer. */
class ReadmeDependenciesTest {
  private static final List<String> README_LIST = List.of(
      "org.springframework.boot:spring-boot-starter-web",
      "org.springframework.boot:spring-boot-starter-actuator",
      "dev.stoic:stoic-spring-boot-starter");

  @Test
  void theMavenSnippetImportsTheBomAndListsTheThreeStarters() {
    assertEquals(List.of("dev.stoic:stoic-bom:import"), mavenManaged(Readme.block("xml")));
    List<String> listed = Readme.mavenDependencies(Readme.block("xml"));
    listed.remove("dev.stoic:stoic-bom:import");
    assertEquals(README_LIST, listed);
  }

  @Test
  void thisApplicationsPomHasExactlyTheReadmeListBesidesTests() throws Exception {
    String pom = Files.readString(Path.of("pom.xml"));
    List<String> dependencies = new ArrayList<>();
    for (String dependency : Readme.mavenDependencies(pom)) {
      if (!dependency.endsWith(":test") && !dependency.endsWith(":import")) dependencies.add(dependency);
    }
    assertEquals(README_LIST, dependencies);
    assertEquals(mavenManaged(Readme.block("xml")), mavenManaged(pom));
  }

  @Test
  void theGradleSnippetListsTheSameStarters() {
    List<String> listed = new ArrayList<>();
    Matcher line = Pattern.compile("implementation\\(\"([^:\"]+):([^:\"]+)\"\\)")
        .matcher(Readme.block("kotlin"));
    while (line.find()) listed.add(line.group(1) + ":" + line.group(2));
    assertEquals(README_LIST, listed);
  }

  @Test
  void theStoicVersionHereAndInTheReadmeIsTheProjects() throws Exception {
    String project = first(Files.readString(Path.of("../pom.xml")),
        "<artifactId>stoic-parent</artifactId>\\s*<version>([^<]+)</version>");
    assertEquals(project, first(Files.readString(Path.of("pom.xml")),
        "<stoic.version>([^<]+)</stoic.version>"));
    assertEquals(project, first(Readme.block("xml"),
        "<artifactId>stoic-bom</artifactId>\\s*<version>([^<]+)</version>"));
    assertEquals(project, first(Readme.block("kotlin"), "stoic-bom:([^\"]+)\""));
  }

  private static String first(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    return m.find() ? m.group(1) : null;
  }

  /** The BOMs a Maven text imports. */
  private static List<String> mavenManaged(String xml) {
    List<String> out = new ArrayList<>();
    for (String dependency : Readme.mavenDependencies(xml)) {
      if (dependency.endsWith(":import")) out.add(dependency);
    }
    return out;
  }
}
