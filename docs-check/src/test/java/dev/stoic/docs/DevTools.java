package dev.stoic.docs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A headless Chromium we start, and one page of it driven over the DevTools protocol with the
 * JDK's WebSocket client: commands return their result, events go to one listener.
 *
 * <p>Not thread-safe for commands from several threads at once; events arrive on the
 * WebSocket's thread.
 */
final class DevTools implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Process chromium;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<Map<String, Object>>> pending =
      new ConcurrentHashMap<>();
  private volatile Consumer<Map<String, Object>> events = event -> { };
  /** The last message sent: the JDK's WebSocket refuses a send while another is pending. */
  private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

  private DevTools(Process chromium, Path profile, WebSocket.Builder sockets, URI page)
      throws IOException, InterruptedException {
    this.chromium = chromium;
    this.profile = profile;
    this.socket = join(sockets.buildAsync(page, new Listener()));
  }

  /** Starts {@code executable} headless, with a fresh profile, and attaches to its first page. */
  static DevTools start(String executable, int width, int height)
      throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("stoic-chromium");
    Process chromium = new ProcessBuilder(executable,
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--hide-scrollbars", "--window-size=" + width + "," + height,
        "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      URI browser = browserEndpoint(chromium);
      HttpClient http = HttpClient.newHttpClient();
      URI list = URI.create("http://" + browser.getAuthority() + "/json/list");
      String pages = http.send(HttpRequest.newBuilder(list).timeout(TIMEOUT).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      URI page = null;
      for (Object target : (List<?>) Json.parse(pages)) {
        Map<?, ?> t = (Map<?, ?>) target;
        if ("page".equals(t.get("type"))) {
          page = URI.create((String) t.get("webSocketDebuggerUrl"));
          break;
        }
      }
      if (page == null) throw new IOException("chromium opened no page: " + pages);
      return new DevTools(chromium, profile, http.newWebSocketBuilder(), page);
    } catch (IOException | InterruptedException | RuntimeException e) {
      chromium.destroyForcibly();
      deleteTree(profile);
      throw e;
    }
  }

  /** Chromium prints "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID". */
  private static URI browserEndpoint(Process chromium) throws IOException {
    BufferedReader err = new BufferedReader(
        new InputStreamReader(chromium.getErrorStream(), StandardCharsets.UTF_8));
    List<String> seen = new ArrayList<>();
    for (String line; (line = err.readLine()) != null; ) {
      int ws = line.indexOf("ws://");
      if (line.startsWith("DevTools listening on") && ws >= 0) {
        // Keep draining stderr so chromium never blocks on a full pipe.
        Thread drain = new Thread(() -> {
          try {
            while (err.readLine() != null) { }
          } catch (IOException ignored) {
            // the process ended
          }
        }, "chromium-stderr");
        drain.setDaemon(true);
        drain.start();
        return URI.create(line.substring(ws).trim());
      }
      seen.add(line);
    }
    throw new IOException("chromium exited without a DevTools endpoint: " + seen);
  }

  void onEvent(Consumer<Map<String, Object>> listener) {
    this.events = listener;
  }

  /** Sends a command and waits for its result; a protocol error becomes an IOException. */
  Map<String, Object> call(String method, String paramsJson)
      throws IOException, InterruptedException {
    int id = ids.incrementAndGet();
    CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
    pending.put(id, answer);
    join(sendText("{\"id\":" + id + ",\"method\":" + Json.quote(method)
        + ",\"params\":" + paramsJson + "}"));
    Map<String, Object> message = join(answer);
    if (message.containsKey("error")) {
      throw new IOException(method + " failed: " + message.get("error"));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> result = (Map<String, Object>) message.get("result");
    return result;
  }

  /**
   * Sends a command to an attached target's session without waiting for its answer: for use on
   * the event thread, where waiting would block the answer.
   */
  void send(String sessionId, String method) {
    sendText("{\"id\":" + ids.incrementAndGet() + ",\"sessionId\":" + Json.quote(sessionId)
        + ",\"method\":" + Json.quote(method) + ",\"params\":{}}");
  }

  /** Sends after every earlier message has gone out. */
  private synchronized CompletableFuture<?> sendText(String message) {
    sending = sending.handle((ok, failed) -> null)
        .thenCompose(ignored -> socket.sendText(message, true));
    return sending;
  }

  Map<String, Object> call(String method) throws IOException, InterruptedException {
    return call(method, "{}");
  }

  @Override
  public void close() throws IOException {
    socket.abort();
    chromium.destroy();
    try {
      if (!chromium.waitFor(10, TimeUnit.SECONDS)) chromium.destroyForcibly().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteTree(profile);
  }

  private static <T> T join(CompletionStage<T> stage) throws IOException, InterruptedException {
    try {
      return stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException(e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IOException("no answer from chromium within " + TIMEOUT, e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // chromium may still be writing its profile as it exits; the temp dir is the OS's to clean
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        @SuppressWarnings("unchecked")
        Map<String, Object> message = (Map<String, Object>) Json.parse(text.toString());
        text.setLength(0);
        Object id = message.get("id");
        if (id != null) {
          CompletableFuture<Map<String, Object>> answer = pending.remove(((Double) id).intValue());
          if (answer != null) answer.complete(message);
        } else {
          events.accept(message);
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      pending.values().forEach(answer -> answer.completeExceptionally(error));
    }
  }
}
