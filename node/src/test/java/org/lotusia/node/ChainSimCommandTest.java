package org.lotusia.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.address.XAddress;
import org.lotusia.chain.chronik.ChronikClient;

/** {@code lotus-p2p chain-sim} as a subprocess: prints its Chronik URL, mines on its timer. */
class ChainSimCommandTest {

  @Test
  void servesChronikAndMinesOnItsTimer() throws Exception {
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            "org.lotusia.node.Main",
            "chain-sim",
            "--port",
            "0",
            "--block-interval",
            "1");
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String url = out.readLine();
      assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+");
      String faucet = out.readLine();
      assertThat(faucet).matches("faucet lotusR\\S+ key [0-9a-f]{64} balance \\d+\\.\\d{6} XPI");
      XAddress.decode(faucet.split(" ")[1]);
      try (ChronikClient chronik = ChronikClient.builder().urls(url).build()) {
        int first = chronik.blockchainInfo().get(30, TimeUnit.SECONDS).tipHeight();
        assertThat(first).isGreaterThanOrEqualTo(100);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> chronik.blockchainInfo().get(30, TimeUnit.SECONDS).tipHeight() > first);
      }
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }
  }
}
