package org.lotusia.chain.builder;

import java.util.ArrayList;
import java.util.List;
import org.lotusia.chain.address.XAddress;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.Scripts;
import org.lotusia.chain.sighash.SigHashOptions;
import org.lotusia.chain.sighash.SigHashType;
import org.lotusia.chain.sighash.SigHasher;
import org.lotusia.chain.sign.TxSignatures;
import org.lotusia.chain.taproot.LotusTaproot;
import org.lotusia.chain.tx.Amount;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxInput;
import org.lotusia.chain.tx.TxOutput;

/**
 * Builds and signs a Lotus transaction.
 *
 * <p>Inputs carry the output they spend (value and script, which SIGHASH_LOTUS commits to). P2PKH
 * inputs are signed with ECDSA (or Lotus Schnorr, {@link #schnorrForP2pkh(boolean)}) and hash type
 * {@code 0x41} by default; Taproot key-path inputs with Lotus Schnorr by the tweaked key and {@code
 * 0x61}; unsigned inputs are left for the caller (for example a MuSig2 session) to fill in with
 * {@link Transaction#withInputScript}.
 *
 * <p>Defaults: version 2, lock time 0, fee rate 1,000 sats per 1,000 bytes (lotus-sdk FEE_PER_KB),
 * dust limit 546 sats. The fee is computed from the largest possible size of the signed transaction
 * (72-byte DER signatures), so it is never below the rate. Change below the dust limit is dropped
 * into the fee. Outputs appear in the order added, change last. Not thread-safe.
 */
public final class TransactionBuilder {

  private enum Kind {
    P2PKH,
    TAPROOT_KEY_PATH,
    UNSIGNED
  }

  private record PendingInput(
      OutPoint outpoint,
      TxOutput spent,
      PrivateKey key,
      Kind kind,
      long sequence,
      int estimatedScriptSize) {}

  private final List<PendingInput> inputs = new ArrayList<>();
  private final List<TxOutput> outputs = new ArrayList<>();
  private int version = Transaction.CURRENT_VERSION;
  private long lockTime;
  private long feePerKb = 1000;
  private long fixedFee = -1;
  private long dustLimit = Amount.DUST;
  private Script changeScript;
  private int p2pkhSigHashType = SigHashType.ALL_FORKID;
  private boolean schnorrForP2pkh;
  private SigHashOptions sigHashOptions = SigHashOptions.DEFAULT;

  /**
   * Adds a P2PKH input signed by {@code key}. @throws IllegalArgumentException if the spent script
   * is not P2PKH
   */
  public TransactionBuilder addP2pkhInput(OutPoint outpoint, TxOutput spent, PrivateKey key) {
    if (!spent.script().isP2pkh()) {
      throw new IllegalArgumentException(
          "spent output is " + spent.script().type() + ", not P2PKH");
    }
    if (!spent.script().equals(Scripts.p2pkh(key.publicKey()))) {
      throw new IllegalArgumentException("key does not match the spent P2PKH script");
    }
    inputs.add(
        new PendingInput(
            outpoint, spent, key, Kind.P2PKH, TxInput.DEFAULT_SEQUENCE, 1 + 73 + 1 + 33));
    return this;
  }

  /**
   * Adds a Taproot key-path input signed by the tweak of {@code internalKey}.
   *
   * @throws IllegalArgumentException if the spent script is not the key-path output of this key
   */
  public TransactionBuilder addTaprootKeyPathInput(
      OutPoint outpoint, TxOutput spent, PrivateKey internalKey) {
    Script expected = LotusTaproot.outputScript(internalKey.provider(), internalKey.publicKey());
    if (!spent.script().equals(expected)) {
      throw new IllegalArgumentException(
          "spent output is not the Taproot key-path output of this key");
    }
    inputs.add(
        new PendingInput(
            outpoint, spent, internalKey, Kind.TAPROOT_KEY_PATH, TxInput.DEFAULT_SEQUENCE, 1 + 65));
    return this;
  }

  /**
   * Adds an input the builder does not sign.
   *
   * @param estimatedScriptSize the expected size of its input script, for the fee
   */
  public TransactionBuilder addUnsignedInput(
      OutPoint outpoint, TxOutput spent, int estimatedScriptSize) {
    if (estimatedScriptSize < 0) {
      throw new IllegalArgumentException("estimated script size must be non-negative");
    }
    inputs.add(
        new PendingInput(
            outpoint, spent, null, Kind.UNSIGNED, TxInput.DEFAULT_SEQUENCE, estimatedScriptSize));
    return this;
  }

  /** Adds an output. @throws IllegalArgumentException for a non-data output below the dust limit */
  public TransactionBuilder addOutput(TxOutput output) {
    if (!output.script().isDataOut() && output.value() < dustLimit) {
      throw new IllegalArgumentException(
          "output of " + output.value() + " sats is below the dust limit " + dustLimit);
    }
    outputs.add(output);
    return this;
  }

  /** Pays {@code sats} to an output script. */
  public TransactionBuilder payTo(Script script, long sats) {
    return addOutput(new TxOutput(sats, script));
  }

  /** Pays {@code sats} to an address. */
  public TransactionBuilder payTo(XAddress address, long sats) {
    return payTo(address.toScript(), sats);
  }

  /** Sends the remainder to this script (dropped into the fee if below the dust limit). */
  public TransactionBuilder changeTo(Script script) {
    this.changeScript = script;
    return this;
  }

  /** Sends the remainder to this address. */
  public TransactionBuilder changeTo(XAddress address) {
    return changeTo(address.toScript());
  }

  /** Fee rate in satoshis per 1,000 bytes (default 1,000). */
  public TransactionBuilder feePerKb(long satsPerKb) {
    if (satsPerKb < 0) {
      throw new IllegalArgumentException("fee rate must be non-negative");
    }
    this.feePerKb = satsPerKb;
    this.fixedFee = -1;
    return this;
  }

  /** A fixed absolute fee in satoshis instead of a rate. */
  public TransactionBuilder fixedFee(long sats) {
    if (sats < 0) {
      throw new IllegalArgumentException("fee must be non-negative");
    }
    this.fixedFee = sats;
    return this;
  }

  /** Dust limit for non-data outputs and change (default 546). */
  public TransactionBuilder dustLimit(long sats) {
    if (sats < 0) {
      throw new IllegalArgumentException("dust limit must be non-negative");
    }
    this.dustLimit = sats;
    return this;
  }

  /** nVersion (default 2). */
  public TransactionBuilder version(int v) {
    this.version = v;
    return this;
  }

  /** nLockTime (default 0). */
  public TransactionBuilder lockTime(long lt) {
    this.lockTime = lt;
    return this;
  }

  /** Hash type for P2PKH inputs (default {@code 0x41}); must be FORKID or LOTUS. */
  public TransactionBuilder p2pkhSigHashType(int type) {
    int alg = SigHashType.algorithm(type);
    if (alg != SigHashType.FORKID && alg != SigHashType.LOTUS) {
      throw new IllegalArgumentException(
          "P2PKH hash type must use FORKID (0x40) or LOTUS (0x60): 0x" + Integer.toHexString(type));
    }
    this.p2pkhSigHashType = type;
    return this;
  }

  /** Sign P2PKH inputs with Lotus Schnorr instead of ECDSA (default false). */
  public TransactionBuilder schnorrForP2pkh(boolean schnorr) {
    this.schnorrForP2pkh = schnorr;
    return this;
  }

  /** Sighash options (fork id, replay protection); default {@link SigHashOptions#DEFAULT}. */
  public TransactionBuilder sigHashOptions(SigHashOptions options) {
    this.sigHashOptions = options;
    return this;
  }

  /**
   * Computes the fee and change, and signs every input the builder has a key for.
   *
   * @throws InsufficientFundsException if the outputs plus the fee exceed the inputs
   * @throws IllegalStateException if there are no inputs or no outputs
   */
  public BuiltTransaction build() {
    if (inputs.isEmpty()) {
      throw new IllegalStateException("transaction has no inputs");
    }
    if (outputs.isEmpty() && changeScript == null) {
      throw new IllegalStateException("transaction has no outputs and no change script");
    }
    long in = 0;
    for (PendingInput p : inputs) {
      in = Math.addExact(in, p.spent().value());
    }
    long out = 0;
    for (TxOutput o : outputs) {
      out = Math.addExact(out, o.value());
    }
    List<TxOutput> finalOutputs = new ArrayList<>(outputs);
    long feeWithoutChange = fee(estimateSize(finalOutputs));
    if (out + feeWithoutChange > in) {
      throw new InsufficientFundsException(in, out + feeWithoutChange);
    }
    long fee = feeWithoutChange;
    int changeIndex = -1;
    if (changeScript != null) {
      List<TxOutput> withChange = new ArrayList<>(finalOutputs);
      withChange.add(new TxOutput(0, changeScript));
      long feeWithChange = fee(estimateSize(withChange));
      long change = in - out - feeWithChange;
      if (change >= dustLimit && change > 0) {
        finalOutputs.add(new TxOutput(change, changeScript));
        changeIndex = finalOutputs.size() - 1;
        fee = feeWithChange;
      } else {
        fee = in - out;
      }
    } else {
      fee = in - out;
    }
    List<TxInput> txInputs = new ArrayList<>();
    List<TxOutput> spent = new ArrayList<>();
    for (PendingInput p : inputs) {
      txInputs.add(new TxInput(p.outpoint(), Script.empty(), p.sequence()));
      spent.add(p.spent());
    }
    Transaction tx = new Transaction(version, txInputs, finalOutputs, lockTime);
    SigHasher hasher = new SigHasher(tx, spent, sigHashOptions);
    for (int i = 0; i < inputs.size(); i++) {
      PendingInput p = inputs.get(i);
      if (p.kind() == Kind.P2PKH) {
        byte[] digest = hasher.hash(i, p2pkhSigHashType, p.spent().script(), p.spent().value());
        byte[] sig =
            schnorrForP2pkh
                ? TxSignatures.schnorr(p.key(), digest, p2pkhSigHashType)
                : TxSignatures.ecdsa(p.key(), digest, p2pkhSigHashType);
        tx = tx.withInputScript(i, Scripts.p2pkhInput(sig, p.key().publicKeyBytes()));
      } else if (p.kind() == Kind.TAPROOT_KEY_PATH) {
        byte[] digest = hasher.lotus(i, LotusTaproot.KEY_PATH_SIGHASH);
        byte[] sig =
            TxSignatures.schnorr(
                LotusTaproot.tweakedKey(p.key()), digest, LotusTaproot.KEY_PATH_SIGHASH);
        tx = tx.withInputScript(i, Scripts.p2trKeyPathInput(sig));
      }
    }
    return new BuiltTransaction(tx, spent, fee, changeIndex);
  }

  private long fee(int size) {
    if (fixedFee >= 0) {
      return fixedFee;
    }
    return (size * feePerKb + 999) / 1000;
  }

  private int estimateSize(List<TxOutput> outs) {
    List<TxInput> est = new ArrayList<>();
    for (PendingInput p : inputs) {
      est.add(
          new TxInput(p.outpoint(), Script.of(new byte[p.estimatedScriptSize()]), p.sequence()));
    }
    return new Transaction(version, est, outs, lockTime).size();
  }
}
