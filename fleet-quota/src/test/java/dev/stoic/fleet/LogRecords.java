package dev.stoic.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what the throttle logs on {@code dev.stoic.fleet}, to count the messages. */
final class LogRecords extends Handler implements AutoCloseable {
  private final Logger logger = Logger.getLogger("dev.stoic.fleet");
  private final List<String> messages = new ArrayList<>();

  LogRecords() {
    logger.addHandler(this);
  }

  @Override
  public synchronized void publish(LogRecord record) {
    messages.add(record.getLevel() + " " + record.getMessage());
  }

  synchronized long count(String fragment) {
    return messages.stream().filter(m -> m.contains(fragment)).count();
  }

  synchronized List<String> all() {
    return List.copyOf(messages);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
