package org.lotusia.chainsim.howto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.address.Network;
import org.lotusia.chain.address.XAddress;
import org.lotusia.chain.builder.BuiltTransaction;
import org.lotusia.chain.builder.TransactionBuilder;
import org.lotusia.chain.chronik.ChronikClient;
import org.lotusia.chain.chronik.ChronikErrorException;
import org.lotusia.chain.chronik.Tx;
import org.lotusia.chain.chronik.Utxo;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.monitor.TransactionMonitor;
import org.lotusia.chain.monitor.TxConfirmation;
import org.lotusia.chain.script.Scripts;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.TxOutput;
import org.lotusia.chainsim.ChainSimulator;

/** The HOWTO section "Test against the chain simulator": compiled and run here. */
class ChainSimHowToTest {

  @Test
  void testAgainstTheChainSimulator() throws Exception {
    // howto:begin chain-sim
    try (ChainSimulator sim = ChainSimulator.builder().build().start(); // port 0, regtest rules
        ChronikClient chronik = ChronikClient.builder().urls(sim.url()).build()) {
      PrivateKey alice = PrivateKey.random(new SecureRandom());
      XAddress aliceAddr = XAddress.fromScript(Scripts.p2pkh(alice.publicKey()), Network.REGTEST);
      sim.fund(aliceAddr, 5_000_000); // from the coinbase-funded faucet, into the mempool
      sim.mine(1);

      // the SDK sees the chain through Chronik, as it would see lotusd's
      Utxo coin = chronik.scriptUtxos(aliceAddr.toScript().chronikScript()).join().get(0).utxos().get(0);
      BuiltTransaction pay =
          new TransactionBuilder()
              .addP2pkhInput(
                  OutPoint.fromDisplayHex(coin.outpoint().txid(), coin.outpoint().outIdx()),
                  new TxOutput(coin.value(), aliceAddr.toScript()),
                  alice)
              .payTo(sim.faucet().address(), 1_000_000)
              .changeTo(aliceAddr)
              .build();
      String txid = chronik.broadcastTx(pay.transaction().serialize()).join();

      try (TransactionMonitor monitor = TransactionMonitor.builder(chronik).build()) {
        var watch = monitor.waitForConfirmation(txid, 1);
        sim.mine(1);
        TxConfirmation confirmed = watch.future().join(); // pushed over Chronik's WebSocket
      }

      // a transaction lotusd would refuse is refused with lotusd's reason
      try {
        chronik.broadcastTx(pay.transaction().serialize()).join();
      } catch (CompletionException e) {
        ChronikErrorException refused = (ChronikErrorException) e.getCause();
        // refused.errorMessage(): "Broadcast failed: txn-already-known"
      }
    }
    // howto:end chain-sim
  }

  @Test
  void theExampleDoesWhatItSays() throws Exception {
    try (ChainSimulator sim = ChainSimulator.builder().build().start();
        ChronikClient chronik = ChronikClient.builder().urls(sim.url()).build()) {
      PrivateKey alice = PrivateKey.random(new SecureRandom());
      XAddress aliceAddr = XAddress.fromScript(Scripts.p2pkh(alice.publicKey()), Network.REGTEST);
      sim.fund(aliceAddr, 5_000_000);
      sim.mine(1);
      Utxo coin = chronik.scriptUtxos(aliceAddr.toScript().chronikScript()).join().get(0).utxos().get(0);
      assertThat(coin.value()).isEqualTo(5_000_000);
      BuiltTransaction pay =
          new TransactionBuilder()
              .addP2pkhInput(
                  OutPoint.fromDisplayHex(coin.outpoint().txid(), coin.outpoint().outIdx()),
                  new TxOutput(coin.value(), aliceAddr.toScript()),
                  alice)
              .payTo(sim.faucet().address(), 1_000_000)
              .changeTo(aliceAddr)
              .build();
      String txid = chronik.broadcastTx(pay.transaction().serialize()).join();
      try (TransactionMonitor monitor = TransactionMonitor.builder(chronik).build()) {
        var watch = monitor.waitForConfirmation(txid, 1);
        sim.mine(1);
        assertThat(watch.future().join().confirmed()).isTrue();
      }
      Tx mined = chronik.tx(txid).join();
      assertThat(mined.block().height()).isEqualTo(102);
      try {
        chronik.broadcastTx(pay.transaction().serialize()).join();
        throw new AssertionError("rebroadcast of a mined transaction was accepted");
      } catch (CompletionException e) {
        ChronikErrorException refused = (ChronikErrorException) e.getCause();
        assertThat(refused.errorMessage()).isEqualTo("Broadcast failed: txn-already-known");
      }
    }
  }
}
