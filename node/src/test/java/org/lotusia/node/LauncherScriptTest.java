package org.lotusia.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's first build, with stand-ins for {@code mvn} and {@code java} on the PATH: Maven's
 * colour codes never reach the terminal, its failure is the launcher's exit code, and a fresh jar
 * is not rebuilt.
 */
class LauncherScriptTest {

  @TempDir Path tmp;

  private Path root() throws Exception {
    Path repo = Path.of("").toAbsolutePath();
    while (!Files.isRegularFile(repo.resolve("lotus-p2p"))) {
      repo = repo.getParent();
    }
    Path root = Files.createDirectories(tmp.resolve("repo"));
    Files.copy(repo.resolve("lotus-p2p"), root.resolve("lotus-p2p"));
    Files.writeString(root.resolve("pom.xml"), "<project/>");
    Files.createDirectories(root.resolve("node/src/main"));
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    // mvn: prints what Maven 3.8 prints with -q (colour resets) and builds the "jar", or fails
    script(bin.resolve("mvn"), "#!/bin/sh\necho \"$@\" > \"$ROOT_LOG\"\nprintf '\\033[0m\\033[0m\\033[1;31m[ERROR]\\033[m boom\\n'\n"
        + "[ -n \"$MVN_FAIL\" ] && exit 3\nmkdir -p node/target && echo jar > node/target/lotus-p2p.jar\n");
    script(bin.resolve("java"), "#!/bin/sh\necho \"java $*\"\n");
    return root;
  }

  private static void script(Path p, String text) throws Exception {
    Files.writeString(p, text);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private record Run(int code, String out, String err) {}

  private Run launch(Path root, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("sh", root.resolve("lotus-p2p").toString(), "demo");
    pb.environment().put("PATH", tmp.resolve("bin") + ":/usr/bin:/bin");
    pb.environment().put("ROOT_LOG", tmp.resolve("mvn-args").toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out, err);
  }

  @Test
  void theFirstBuildPrintsNoColourCodesAndThenRunsTheJar() throws Exception {
    Path root = root();
    Run first = launch(root, Map.of());
    assertThat(first.code()).isZero();
    assertThat(first.err()).contains("[ERROR] boom").doesNotContain("\u001b");
    assertThat(first.out()).isEqualTo("java -jar " + root.resolve("node/target/lotus-p2p.jar") + " demo\n");
    assertThat(Files.readString(tmp.resolve("mvn-args")))
        .contains("-B -q -Dstyle.color=never -pl node -am package -Dmaven.test.skip=true");

    Files.delete(tmp.resolve("mvn-args"));
    Run second = launch(root, Map.of());
    assertThat(second.code()).isZero();
    assertThat(tmp.resolve("mvn-args")).as("an up-to-date jar is not rebuilt").doesNotExist();
  }

  @Test
  void aFailedBuildIsTheLaunchersExitCode() throws Exception {
    Path root = root();
    Run r = launch(root, Map.of("MVN_FAIL", "1"));
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err()).contains("[ERROR] boom").doesNotContain("\u001b");
    assertThat(r.out()).isEmpty();
  }
}
