package org.lotusia.chainsim.wallet;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.lotusia.chain.address.XAddress;
import org.lotusia.chain.builder.BuiltTransaction;
import org.lotusia.chain.builder.TransactionBuilder;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.Scripts;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.TxOutput;
import org.lotusia.chainsim.ledger.Coin;
import org.lotusia.chainsim.ledger.Ledger;
import org.lotusia.chainsim.ledger.TxEntry;
import org.lotusia.chainsim.ledger.TxRejectedException;

/**
 * A single-key P2PKH wallet over a {@link Ledger}, for tests and demos: it finds its coins in the
 * ledger (mature coinbases and confirmed or mempool outputs not yet spent), and builds, signs and
 * submits payments with blockchain-utils' {@link TransactionBuilder} (ECDSA, hash type {@code 0x41},
 * 1,000 sats per 1,000 bytes, change back to itself).
 *
 * <p>Threading: thread-safe; sends are serialized so two sends never pick the same coin.
 */
public final class SimWallet {

  private final Ledger ledger;
  private final PrivateKey key;
  private final Script script;

  /**
   * @param ledger the ledger whose coins the wallet spends
   * @param key the wallet's key (owned by the wallet's user; the wallet keeps a reference)
   */
  public SimWallet(Ledger ledger, PrivateKey key) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.key = Objects.requireNonNull(key, "key");
    this.script = Scripts.p2pkh(key.publicKey());
  }

  /** A wallet with a fresh random key. */
  public static SimWallet random(Ledger ledger) {
    return new SimWallet(ledger, PrivateKey.random(new SecureRandom()));
  }

  /** The wallet's key. */
  public PrivateKey key() {
    return key;
  }

  /** The P2PKH output script of the key. */
  public Script script() {
    return script;
  }

  /** The wallet's address on the ledger's network. */
  public XAddress address() {
    return XAddress.fromScript(script, ledger.params().network());
  }

  /** Coins the next transaction may spend: mature, not spent in the mempool; largest first. */
  public List<Map.Entry<OutPoint, Coin>> spendableCoins() {
    int spendHeight = ledger.tipHeight() + 1;
    int maturity = ledger.params().coinbaseMaturity();
    List<Map.Entry<OutPoint, Coin>> out = new ArrayList<>();
    for (Map.Entry<OutPoint, Coin> e : ledger.unspentFor(script)) {
      Coin c = e.getValue();
      if (!c.coinbase() || spendHeight - c.height() >= maturity) {
        out.add(e);
      }
    }
    // confirmed coins first (no mempool chains), then by value
    out.sort(
        Comparator.comparing((Map.Entry<OutPoint, Coin> e) -> e.getValue().height() < 0)
            .thenComparing(e -> -e.getValue().output().value()));
    return out;
  }

  /** Sum of {@link #spendableCoins()}. */
  public long balance() {
    return spendableCoins().stream().mapToLong(e -> e.getValue().output().value()).sum();
  }

  /**
   * Pays {@code sats} to a script and submits the transaction to the ledger.
   *
   * @return the accepted transaction
   * @throws IllegalArgumentException if the wallet cannot cover the amount and fee
   * @throws TxRejectedException if the ledger refuses the transaction
   */
  public synchronized TxEntry pay(Script to, long sats) throws TxRejectedException {
    return ledger.submit(build(List.of(new TxOutput(sats, to))).transaction());
  }

  /** Pays an address. */
  public TxEntry pay(XAddress to, long sats) throws TxRejectedException {
    return pay(to.toScript(), sats);
  }

  /**
   * Builds and signs (without submitting) a transaction paying these outputs, with change back to
   * the wallet.
   *
   * @throws IllegalArgumentException if the spendable coins cannot cover outputs and fee
   */
  public synchronized BuiltTransaction build(List<TxOutput> outputs) {
    long need = outputs.stream().mapToLong(TxOutput::value).sum();
    TransactionBuilder b = new TransactionBuilder();
    for (TxOutput o : outputs) {
      b.addOutput(o);
    }
    b.changeTo(script);
    long have = 0;
    int inputs = 0;
    for (Map.Entry<OutPoint, Coin> e : spendableCoins()) {
      b.addP2pkhInput(e.getKey(), e.getValue().output(), key);
      have += e.getValue().output().value();
      inputs++;
      // 1 sat per byte: 148 bytes per input, generous for the outputs
      if (have >= need + 200L * inputs + 1000) {
        break;
      }
    }
    if (inputs == 0 || have < need) {
      throw new IllegalArgumentException(
          "wallet " + address() + " has " + have + " spendable sats, needs " + need + " plus fee");
    }
    return b.build();
  }
}
