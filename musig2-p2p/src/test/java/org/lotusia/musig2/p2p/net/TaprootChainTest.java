package org.lotusia.musig2.p2p.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.builder.BuiltTransaction;
import org.lotusia.chain.builder.TransactionBuilder;
import org.lotusia.chain.chronik.ChronikClient;
import org.lotusia.chain.chronik.Tx;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxOutput;
import org.lotusia.chainsim.ChainSimulator;
import org.lotusia.chainsim.ledger.TxEntry;
import org.lotusia.musig2.p2p.SessionConfig;
import org.lotusia.musig2.p2p.SessionEvent;
import org.lotusia.musig2.p2p.SessionHandle;
import org.lotusia.musig2.p2p.SessionOptions;
import org.lotusia.musig2.p2p.SessionResult;
import org.lotusia.musig2.p2p.TransactionSigning;

/**
 * Three coordinators own a Lotus P2TR output on the chain simulator. They sign its spend in a
 * Taproot 3-of-3 session over the network: each joiner computes the sighash of the transaction it
 * agreed to and refuses anything else; the elected signer puts the signature into the input and
 * broadcasts through Chronik; the simulator accepts the spend under lotusd's rules and mines it.
 */
class TaprootChainTest {

  @Test
  void threeCoordinatorsSpendTheirTaprootOutputOnChain() throws Exception {
    List<String> broadcast = new CopyOnWriteArrayList<>();
    BuiltTransaction[] spend = new BuiltTransaction[1];
    try (ChainSimulator sim = ChainSimulator.builder().build().start();
        ChronikClient chronik = ChronikClient.builder().urls(sim.url()).build();
        NetCluster c = new NetCluster(3, 4242, SessionConfig.defaults()).manualJoin()) {
      c.customize(
              (i, b) ->
                  b.broadcaster(
                      result -> {
                        // the elected signer completes the input and hands the tx to the network
                        Transaction signed =
                            TransactionSigning.withKeyPathSignature(
                                spend[0].transaction(), 0, result.signature());
                        return chronik
                            .broadcastTx(signed.serialize())
                            .thenAccept(broadcast::add);
                      }))
          .connectAll()
          .bindAll();
      c.awaitTopicPeers(2);

      Script p2tr = TransactionSigning.taprootOutputScript(c.publicKeys);
      TxEntry funding = sim.fund(p2tr, 2_000_000);
      sim.mine(1);
      int vout = outputIndex(funding.tx(), p2tr);
      TxOutput owned = funding.tx().outputs().get(vout);
      spend[0] = spendOf(funding.tx(), vout, owned, sim.faucet().script());
      byte[] sighash =
          TransactionSigning.keyPathMessage(spend[0].transaction(), spend[0].spentOutputs(), 0);

      SessionHandle h = c.create(2, sighash, SessionOptions.builder().taproot().build());
      for (int i : List.of(0, 1)) {
        // each joiner rebuilds the transaction it agreed to and signs only its sighash
        BuiltTransaction own = spendOf(funding.tx(), vout, owned, sim.faucet().script());
        byte[] expected =
            TransactionSigning.keyPathMessage(own.transaction(), own.spentOutputs(), 0);
        int node = i;
        await().atMost(NetCluster.WAIT)
            .until(() -> c.events(node, SessionEvent.SessionDiscovered.class).stream()
                .anyMatch(d -> d.sessionId().equals(h.sessionId())));
        SessionEvent.SessionDiscovered d =
            c.events(node, SessionEvent.SessionDiscovered.class).stream()
                .filter(e -> e.sessionId().equals(h.sessionId())).findFirst().orElseThrow();
        c.putHandle(i, NetCluster.join(c.sessions.get(i).join(d.announcement(), expected)));
      }
      SessionResult r = c.result(0, h.sessionId());
      for (int i = 1; i < 3; i++) {
        assertThat(c.result(i, h.sessionId()).signature()).isEqualTo(r.signature());
      }
      assertThat(r.aggregateKey()).isEqualTo(p2tr.taprootCommitment());

      await().atMost(NetCluster.WAIT).until(() -> broadcast.size() == 1);
      String txid = broadcast.get(0);
      Tx seen = NetCluster.join(chronik.tx(txid));
      assertThat(seen.blockMetadata()).isEmpty(); // in the mempool
      sim.mine(1);
      Tx mined = NetCluster.join(chronik.tx(txid));
      assertThat(mined.blockMetadata()).isPresent();
      assertThat(mined.inputs().get(0).prevOut().txid()).isEqualTo(funding.tx().txid());
    }
  }

  static int outputIndex(Transaction tx, Script script) {
    for (int i = 0; i < tx.outputs().size(); i++) {
      if (tx.outputs().get(i).script().equals(script)) {
        return i;
      }
    }
    throw new AssertionError("the funding transaction does not pay " + script);
  }

  static BuiltTransaction spendOf(Transaction funding, int vout, TxOutput owned, Script to) {
    return new TransactionBuilder()
        .addUnsignedInput(new OutPoint(funding.txidBytes(), vout), owned, 1 + 65)
        .payTo(to, owned.value() - 10_000)
        .fixedFee(10_000)
        .build();
  }

}
