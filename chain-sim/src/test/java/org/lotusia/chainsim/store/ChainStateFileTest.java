package org.lotusia.chainsim.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.script.Scripts;
import org.lotusia.chainsim.ChainSimulator;
import org.lotusia.chainsim.ledger.TxEntry;

/** A saved chain loads with the same blocks, mempool, balances and faucet; a corrupt file is named. */
class ChainStateFileTest {

  @TempDir Path dir;

  @Test
  void saveAndLoadRoundTrip() throws Exception {
    Path file = dir.resolve("chain.bin");
    PrivateKey bob = PrivateKey.random(new SecureRandom());
    String tipHash;
    String pending;
    long faucetBalance;
    try (ChainSimulator sim = ChainSimulator.builder().stateFile(file).build().start()) {
      sim.fund(Scripts.p2pkh(bob.publicKey()), 2_000_000);
      sim.mine(2);
      TxEntry p = sim.fund(Scripts.p2pkh(bob.publicKey()), 3_000_000);
      pending = p.txid();
      tipHash = sim.ledger().tip().hashHex();
      faucetBalance = sim.faucet().balance();
    }
    assertThat(Files.size(file)).isPositive();
    try (ChainSimulator sim = ChainSimulator.builder().stateFile(file).build().start()) {
      assertThat(sim.ledger().tip().hashHex()).isEqualTo(tipHash);
      assertThat(sim.ledger().tipHeight()).isEqualTo(102);
      assertThat(sim.ledger().mempool()).extracting(TxEntry::txid).containsExactly(pending);
      assertThat(sim.faucet().balance()).isEqualTo(faucetBalance);
      assertThat(sim.ledger().unspentFor(Scripts.p2pkh(bob.publicKey()))).hasSize(2);
      sim.mine(1);
      assertThat(sim.ledger().tx(pending).orElseThrow().blockHeight()).isEqualTo(103);
    }
  }

  @Test
  void corruptFileIsReportedWithItsName() throws Exception {
    Path file = dir.resolve("chain.bin");
    try (ChainSimulator sim = ChainSimulator.builder().stateFile(file).build().start()) {
      sim.mine(1);
    }
    byte[] b = Files.readAllBytes(file);
    b[b.length / 2] ^= 1;
    Files.write(file, b);
    assertThatThrownBy(() -> ChainSimulator.builder().stateFile(file).build().start())
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("corrupt")
        .hasMessageContaining("checksum");
    Files.write(file, new byte[] {1, 2, 3});
    assertThatThrownBy(() -> ChainStateFile.load(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("bad magic");
  }
}
