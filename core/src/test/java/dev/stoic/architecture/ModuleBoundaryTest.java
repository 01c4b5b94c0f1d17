package dev.stoic.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stoic.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user's module can reach in stoic-core: compiled for real against core's module
 * descriptor, as javac would for an application on the module path.
 */
class ModuleBoundaryTest {
  @TempDir Path temp;

  @Test
  void theDescriptorExportsTheApiAndTheAdapterContractToAllAndHidesTheEngine() throws IOException {
    ModuleDescriptor descriptor = descriptor();
    assertEquals("dev.stoic", descriptor.name());
    Map<String, Set<String>> exports = new TreeMap<>();
    for (Exports e : descriptor.exports()) exports.put(e.source(), e.targets());
    assertEquals(Set.of(), exports.get("dev.stoic"), "unqualified");
    assertEquals(Set.of(), exports.get("dev.stoic.http"), "unqualified");
    assertEquals(Set.of(), exports.get("dev.stoic.spi"), "unqualified");
    assertEquals(Set.of(), exports.get("dev.stoic.config"), "unqualified");
    assertEquals(Set.of("dev.stoic", "dev.stoic.config", "dev.stoic.http", "dev.stoic.spi"),
        exports.keySet());
    assertEquals(Set.of("dev.stoic.spi.EngineProvider"), descriptor.uses());
    assertEquals(Set.of("java.base"), requiredModules(descriptor, false), "no runtime dependencies");
    // Flight Recorder events are written when jdk.jfr is there; it is never needed at run time.
    assertEquals(Set.of("jdk.jfr"), requiredModules(descriptor, true), "optional at run time");
  }

  @Test
  void aUserModuleCompilesAgainstThePolicyTheDecisionAndTheHttpPackage() throws Exception {
    List<Diagnostic<? extends JavaFileObject>> errors = compileUserModule(
        "import dev.stoic.*; import dev.stoic.http.RetryAfter;\n"
            + "class App { Decision d = RetryPolicy.defaults().decide(Outcome.status(503).build());\n"
            + "  Object hint = RetryAfter.parse(\"5\", java.time.Instant.EPOCH); }");
    assertEquals(List.of(), errors);
  }

  @Test
  void aUserModuleBuildsAPolicyInCodeAndReadsOneFromConfiguration() throws Exception {
    List<Diagnostic<? extends JavaFileObject>> errors = compileUserModule(
        "import dev.stoic.*; import dev.stoic.config.StoicConfig; import java.util.Map;\n"
            + "class App { RetryPolicy.Builder b = RetryPolicy.builder().maxAttempts(3)\n"
            + "    .retryOnException(java.io.IOException.class).noDeadline();\n"
            + "  RetryPolicy p = StoicConfig.from(Map.of(\"stoic.max-attempts\", \"2\"))\n"
            + "      .policy(b.build()); }");
    assertEquals(List.of(), errors);
  }

  @Test
  void aUserModuleCompilesAnAdapterAgainstTheContract() throws Exception {
    List<Diagnostic<? extends JavaFileObject>> errors = compileUserModule(
        "import dev.stoic.*; import dev.stoic.spi.*; import java.util.List;\n"
            + "class App { Router router = Adapters.router(RetryPolicy.defaults());\n"
            + "  String send(String request) throws Exception {\n"
            + "    CallRunner runner = router.route(null, \"example.com\", null);\n"
            + "    CallInfo call = CallInfo.of(\"GET\", \"https://example.com/\", null, null, true, 0);\n"
            + "    ResponseAccess<String> access = new ResponseAccess<>() {\n"
            + "      public int status(String r) { return 200; }\n"
            + "      public List<String> headers(String r, String name) { return List.of(); }\n"
            + "      public void discard(String r) {} };\n"
            + "    return runner.send(call, attempt -> request + attempt.headerEdits(n -> List.of()),\n"
            + "        attempt -> java.util.concurrent.CompletableFuture.completedFuture(request),\n"
            + "        access, Cancellation.NEVER); } }");
    assertEquals(List.of(), errors);
  }

  @Test
  void aUserModuleCannotReachTheEngine() throws Exception {
    List<Diagnostic<? extends JavaFileObject>> errors = compileUserModule(
        "import dev.stoic.engine.RetryExecutor;\nclass App { RetryExecutor e; }");
    assertFalse(errors.isEmpty(), "the engine must not be visible");
    String message = errors.get(0).getMessage(Locale.ROOT);
    assertTrue(message.contains("dev.stoic.engine") && message.contains("not visible"), message);
  }

  private List<Diagnostic<? extends JavaFileObject>> compileUserModule(String app) throws Exception {
    Path src = temp.resolve("src");
    Files.createDirectories(src.resolve("app"));
    Files.writeString(src.resolve("module-info.java"), "module app { requires dev.stoic; }");
    Files.writeString(src.resolve("app/App.java"), "package app;\n" + app);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
      Iterable<? extends JavaFileObject> units = files.getJavaFileObjects(
          src.resolve("module-info.java"), src.resolve("app/App.java"));
      List<String> options = List.of(
          "--module-path", coreClasses().toString(), "-d", temp.resolve("out").toString());
      javac.getTask(null, files, diagnostics, options, null, units).call();
    }
    return diagnostics.getDiagnostics().stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
        .toList();
  }

  /** The modules required at run time, or those required at compile time only ({@code static}). */
  private static Set<String> requiredModules(ModuleDescriptor descriptor, boolean compileOnly) {
    Set<String> names = new java.util.TreeSet<>();
    descriptor.requires().stream()
        .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC) == compileOnly)
        .forEach(r -> names.add(r.name()));
    return names;
  }

  private static ModuleDescriptor descriptor() throws IOException {
    try (InputStream in = Files.newInputStream(coreClasses().resolve("module-info.class"))) {
      return ModuleDescriptor.read(in);
    }
  }

  private static Path coreClasses() {
    try {
      return Path.of(RetryPolicy.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }
}
