package dev.stoic.docs;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Opens a static site's pages in Chromium as a reader would, following every internal link from
 * the home page, and lists what a reader would trip over: a page or file that is not there, an
 * in-page anchor that names no element, an image that did not load, a console error or uncaught
 * exception, a request to another host (the site must stand on its own), and an HTML page that no
 * link reaches.
 */
final class SiteCrawler {
  /** What a page reports about itself once loaded: its links, images and element ids. */
  private static final String INSPECT = """
      JSON.stringify({
        links: [...document.querySelectorAll('a[href]')].map(a => a.href),
        images: [...document.images].map(i => ({src: i.currentSrc || i.src,
            ok: i.complete && i.naturalWidth > 0})),
        ids: [...document.querySelectorAll('[id]')].map(e => e.id)
            .concat([...document.querySelectorAll('a[name]')].map(a => a.name))
      })""";

  private final StaticSite site;
  private final DevTools browser;
  private final HttpClient http = HttpClient.newHttpClient();
  /** Problems in the order found, each once. */
  private final Set<String> problems = new LinkedHashSet<>();
  private final Map<String, Set<String>> idsByPage = new LinkedHashMap<>();
  private final Map<String, String> urlByRequest = new ConcurrentHashMap<>();
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final Map<String, Boolean> fileExists = new LinkedHashMap<>();
  private volatile String page = "";
  private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

  SiteCrawler(StaticSite site, DevTools browser) throws IOException, InterruptedException {
    this.site = site;
    this.browser = browser;
    browser.onEvent(this::event);
    for (String domain : List.of("Page", "Runtime", "Log", "Network")) {
      browser.call(domain + ".enable");
    }
    // Workers (the search index runs in one) report their requests and errors in sessions of
    // their own.
    browser.call("Target.setAutoAttach",
        "{\"autoAttach\":true,\"waitForDebuggerOnStart\":false,\"flatten\":true}");
  }

  /** Visits every page reachable from {@code index.html}; returns the problems found. */
  List<String> crawl() throws IOException, InterruptedException {
    Deque<String> queue = new ArrayDeque<>(List.of("index.html"));
    Set<String> queued = new LinkedHashSet<>(queue);
    List<String[]> anchors = new ArrayList<>();  // {from, page, fragment}
    while (!queue.isEmpty()) {
      String path = queue.poll();
      Map<?, ?> found = open(path);
      idsByPage.put(path, new TreeSet<>(strings(found.get("ids"))));
      for (Object image : (List<?>) found.get("images")) {
        Map<?, ?> i = (Map<?, ?>) image;
        if (!Boolean.TRUE.equals(i.get("ok"))) problem(path, "image did not load: " + i.get("src"));
      }
      for (String href : strings(found.get("links"))) {
        URI link = URI.create(href);
        if (!site.url("").getAuthority().equals(link.getAuthority())) continue;  // elsewhere
        String target = link.getPath().substring(1);
        if (target.isEmpty() || target.endsWith("/")) target += "index.html";
        String fragment = link.getRawFragment();
        if (fragment != null && !fragment.isEmpty()) {
          anchors.add(new String[] {path, target, URLDecoder.decode(fragment, StandardCharsets.UTF_8)});
        }
        if (target.endsWith(".html")) {
          if (queued.add(target)) queue.add(target);
        } else if (!exists(target)) {
          problem(path, "link to a missing file: " + target);
        }
      }
    }
    for (String[] a : anchors) {
      Set<String> ids = idsByPage.get(a[1]);
      if (ids != null && !ids.contains(a[2])) {
        problem(a[0], "link to " + a[1] + "#" + a[2] + ": no element has that id");
      }
    }
    try (Stream<Path> files = Files.walk(site.root())) {
      files.map(f -> site.root().relativize(f).toString().replace('\\', '/'))
          .filter(f -> f.endsWith(".html") && !f.equals("404.html"))
          .filter(f -> !idsByPage.containsKey(f))
          .sorted()
          .forEach(f -> problem(f, "no link reaches this page"));
    }
    synchronized (this) {
      return List.copyOf(problems);
    }
  }

  /** Pages visited so far, in order. */
  Set<String> pages() {
    return idsByPage.keySet();
  }

  /** Opens one page and saves what it looks like in a 1280-wide window as a PNG. */
  void screenshot(String path, Path png) throws IOException, InterruptedException {
    open(path);
    Map<String, Object> shot = browser.call("Page.captureScreenshot", "{\"format\":\"png\"}");
    Files.createDirectories(png.toAbsolutePath().getParent());
    Files.write(png, Base64.getDecoder().decode((String) shot.get("data")));
  }

  /** Navigates, waits for the load event and the requests it started, and inspects the page. */
  private Map<?, ?> open(String path) throws IOException, InterruptedException {
    page = path;
    loaded = new CompletableFuture<>();
    inFlight.clear();
    Map<String, Object> navigation =
        browser.call("Page.navigate", "{\"url\":" + Json.quote(site.url(path).toString()) + "}");
    if (navigation.get("errorText") != null) {
      problem(path, "did not open: " + navigation.get("errorText"));
    }
    try {
      loaded.get(DevTools.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("page " + path + " never finished loading", e);
    }
    // Requests the page started on its own after load (search index, images) end before we look.
    for (int i = 0; i < 300 && !inFlight.isEmpty(); i++) {
      browser.call("Runtime.evaluate",
          "{\"expression\":\"new Promise(r => setTimeout(r, 10))\",\"awaitPromise\":true}");
    }
    Map<String, Object> result = browser.call("Runtime.evaluate",
        "{\"expression\":" + Json.quote(INSPECT) + ",\"returnByValue\":true}");
    return (Map<?, ?>) Json.parse((String) ((Map<?, ?>) result.get("result")).get("value"));
  }

  private void event(Map<String, Object> message) {
    String method = (String) message.get("method");
    Map<?, ?> params = (Map<?, ?>) message.get("params");
    switch (method) {
      case "Page.loadEventFired" -> loaded.complete(null);
      case "Target.attachedToTarget" -> {
        String session = (String) params.get("sessionId");
        for (String domain : List.of("Runtime", "Log", "Network")) {
          browser.send(session, domain + ".enable");
        }
      }
      case "Network.requestWillBeSent" -> {
        String id = (String) params.get("requestId");
        String url = (String) ((Map<?, ?>) params.get("request")).get("url");
        urlByRequest.put(id, url);
        if (!url.startsWith("data:")) inFlight.add(id);
        if ((url.startsWith("http:") || url.startsWith("https:"))
            && !url.startsWith(site.url("").toString())) {
          problem(page, "loads from another host: " + url);
        }
      }
      case "Network.responseReceived" -> {
        // Answered: a worker's script never reports loadingFinished to the page, so stop here.
        inFlight.remove((String) params.get("requestId"));
        Map<?, ?> response = (Map<?, ?>) params.get("response");
        int status = ((Double) response.get("status")).intValue();
        if (status >= 400) problem(page, status + " for " + response.get("url"));
      }
      case "Network.loadingFinished" -> inFlight.remove((String) params.get("requestId"));
      case "Network.loadingFailed" -> {
        String id = (String) params.get("requestId");
        inFlight.remove(id);
        if (!Boolean.TRUE.equals(params.get("canceled"))) {
          problem(page, "failed to load " + urlByRequest.get(id) + ": " + params.get("errorText"));
        }
      }
      case "Runtime.exceptionThrown" -> {
        Map<?, ?> details = (Map<?, ?>) params.get("exceptionDetails");
        Map<?, ?> exception = (Map<?, ?>) details.get("exception");
        problem(page, "uncaught exception: "
            + (exception != null ? exception.get("description") : details.get("text")));
      }
      case "Runtime.consoleAPICalled" -> {
        String type = (String) params.get("type");
        if (type.equals("error") || type.equals("assert")) {
          List<String> args = new ArrayList<>();
          for (Object arg : (List<?>) params.get("args")) {
            Map<?, ?> a = (Map<?, ?>) arg;
            args.add(String.valueOf(a.containsKey("value") ? a.get("value") : a.get("description")));
          }
          problem(page, "console." + type + ": " + String.join(" ", args));
        }
      }
      case "Log.entryAdded" -> {
        Map<?, ?> entry = (Map<?, ?>) params.get("entry");
        if ("error".equals(entry.get("level"))) {
          problem(page, "console error: " + entry.get("text")
              + (entry.get("url") != null ? " (" + entry.get("url") + ")" : ""));
        }
      }
      default -> { }
    }
  }

  private boolean exists(String path) throws IOException, InterruptedException {
    Boolean known = fileExists.get(path);
    if (known == null) {
      HttpRequest head = HttpRequest.newBuilder(site.url(path))
          .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
      known = http.send(head, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      fileExists.put(path, known);
    }
    return known;
  }

  private synchronized void problem(String where, String what) {
    problems.add(where + ": " + what);
  }

  private static List<String> strings(Object list) {
    List<String> out = new ArrayList<>();
    for (Object o : (List<?>) list) out.add((String) o);
    return out;
  }
}
