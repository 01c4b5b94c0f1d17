package dev.stoic.docs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Serves a directory on an ephemeral loopback port, as a static host would; 404 otherwise. */
final class StaticSite implements AutoCloseable {
  private static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("html", "text/html; charset=utf-8"),
      Map.entry("css", "text/css"),
      Map.entry("js", "text/javascript"),
      Map.entry("json", "application/json"),
      Map.entry("svg", "image/svg+xml"),
      Map.entry("png", "image/png"),
      Map.entry("ico", "image/x-icon"),
      Map.entry("xml", "application/xml"),
      Map.entry("csv", "text/csv"),
      Map.entry("txt", "text/plain"),
      Map.entry("woff2", "font/woff2"));

  private final Path root;
  private final HttpServer server;

  StaticSite(Path root) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::serve);
    server.start();
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + path);
  }

  Path root() {
    return root;
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (path.endsWith("/")) path += "index.html";
      Path file = root.resolve(path.substring(1)).normalize();
      boolean found = file.startsWith(root) && Files.isRegularFile(file);
      byte[] body = found ? Files.readAllBytes(file) : "not found\n".getBytes();
      String name = file.getFileName() == null ? "" : file.getFileName().toString();
      String type = TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1),
          "application/octet-stream");
      exchange.getResponseHeaders().set("Content-Type", found ? type : "text/plain");
      boolean head = "HEAD".equals(exchange.getRequestMethod());
      exchange.sendResponseHeaders(found ? 200 : 404, head ? -1 : body.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
