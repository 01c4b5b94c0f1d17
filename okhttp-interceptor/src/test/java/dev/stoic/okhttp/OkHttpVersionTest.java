package dev.stoic.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import okhttp3.OkHttp;
import org.junit.jupiter.api.Test;

/** Proves which OkHttp the suite ran on: 5.x by default, 4.12 with -Pokhttp4. */
class OkHttpVersionTest {
  @Test
  void theSuiteRunsOnTheOkHttpVersionTheBuildAskedFor() throws ReflectiveOperationException {
    String expected = System.getProperty("stoic.expectedOkHttpVersion");
    assertNotNull(expected, "set by the surefire configuration");
    // Reflection: OkHttp.VERSION is a compile-time constant, which javac would inline as 5.x.
    Object actual = OkHttp.class.getField("VERSION").get(null);
    assertEquals(expected, actual);
  }
}
