package dev.stoic.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.RetryPolicy;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/** What a user sees when the OkHttp on the class path is too old, or missing. */
class OkHttpVersionCheckTest {
  @Test
  void readsTheVersionOfTheOkHttpOnTheClassPath() {
    // 5.x by default, 4.12.0 with -Pokhttp4: both pass the check.
    assertEquals(System.getProperty("stoic.expectedOkHttpVersion"),
        OkHttpVersionCheck.installedVersion());
    OkHttpVersionCheck.requireSupported();
  }

  @Test
  void okHttp412AndNewerAreSupported() {
    for (String version : new String[] {"4.12.0", "4.12.1", "5.0.0", "5.0.0-alpha.14", "5.5.1",
        "6.0.0"}) {
      assertNull(OkHttpVersionCheck.problem(version), version);
    }
  }

  @Test
  void olderOkHttpIsRefusedNamingItsVersionAndWhatToAdd() {
    for (String version : new String[] {"4.11.0", "4.9.3", "4.0.0", "3.14.9", "3.12.13"}) {
      String problem = OkHttpVersionCheck.problem(version);
      assertNotNull(problem, version);
      assertTrue(problem.startsWith("stoic-okhttp needs OkHttp 4.12 or newer, but the class path"
          + " has OkHttp " + version + " "), problem);
      assertTrue(problem.contains("com.squareup.okhttp3:okhttp:4.12.0"), problem);
      assertTrue(problem.contains("com.squareup.okhttp3:okhttp-jvm"), problem);
    }
  }

  @Test
  void aVersionThatCannotBeToldIsLetThrough() {
    for (String version : new String[] {null, "", "5", "x.y.z", "unknown"}) {
      assertNull(OkHttpVersionCheck.problem(version), String.valueOf(version));
    }
  }

  /**
   * The known gap, pinned down: with no OkHttp at all, the adapter's classes cannot load (they
   * implement OkHttp interfaces), and the error names the missing OkHttp class. Stoic's core still
   * loads: nothing outside stoic-okhttp needs OkHttp.
   */
  @Test
  void withoutOkHttpTheErrorNamesTheMissingOkHttpClass() throws Exception {
    URL adapter = StoicInterceptor.class.getProtectionDomain().getCodeSource().getLocation();
    URL core = RetryPolicy.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader noOkHttp = new URLClassLoader(new URL[] {adapter, core},
        ClassLoader.getPlatformClassLoader())) {
      assertThrows(ClassNotFoundException.class,
          () -> Class.forName("okhttp3.OkHttpClient", false, noOkHttp));
      Class<?> policy = Class.forName("dev.stoic.RetryPolicy", true, noOkHttp);
      assertSame(noOkHttp, policy.getClassLoader());

      NoClassDefFoundError interceptor = assertThrows(NoClassDefFoundError.class,
          () -> Class.forName("dev.stoic.okhttp.StoicInterceptor", true, noOkHttp));
      assertEquals("okhttp3/Interceptor", interceptor.getMessage());
      NoClassDefFoundError callFactory = assertThrows(NoClassDefFoundError.class,
          () -> Class.forName("dev.stoic.okhttp.StoicCallFactory", true, noOkHttp));
      assertEquals("okhttp3/Call$Factory", callFactory.getMessage());

      // The check itself links no OkHttp type: it loads, and reports no version to refuse.
      Class<?> check = Class.forName("dev.stoic.okhttp.OkHttpVersionCheck", true, noOkHttp);
      Method installedVersion = check.getDeclaredMethod("installedVersion");
      installedVersion.setAccessible(true); // another loader: another runtime package
      assertNull(installedVersion.invoke(null));
    }
  }
}
