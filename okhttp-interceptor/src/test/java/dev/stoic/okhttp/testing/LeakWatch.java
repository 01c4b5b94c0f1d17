package dev.stoic.okhttp.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what OkHttp logs at WARNING or above on its "okhttp3.OkHttpClient" logger: among other
 * things, "A connection to ... was leaked. Did you forget to close a response body?".
 */
public final class LeakWatch extends Handler implements AutoCloseable {
  /** Held strongly: java.util.logging keeps loggers only weakly. */
  private final Logger logger = Logger.getLogger("okhttp3.OkHttpClient");
  public final List<String> warnings = new CopyOnWriteArrayList<>();

  public LeakWatch() {
    setLevel(Level.WARNING);
    logger.addHandler(this);
  }

  @Override
  public void publish(LogRecord record) {
    if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
      warnings.add(record.getLevel() + " " + record.getMessage());
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
