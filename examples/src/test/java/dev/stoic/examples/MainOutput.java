package dev.stoic.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs an example's main() and returns what it printed. Tests in this module run one at a time. */
final class MainOutput {
  /** A main method. */
  @FunctionalInterface
  interface Main {
    void run(String[] args) throws Exception;
  }

  private MainOutput() {}

  static synchronized String of(Main main) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      main.run(new String[0]);
    } finally {
      System.setOut(original);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
