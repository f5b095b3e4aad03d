package org.lotusia.chain.howto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.crypto.LotusSchnorr;
// howto:begin chain-imports
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.lotusia.chain.address.Network;
import org.lotusia.chain.address.XAddress;
import org.lotusia.chain.builder.BuiltTransaction;
import org.lotusia.chain.builder.TransactionBuilder;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.chain.script.ChronikScript;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.Scripts;
import org.lotusia.chain.sighash.SigHashOptions;
import org.lotusia.chain.sighash.SigHasher;
import org.lotusia.chain.sign.TxSignatures;
import org.lotusia.chain.taproot.LotusTaproot;
import org.lotusia.chain.tx.Amount;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxOutput;
// howto:end chain-imports

/** The examples of the chain HOWTO, compiled and run, so the documentation matches the API. */
class HowToExamplesTest {

  private static final byte[] SECRET = HexFormat.of().parseHex("11".repeat(32));

  @Test
  void buildAndSignP2pkh() {
    // howto:begin p2pkh
    PrivateKey key = PrivateKey.random(new SecureRandom()); // or PrivateKey.fromBytes(secret32)
    // the UTXO to spend (1.1 XPI paid to key's P2PKH script), e.g. from ChronikClient.scriptUtxos
    String utxoTxid = "2cf9ee0c67d7980b644544457b8788bbb5e73970f0c57da058de8c28e157f504";
    Script myScript = Scripts.p2pkh(key.publicKey());
    XAddress to = XAddress.decode("lotus_16PSJJwbmhnuRbhTByKhXdLKX4GYz2tijaGCHuwMe");

    BuiltTransaction built = new TransactionBuilder()
        .addP2pkhInput(OutPoint.fromDisplayHex(utxoTxid, 0), new TxOutput(1_100_000, myScript), key)
        .payTo(to, Amount.parseXpi("0.5").sats())
        .changeTo(myScript) // change below 546 sats goes to the fee
        .feePerKb(1000) // the default; or .fixedFee(sats)
        .build(); // InsufficientFundsException when outputs and fee exceed the inputs
    String rawHex = built.transaction().toHex();
    String txid = built.transaction().txid(); // the Lotus txid, as Chronik shows it
    boolean valid = TxSignatures.verifyP2pkhInput(
        Secp256k1.defaultProvider(), built.transaction(), 0, built.spentOutputs(),
        SigHashOptions.DEFAULT);
    // howto:end p2pkh
    assertThat(valid).isTrue();

    assertThat(Transaction.fromHex(rawHex).txid()).isEqualTo(txid);
    assertThat(
            TxSignatures.verifyP2pkhInput(
                Secp256k1.defaultProvider(),
                built.transaction(),
                0,
                built.spentOutputs(),
                SigHashOptions.DEFAULT))
        .isTrue();
    // 1000 sat/kB of the size estimated with the longest DER signature (72 bytes); the real one,
    // made with a random key, is 70 to 72 bytes long (rarely shorter)
    long size = built.transaction().size();
    assertThat(built.fee()).isBetween(size, size + 4);
  }

  @Test
  void decodeAnAddress() {
    // howto:begin xaddress
    XAddress a = XAddress.decode("lotus_16PSJQqpELASd4d5AwaKuezpYXsK8Jnk9ougXAjn3");
    Network net = a.network(); // MAINNET
    Script script = a.toScript(); // 76a914...88ac
    ChronikScript chronik = script.chronikScript(); // type "p2pkh", payload fc7250a2...1cef
    // howto:end xaddress
    assertThat(net).isEqualTo(Network.MAINNET);
    assertThat(chronik.type()).isEqualTo("p2pkh");
    assertThat(chronik.payloadHex()).isEqualTo("fc7250a211deddc70ee5a2738de5f07817351cef");
  }

  @Test
  void taprootKeyPathSpend() {
    byte[] secret32 = SECRET;
    // howto:begin taproot
    PrivateKey internal = PrivateKey.fromBytes(secret32); // a 32-byte secret key you keep
    Script trScript = LotusTaproot.outputScript(Secp256k1.defaultProvider(), internal.publicKey());
    XAddress trAddress = XAddress.fromScript(trScript, Network.MAINNET); // pay the funds here

    // With the builder: spend output 0 of the transaction that paid 1 XPI to trAddress
    OutPoint outpoint = OutPoint.fromDisplayHex(
        "2cf9ee0c67d7980b644544457b8788bbb5e73970f0c57da058de8c28e157f504", 0);
    XAddress destination = XAddress.decode("lotus_16PSJJwbmhnuRbhTByKhXdLKX4GYz2tijaGCHuwMe");
    TxOutput utxo = new TxOutput(1_000_000, trScript);
    BuiltTransaction spend = new TransactionBuilder()
        .addTaprootKeyPathInput(outpoint, utxo, internal)
        .payTo(destination, 999_000)
        .build();

    // By hand (for example when the signature comes from a MuSig2 session over the same digest):
    Transaction unsigned = spend.transaction().withInputScript(0, Script.empty());
    byte[] digest = new SigHasher(unsigned, List.of(utxo)).lotus(0, LotusTaproot.KEY_PATH_SIGHASH);
    byte[] sig64 = LotusTaproot.tweakedKey(internal).signSchnorr(digest);
    byte[] sigWithType = Arrays.copyOf(sig64, 65);
    sigWithType[64] = (byte) LotusTaproot.KEY_PATH_SIGHASH; // 0x61 (ALL|LOTUS), never 0x00
    Transaction signed = unsigned.withInputScript(0, Scripts.p2trKeyPathInput(sigWithType));
    // howto:end taproot

    assertThat(trAddress.encode()).startsWith("lotus_");
    assertThat(signed).isEqualTo(spend.transaction());
    assertThat(
            LotusTaproot.verifyKeyPath(
                Secp256k1.defaultProvider(),
                sigWithType,
                signed,
                0,
                List.of(utxo),
                SigHashOptions.DEFAULT))
        .isTrue();
    assertThat(LotusSchnorr.verify(sig64, trScript.taprootCommitment(), digest)).isTrue();
  }
}
