package org.lotusia.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/HOWTO.md true to the code: every {@code ```java} block must be preceded by a tag
 * {@code <!-- howto: MODULE/path/File.java#NAME -->} naming a region between {@code // howto:begin
 * NAME} and {@code // howto:end NAME} of a test source file, and the block must equal that region
 * (after removing common indentation and trailing whitespace). The tests holding the regions compile
 * and run the examples.
 */
class HowToDocTest {

  private static final Pattern TAG = Pattern.compile("<!--\\s*howto:\\s*(\\S+)#(\\S+)\\s*-->");

  /** One tagged (or untagged) java block of the document. */
  record Block(int line, String file, String name, List<String> code) {}

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("docs").resolve("HOWTO.md"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("no docs/HOWTO.md above the working directory").isNotNull();
    return dir;
  }

  static List<Block> blocks(List<String> doc) {
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < doc.size(); i++) {
      if (!doc.get(i).strip().equals("```java")) {
        continue;
      }
      String file = null;
      String name = null;
      int prev = i - 1;
      while (prev >= 0 && doc.get(prev).isBlank()) {
        prev--;
      }
      if (prev >= 0) {
        Matcher m = TAG.matcher(doc.get(prev).strip());
        if (m.matches()) {
          file = m.group(1);
          name = m.group(2);
        }
      }
      List<String> code = new ArrayList<>();
      int j = i + 1;
      while (j < doc.size() && !doc.get(j).strip().equals("```")) {
        code.add(doc.get(j));
        j++;
      }
      blocks.add(new Block(i + 1, file, name, code));
      i = j;
    }
    return blocks;
  }

  static List<String> region(List<String> source, String name) {
    String begin = "// howto:begin " + name;
    String end = "// howto:end " + name;
    int from = -1;
    for (int i = 0; i < source.size(); i++) {
      String line = source.get(i).strip();
      if (line.equals(begin)) {
        if (from >= 0) {
          return null;
        }
        from = i + 1;
      } else if (line.equals(end) && from >= 0) {
        return source.subList(from, i);
      }
    }
    return null;
  }

  static List<String> normalize(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      out.add(l.stripTrailing());
    }
    while (!out.isEmpty() && out.get(0).isEmpty()) {
      out.remove(0);
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    int indent = Integer.MAX_VALUE;
    for (String l : out) {
      if (!l.isEmpty()) {
        indent = Math.min(indent, l.length() - l.stripLeading().length());
      }
    }
    List<String> result = new ArrayList<>();
    for (String l : out) {
      result.add(l.isEmpty() ? l : l.substring(indent));
    }
    return result;
  }

  @Test
  void everyJavaBlockOfTheHowToIsACompiledAndTestedExample() throws IOException {
    Path root = repositoryRoot();
    List<String> doc = Files.readAllLines(root.resolve("docs/HOWTO.md"), StandardCharsets.UTF_8);
    List<Block> blocks = blocks(doc);
    assertThat(blocks).as("java blocks in docs/HOWTO.md").isNotEmpty();
    List<String> problems = new ArrayList<>();
    for (Block b : blocks) {
      String where = "docs/HOWTO.md line " + b.line();
      if (b.file() == null) {
        problems.add(where + ": ```java block without a <!-- howto: MODULE/path#NAME --> tag");
        continue;
      }
      String label = where + " (" + b.file() + "#" + b.name() + ")";
      Path source = root.resolve(b.file()).normalize();
      if (!source.startsWith(root) || !Files.isRegularFile(source)) {
        problems.add(label + ": no such file");
        continue;
      }
      List<String> region = region(Files.readAllLines(source, StandardCharsets.UTF_8), b.name());
      if (region == null) {
        problems.add(label + ": no single region '// howto:begin " + b.name() + "' ... '// howto:end "
            + b.name() + "' in the file");
        continue;
      }
      List<String> expected = normalize(region);
      List<String> actual = normalize(b.code());
      if (!expected.equals(actual)) {
        problems.add(label + ": the block differs from the source region" + firstDifference(
            expected, actual));
      }
    }
    assertThat(problems).as("docs/HOWTO.md out of date").isEmpty();
  }

  private static String firstDifference(List<String> expected, List<String> actual) {
    for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
      String e = i < expected.size() ? expected.get(i) : "<end>";
      String a = i < actual.size() ? actual.get(i) : "<end>";
      if (!e.equals(a)) {
        return " at its line " + (i + 1) + ": source has [" + e + "], document has [" + a + "]";
      }
    }
    return "";
  }

  @Test
  void checkerFindsUntaggedMissingAndDifferentBlocks() {
    List<String> doc = List.of(
        "text", "```java", "int a = 1;", "```", "",
        "<!-- howto: x/Y.java#one -->", "```java", "    int b = 2;   ", "```");
    List<Block> blocks = blocks(doc);
    assertThat(blocks).hasSize(2);
    assertThat(blocks.get(0).file()).isNull();
    assertThat(blocks.get(1).file()).isEqualTo("x/Y.java");
    assertThat(blocks.get(1).name()).isEqualTo("one");
    List<String> source = List.of(
        "class Y {", "  void f() {", "    // howto:begin one", "    int b = 2;",
        "    // howto:end one", "  }", "}");
    assertThat(normalize(region(source, "one"))).isEqualTo(normalize(blocks.get(1).code()));
    assertThat(region(source, "two")).isNull();
    assertThat(normalize(List.of("  int b = 3;"))).isNotEqualTo(normalize(blocks.get(1).code()));
  }
}
