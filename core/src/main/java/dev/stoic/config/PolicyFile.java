package dev.stoic.config;

import dev.stoic.LivePolicy;
import dev.stoic.RetryClock;
import dev.stoic.RetryPolicy;
import dev.stoic.RetryRoutes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * A file of {@code stoic.*} settings that a {@link LivePolicy} follows: read at once, then polled
 * and read again whenever its modification time or size changes. A {@code .properties} file holds
 * keys as {@link StoicConfig} reads them; a {@code .yml} or {@code .yaml} file holds them nested
 * under {@code stoic:}, as Spring Boot's {@code application.yml} does (block mappings, scalars and
 * lists; no anchors or multi-line strings). A file with any problem is refused whole, with every
 * problem named in {@link #problems()} and a warning, and the live policy keeps what it had.
 *
 * <pre>{@code
 * LivePolicy live = LivePolicy.of(RetryPolicy.defaults());
 * PolicyFile file = PolicyFile.watch(Path.of("/etc/app/stoic.properties"), live,
 *     RetryPolicy.builder().listener(log).build(), Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>Settings made in code (listeners, a clock, a throttle) come from {@code base}, over which the
 * file's keys apply. Polls run on {@code base}'s clock ({@link RetryClock#schedule}), a daemon
 * thread for the system clock; a poll reads the file only when it changed. Thread-safe.
 */
public final class PolicyFile implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("dev.stoic");

  private final Path file;
  private final LivePolicy live;
  private final RetryPolicy base;
  private final Duration every;
  private FileTime modified;
  private long size = -1;
  private String applied;
  private volatile String problems;
  private volatile boolean closed;
  private RetryClock.Cancellable next;

  private PolicyFile(Path file, LivePolicy live, RetryPolicy base, Duration every) {
    this.file = file;
    this.live = live;
    this.base = base;
    this.every = every;
  }

  /**
   * Reads {@code file} into {@code live} now, and again after every {@code every} in which it
   * changed.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code every} is not positive, or listing every problem of
   *     the file as it is now (nothing is watched then)
   */
  public static PolicyFile watch(Path file, LivePolicy live, RetryPolicy base, Duration every) {
    Objects.requireNonNull(file, "file == null");
    Objects.requireNonNull(live, "live == null");
    Objects.requireNonNull(base, "base == null");
    Objects.requireNonNull(every, "every == null");
    if (every.isNegative() || every.isZero()) {
      throw new IllegalArgumentException("every must be positive: " + every);
    }
    PolicyFile watched = new PolicyFile(file, live, base, every);
    if (!watched.check()) throw new IllegalArgumentException(watched.problems);
    watched.schedule();
    return watched;
  }

  /**
   * Reads the file if it changed since the last check, and sets the live policy from it.
   *
   * @return false if the file was refused (see {@link #problems()}); true otherwise
   */
  public synchronized boolean check() {
    String text;
    try {
      FileTime time = Files.getLastModifiedTime(file);
      long length = Files.size(file);
      if (time.equals(modified) && length == size) return problems == null;
      modified = time;
      size = length;
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return refuse(file + " cannot be read: " + e.getClass().getSimpleName());
    }
    if (text.equals(applied)) return true;
    RetryRoutes routes;
    try {
      routes = StoicConfig.from(keys(text)).routes(base);
    } catch (IllegalArgumentException e) {
      return refuse(file + " refused, the policy is unchanged: " + e.getMessage());
    }
    live.set(routes);
    applied = text;
    problems = null;
    return true;
  }

  /** Why the file's last version was refused, every problem named; null if it was applied. */
  public String problems() {
    return problems;
  }

  /** Stops watching. */
  @Override
  public synchronized void close() {
    closed = true;
    if (next != null) next.cancel();
  }

  private boolean refuse(String why) {
    if (!why.equals(problems)) LOG.log(System.Logger.Level.WARNING, why);
    problems = why;
    return false;
  }

  private synchronized void schedule() {
    if (!closed) next = base.clock().schedule(every, this::poll);
  }

  private void poll() {
    try {
      check();
    } finally {
      schedule();
    }
  }

  private Map<String, String> keys(String text) throws IllegalArgumentException {
    String name = file.getFileName().toString();
    if (name.endsWith(".yml") || name.endsWith(".yaml")) return YamlKeys.read(text);
    Properties properties = new Properties();
    try {
      properties.load(new java.io.StringReader(text));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not a properties file: " + e.getMessage());
    }
    Map<String, String> keys = new java.util.TreeMap<>();
    for (String key : properties.stringPropertyNames()) keys.put(key, properties.getProperty(key));
    return keys;
  }
}
