package org.lotusia.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps README's program true: takes the {@code ```java} block after {@code <!-- readme-program:
 * NAME.java -->} from README.md, compiles it with {@code javax.tools} against the SDK's built jars
 * (this module's integration-test class path: every SDK module a user would add), runs it in a JVM
 * of its own and checks that it prints what README says it prints and exits by itself.
 */
class ReadmeProgramIT {

  private static final Pattern TAG = Pattern.compile("<!--\\s*readme-program:\\s*(\\S+)\\.java\\s*-->");

  @Test
  void theProgramInReadmeCompilesRunsAndPrintsWhatReadmeSays(@TempDir Path dir) throws Exception {
    List<String> readme = Files.readAllLines(root().resolve("README.md"), StandardCharsets.UTF_8);
    Program program = program(readme);
    Path src = dir.resolve("src").resolve(program.className() + ".java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, program.code(), StandardCharsets.UTF_8);
    Path classes = Files.createDirectories(dir.resolve("classes"));

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    boolean compiled =
        javac
            .getTask(
                diagnostics,
                null,
                null,
                List.of(
                    "--release", "17",
                    "-Xlint:all,-path", "-Werror", // path: class-path entries in dependencies' manifests
                    "-classpath", System.getProperty("java.class.path"),
                    "-d", classes.toString()),
                null,
                javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)
                    .getJavaFileObjects(src))
            .call();
    assertThat(compiled).as("README's program compiles without warnings:%n%s", diagnostics).isTrue();

    Path log = dir.resolve("run.log");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classes + java.io.File.pathSeparator + System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                program.className())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      // a few seconds normally; generous for a loaded machine
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the program ended by itself").isTrue();
    } finally {
      p.destroyForcibly();
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("exit status; output:%n%s", out).isZero();
    assertThat(out.lines().map(String::strip).toList())
        .as("output")
        .containsSubsequence(program.expectedOutput());
  }

  /** The program's class name, source, and the indented output lines README shows after it. */
  record Program(String className, String code, List<String> expectedOutput) {}

  static Program program(List<String> readme) {
    for (int i = 0; i < readme.size(); i++) {
      Matcher m = TAG.matcher(readme.get(i).strip());
      if (!m.matches()) {
        continue;
      }
      int start = i + 1;
      assertThat(readme.get(start).strip()).as("line after the tag").isEqualTo("```java");
      int end = start + 1;
      StringBuilder code = new StringBuilder();
      while (!readme.get(end).strip().equals("```")) {
        code.append(readme.get(end)).append('\n');
        end++;
      }
      // the expected output: the first indented block after "It prints:"
      int k = end + 1;
      while (k < readme.size() && !readme.get(k).strip().endsWith("It prints:")) {
        k++;
      }
      List<String> expected = new ArrayList<>();
      for (k = k + 1; k < readme.size(); k++) {
        String line = readme.get(k);
        if (line.startsWith("    ") && !line.isBlank()) {
          expected.add(line.strip());
        } else if (!expected.isEmpty()) {
          break;
        }
      }
      assertThat(expected).as("README shows the program's output after \"It prints:\"").isNotEmpty();
      return new Program(m.group(1), code.toString(), expected);
    }
    throw new AssertionError("README.md has no <!-- readme-program: NAME.java --> block");
  }

  private static Path root() throws IOException {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null
        && !(Files.isRegularFile(dir.resolve("README.md"))
            && Files.isDirectory(dir.resolve("lotus-p2p-bom")))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IOException("no README.md of the SDK above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
