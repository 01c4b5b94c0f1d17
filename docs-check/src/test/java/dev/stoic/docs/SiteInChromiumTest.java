package dev.stoic.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documentation site opened page by page in headless Chromium. Needs the site built first
 * ({@code mkdocs build --strict}, into {@code site/}) and Debian's {@code chromium}; runs only in
 * the {@code docs} profile: {@code mvn -B -ntp -Pdocs -pl docs-check verify}.
 */
class SiteInChromiumTest {
  static final Path SITE = Path.of(System.getProperty("stoic.site", "../site"));
  static final String CHROMIUM = System.getProperty("stoic.chromium", "/usr/bin/chromium");
  /** Where the README's screenshots go; -Dstoic.screenshots=../docs refreshes the committed ones. */
  static final Path SCREENSHOTS = Path.of(System.getProperty("stoic.screenshots", "target"));

  @Test
  void everyPageOpensWithoutAMissingPageABrokenLinkOrAConsoleError() throws Exception {
    assertTrue(Files.isRegularFile(SITE.resolve("index.html")),
        "no site at " + SITE.toAbsolutePath() + ": run `mkdocs build --strict` first");
    try (StaticSite site = new StaticSite(SITE);
         DevTools chromium = DevTools.start(CHROMIUM, 1280, 900)) {
      SiteCrawler crawler = new SiteCrawler(site, chromium);
      List<String> problems = crawler.crawl();
      assertEquals("", String.join("\n", problems), "pages opened: " + crawler.pages());
      assertTrue(crawler.pages().containsAll(List.of("index.html", "policy.html",
          "configuration.html", "status-codes.html", "SEMANTICS.html")), "" + crawler.pages());
      crawler.screenshot("index.html", SCREENSHOTS.resolve("site-home.png"));
      crawler.screenshot("policy.html", SCREENSHOTS.resolve("site-policy.png"));
    }
  }

  @Test
  void theCheckCatchesAMissingPageABrokenAnchorAMissingImageAConsoleErrorAndAnOrphan(
      @TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("index.html"), """
        <!doctype html><html><head><title>home</title></head><body>
        <a href="other.html#here">fine</a> <a href="other.html#nowhere">bad anchor</a>
        <a href="missing.html">missing page</a> <a href="missing.csv">missing file</a>
        <img src="gone.png" alt="gone"> <a href="#top">top</a><h1 id="top">home</h1>
        <script>console.error("boom")</script>
        </body></html>""");
    Files.writeString(dir.resolve("other.html"), """
        <!doctype html><html><head><title>other</title></head><body>
        <h1 id="here">other</h1><a href="index.html">home</a>
        <script>undefinedFunction()</script>
        </body></html>""");
    Files.writeString(dir.resolve("orphan.html"), "<!doctype html><title>orphan</title>");
    try (StaticSite site = new StaticSite(dir);
         DevTools chromium = DevTools.start(CHROMIUM, 800, 600)) {
      String problems = String.join("\n", new SiteCrawler(site, chromium).crawl());
      for (String expected : List.of(
          "index.html: link to other.html#nowhere: no element has that id",
          "missing.html: 404 for " + site.url("missing.html"),
          "index.html: link to a missing file: missing.csv",
          "index.html: image did not load: " + site.url("gone.png"),
          "index.html: console.error: boom",
          "other.html: uncaught exception: ReferenceError: undefinedFunction is not defined",
          "orphan.html: no link reaches this page")) {
        assertTrue(problems.contains(expected), "expected «" + expected + "» in:\n" + problems);
      }
      assertTrue(!problems.contains("#here") && !problems.contains("#top"), problems);
    }
  }
}
