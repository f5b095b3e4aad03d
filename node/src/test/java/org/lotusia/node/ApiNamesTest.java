package org.lotusia.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every public SDK type has a simple name of its own across all modules, so that an IDE's
 * auto-import cannot pick the wrong one ({@code TxOutput} of a transaction against Chronik's
 * {@code TxOutput}, a chain key against a libp2p identity key).
 *
 * <p>The node module's test classpath holds every module's main classes: the test scans it for
 * top-level public {@code org.lotusia} types, leaving out test classes, {@code internal} and
 * {@code proto} packages and generated protobuf code, which users are not meant to import.
 */
class ApiNamesTest {

  /** A package of every SDK module, so that a scan that found too little fails instead of passing. */
  private static final List<String> MODULE_PACKAGES =
      List.of(
          "org.lotusia.libp2p.",
          "org.lotusia.p2p.protocol.",
          "org.lotusia.p2p.security.",
          "org.lotusia.p2p.coordinator.",
          "org.lotusia.chain.tx.",
          "org.lotusia.chain.chronik.",
          "org.lotusia.musig2.crypto.",
          "org.lotusia.musig2.p2p.",
          "org.lotusia.swapsig.",
          "org.lotusia.chainsim.",
          "org.lotusia.node.");

  @Test
  void noTwoPublicSdkTypesShareASimpleName() throws Exception {
    List<String> types = publicSdkTypes();
    for (String pkg : MODULE_PACKAGES) {
      assertThat(types).as("public types scanned under %s", pkg).anyMatch(t -> t.startsWith(pkg));
    }

    Map<String, Set<String>> bySimpleName = new TreeMap<>();
    for (String type : types) {
      String simple = type.substring(type.lastIndexOf('.') + 1);
      bySimpleName.computeIfAbsent(simple, k -> new TreeSet<>()).add(type);
    }
    List<String> clashes = new ArrayList<>();
    bySimpleName.forEach(
        (simple, owners) -> {
          if (owners.size() > 1) {
            clashes.add(simple + " " + owners);
          }
        });
    assertThat(clashes).as("simple names used by more than one public SDK type").isEmpty();
  }

  /** The binary names of the top-level public SDK types on the main classpath. */
  private static List<String> publicSdkTypes() throws ClassNotFoundException {
    List<String> names = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      if (Files.isDirectory(path) && !path.getFileName().toString().equals("test-classes")) {
        names.addAll(classesIn(path));
      } else if (entry.endsWith(".jar") && !entry.endsWith("-tests.jar")) {
        names.addAll(classesInJar(path));
      }
    }
    List<String> types = new ArrayList<>();
    ClassLoader loader = ApiNamesTest.class.getClassLoader();
    for (String name : names) {
      if (!name.startsWith("org.lotusia.") || name.contains("$") || name.endsWith("package-info")) {
        continue;
      }
      List<String> segments = Arrays.asList(name.split("\\."));
      if (segments.contains("internal") || segments.contains("proto")) {
        continue;
      }
      Class<?> type = Class.forName(name, false, loader);
      if (Modifier.isPublic(type.getModifiers()) && !isGeneratedProtobuf(type)) {
        types.add(name);
      }
    }
    return types;
  }

  private static boolean isGeneratedProtobuf(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (c.getName().startsWith("com.google.protobuf.")) {
        return true;
      }
      for (Class<?> i : c.getInterfaces()) {
        if (i.getName().startsWith("com.google.protobuf.")) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<String> classesIn(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(p -> p.toString().endsWith(".class"))
          .map(p -> binaryName(root.relativize(p).toString().replace(File.separatorChar, '/')))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> classesInJar(Path jar) {
    try (JarFile file = new JarFile(jar.toFile())) {
      return file.stream()
          .map(JarEntry::getName)
          .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/"))
          .map(ApiNamesTest::binaryName)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String binaryName(String resource) {
    return resource.substring(0, resource.length() - ".class".length()).replace('/', '.');
  }
}
