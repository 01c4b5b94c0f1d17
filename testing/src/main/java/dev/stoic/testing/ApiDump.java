package dev.stoic.testing;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The public API of a published module as text: every public type of the packages its
 * module-info exports, with its public and protected members, one per line and sorted. Each
 * published module keeps it in {@code api/<module>.api} and a test compares, so that any change
 * to the API shows as a diff in review. After a change on purpose, rewrite the file with {@code
 * -Dstoic.api.write=true} and commit it with the change.
 *
 * <pre>{@code
 * ApiDump.assertRecorded(Path.of("api/stoic-core.api"));
 * }</pre>
 */
public final class ApiDump {
  private ApiDump() {}

  /**
   * Compares the API of the module whose classes are in {@code target/classes} with the file
   * {@code recorded}; with {@code -Dstoic.api.write=true}, writes it instead.
   *
   * @throws AssertionError if they differ, naming the lines added and removed
   */
  public static void assertRecorded(Path recorded) throws IOException {
    String now = dump(Path.of("target/classes"));
    if (Boolean.getBoolean("stoic.api.write")) {
      Files.createDirectories(recorded.toAbsolutePath().getParent());
      Files.writeString(recorded, now);
      return;
    }
    if (!Files.exists(recorded)) {
      throw new AssertionError("no recorded API at " + recorded.toAbsolutePath()
          + ": run the test with -Dstoic.api.write=true and commit the file");
    }
    String before = Files.readString(recorded);
    if (before.equals(now)) return;
    Set<String> old = new TreeSet<>(before.lines().toList());
    Set<String> current = new TreeSet<>(now.lines().toList());
    List<String> diff = new ArrayList<>();
    for (String line : current) if (!old.contains(line)) diff.add("+ " + line);
    for (String line : old) if (!current.contains(line)) diff.add("- " + line);
    throw new AssertionError("the public API changed; if on purpose, rewrite " + recorded
        + " with -Dstoic.api.write=true and commit it:\n" + String.join("\n", diff));
  }

  /** The API of the module compiled into {@code classes}, as recorded. */
  public static String dump(Path classes) throws IOException {
    ModuleDescriptor descriptor;
    try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
      descriptor = ModuleDescriptor.read(in);
    }
    Set<String> exported = descriptor.exports().stream()
        .filter(e -> !e.isQualified())
        .map(ModuleDescriptor.Exports::source)
        .collect(Collectors.toSet());
    List<String> classNames = new ArrayList<>();
    try (Stream<Path> files = Files.walk(classes)) {
      files.filter(f -> f.toString().endsWith(".class"))
          .map(f -> classes.relativize(f).toString().replace('/', '.').replace('\\', '.'))
          .map(n -> n.substring(0, n.length() - ".class".length()))
          .filter(n -> n.lastIndexOf('.') > 0 && exported.contains(n.substring(0, n.lastIndexOf('.'))))
          .sorted()
          .forEach(classNames::add);
    }
    StringBuilder out = new StringBuilder();
    out.append("module ").append(descriptor.name()).append('\n');
    for (String name : classNames) {
      Class<?> type;
      try {
        type = Class.forName(name, false, ApiDump.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        throw new IOException("cannot load " + name, e);
      }
      if (!visible(type)) continue;
      out.append(header(type)).append('\n');
      Set<String> members = new TreeSet<>();
      for (Field f : type.getDeclaredFields()) if (api(f)) members.add(f.toGenericString());
      for (Constructor<?> c : type.getDeclaredConstructors()) if (api(c)) members.add(c.toGenericString());
      for (Method m : type.getDeclaredMethods()) {
        if (api(m) && !m.isBridge()) members.add(m.toGenericString());
      }
      // A public type's methods may sit in a superclass users cannot name (a builder's setters
      // kept in a file of their own): they are the type's API, so they are listed as its own.
      for (Class<?> s = type.getSuperclass();
          s != null && !Modifier.isPublic(s.getModifiers()); s = s.getSuperclass()) {
        for (Method m : s.getDeclaredMethods()) {
          if (api(m) && !m.isBridge()) {
            members.add(m.toGenericString().replace(s.getName() + ".", type.getName() + "."));
          }
        }
      }
      for (String member : members) out.append("  ").append(member).append('\n');
    }
    return out.toString();
  }

  /** Public, and every enclosing type public: reachable by users. */
  private static boolean visible(Class<?> type) {
    if (type.isSynthetic() || type.isAnonymousClass() || type.isLocalClass()) return false;
    for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
      int m = t.getModifiers();
      if (!Modifier.isPublic(m) && !(t != type && Modifier.isProtected(m))) return false;
    }
    return true;
  }

  private static boolean api(Member member) {
    int m = member.getModifiers();
    boolean synthetic = member instanceof Executable
        ? ((Executable) member).isSynthetic() : ((Field) member).isSynthetic();
    return !synthetic && (Modifier.isPublic(m) || Modifier.isProtected(m));
  }

  private static String header(Class<?> type) {
    StringBuilder h = new StringBuilder(type.toGenericString());
    Type superclass = type.getGenericSuperclass();
    // A superclass users cannot name is left out; its methods are listed as the type's.
    Class<?> named = type.getSuperclass();
    while (named != null && !Modifier.isPublic(named.getModifiers())) {
      named = named.getSuperclass();
      superclass = named;
    }
    if (superclass != null && superclass != Object.class && !type.isEnum()) {
      h.append(" extends ").append(superclass.getTypeName());
    }
    Type[] interfaces = type.getGenericInterfaces();
    if (interfaces.length > 0 && !type.isAnnotation()) {
      h.append(type.isInterface() ? " extends " : " implements ");
      for (int i = 0; i < interfaces.length; i++) {
        if (i > 0) h.append(", ");
        h.append(interfaces[i].getTypeName());
      }
    }
    return h.toString();
  }
}
