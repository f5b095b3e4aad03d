package org.lotusia.chain.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.address.Network;
import org.lotusia.chain.address.XAddress;
import org.lotusia.chain.builder.BuiltTransaction;
import org.lotusia.chain.builder.TransactionBuilder;
import org.lotusia.chain.crypto.EcPoint;
import org.lotusia.chain.crypto.EcdsaSignature;
import org.lotusia.chain.crypto.Hashes;
import org.lotusia.chain.crypto.LotusSchnorr;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.crypto.RefEc;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.ScriptType;
import org.lotusia.chain.script.Scripts;
import org.lotusia.chain.sighash.SigHashType;
import org.lotusia.chain.sighash.SigHasher;
import org.lotusia.chain.taproot.LotusTaproot;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxInput;
import org.lotusia.chain.tx.TxOutput;

/** Reproduces every line of the chain vector file that this module's chain layer covers. */
class ChainVectorsTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] POOL_ID = HEX.parseHex("a1".repeat(32));
  private static final byte[] SWAPSIG_BURN =
      "SWAPSIG_BURN".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  @Test
  void keysScriptsAndAddresses() {
    List<String> keys = VectorFile.linesStartingWith("alice priv=");
    keys.addAll(VectorFile.linesStartingWith("bob priv="));
    keys.addAll(VectorFile.linesStartingWith("carol priv="));
    assertThat(keys).hasSize(3);
    for (String line : keys) {
      PrivateKey k = PrivateKey.fromBytes(HEX.parseHex(VectorFile.field(line, "priv")));
      assertThat(HEX.formatHex(k.publicKeyBytes())).isEqualTo(VectorFile.field(line, "pub"));
      Script script = Scripts.p2pkh(k.publicKey());
      assertThat(script.toHex()).isEqualTo(VectorFile.field(line, "script"));
      XAddress addr = XAddress.fromScript(script, Network.MAINNET);
      assertThat(addr.encode()).isEqualTo(VectorFile.field(line, "p2pkh"));
      assertThat(XAddress.decode(VectorFile.field(line, "p2pkh")).toScript()).isEqualTo(script);
      assertThat(script.chronikScript().type()).isEqualTo("p2pkh");
      assertThat(script.chronikScript().payload()).isEqualTo(Hashes.hash160(k.publicKeyBytes()));
    }
  }

  @Test
  void burnScripts() {
    String withPool = VectorFile.linesStartingWith("burn(poolId=").get(0);
    Script s =
        Scripts.opReturn(SWAPSIG_BURN, HEX.parseHex(withPool.substring(12, 76)), new byte[] {1});
    assertThat(s.toHex()).isEqualTo(VectorFile.field(withPool, "script"));
    assertThat(String.valueOf(s.size())).isEqualTo(VectorFile.field(withPool, "len"));
    assertThat(String.valueOf(s.isDataOut())).isEqualTo(VectorFile.field(withPool, "isDataOut"));
    String noPool = VectorFile.linesStartingWith("burn(no poolId)").get(0);
    assertThat(Scripts.opReturn(SWAPSIG_BURN, new byte[] {1}).toHex())
        .isEqualTo(VectorFile.field(noPool, "script"));
    String serialized = VectorFile.linesStartingWith("burn output serialized").get(0);
    String expected = serialized.substring(serialized.indexOf("= ") + 2);
    assertThat(HEX.formatHex(new TxOutput(1000, s).serialize())).isEqualTo(expected);
  }

  @Test
  void taprootCommitmentsFromAggregateKeys() {
    List<String> lines = VectorFile.linesStartingWith("Q(agg)=");
    assertThat(lines).hasSize(3);
    for (String line : lines) {
      EcPoint q =
          Secp256k1.defaultProvider().decode(HEX.parseHex(VectorFile.field(line, "Q(agg)")));
      assertThat(HEX.formatHex(Secp256k1.toBytes32(LotusTaproot.tweak(q))))
          .isEqualTo(VectorFile.field(line, "tweak"));
      EcPoint c = LotusTaproot.commitment(Secp256k1.defaultProvider(), q);
      assertThat(HEX.formatHex(c.encodeCompressed()))
          .isEqualTo(VectorFile.field(line, "commitment"));
      Script script = LotusTaproot.outputScript(Secp256k1.defaultProvider(), q);
      line = VectorFile.nextLine(line);
      assertThat(script.toHex()).isEqualTo(VectorFile.field(line, "script"));
      assertThat(script.chronikScript().type()).isEqualTo(VectorFile.field(line, "getType"));
      assertThat(script.type()).isEqualTo(ScriptType.P2TR);
      XAddress a = XAddress.fromScript(script, Network.MAINNET);
      assertThat(a.encode()).isEqualTo(VectorFile.field(line, "address"));
      assertThat(XAddress.decode(a.encode()).toScript()).isEqualTo(script);
    }
  }

  @Test
  void ownershipAndAnnouncementSignatures() throws Exception {
    PrivateKey alice = PrivateKey.fromBytes(HEX.parseHex("11".repeat(32)));
    for (String prefix : List.of("ownership msg=", "announce data=")) {
      String line = VectorFile.linesStartingWith(prefix).get(0);
      String dataKey = prefix.startsWith("ownership") ? "msg" : "data";
      byte[] digest = Hashes.sha256(HEX.parseHex(VectorFile.field(line, dataKey)));
      assertThat(HEX.formatHex(digest)).isEqualTo(VectorFile.field(line, "sha256"));
      byte[] sig = alice.signSchnorr(digest);
      assertThat(HEX.formatHex(sig)).isEqualTo(VectorFile.field(line, "sig"));
      assertThat(RefEc.schnorrVerify(sig, alice.publicKeyBytes(), digest)).isTrue();
    }
  }

  @Test
  void setupTransactionParsesAndBuildsByteForByte() {
    String hexLine = VectorFile.linesStartingWith("setup hex=").get(0);
    String idLine = VectorFile.linesStartingWith("setup txid=").get(0);
    String hex = VectorFile.field(hexLine, "hex");
    Transaction tx = Transaction.fromHex(hex);
    assertThat(tx.toHex()).isEqualTo(hex);
    assertThat(tx.txid()).isEqualTo(VectorFile.field(idLine, "txid"));
    assertThat(tx.hash()).isEqualTo(VectorFile.field(idLine, "reversed)"));
    assertThat(String.valueOf(tx.size())).isEqualTo(VectorFile.field(idLine, "size"));
    assertThat(String.valueOf(tx.fee(List.of(1_100_000L))))
        .isEqualTo(VectorFile.field(idLine, "fee"));
    String outs = VectorFile.linesStartingWith("outputs: #0").get(0);
    for (int i = 0; i < 3; i++) {
      TxOutput o = tx.outputs().get(i);
      assertThat(outs).contains("#" + i + " " + o.value() + " " + o.script().toHex());
    }

    // Rebuild it with the builder: alice's 1,100,000-sat UTXO 11..11:0, 0x41 ECDSA, the SDK's fee
    // of 323.
    PrivateKey alice = PrivateKey.fromBytes(HEX.parseHex("11".repeat(32)));
    Script aliceScript = Scripts.p2pkh(alice.publicKey());
    TxOutput spent = new TxOutput(1_100_000, aliceScript);
    OutPoint utxo = OutPoint.fromDisplayHex("11".repeat(32), 0);
    EcPoint q =
        Secp256k1.defaultProvider()
            .decode(
                HEX.parseHex("026ec2d50eca7fdcf8e074762d8a0b50a75e766b5779c2250d85938531994c91aa"));
    BuiltTransaction built =
        new TransactionBuilder()
            .addP2pkhInput(utxo, spent, alice)
            .payTo(LotusTaproot.outputScript(Secp256k1.defaultProvider(), q), 1_000_000)
            .payTo(Scripts.opReturn(SWAPSIG_BURN, POOL_ID, new byte[] {1}), 1000)
            .changeTo(aliceScript)
            .fixedFee(323)
            .build();
    assertThat(built.transaction().toHex()).isEqualTo(hex);
    assertThat(built.changeIndex()).isEqualTo(2);

    // The BIP143 digest of input 0 and the signature checked by BouncyCastle's own ECDSA verifier.
    byte[] digest =
        new SigHasher(tx, List.of(spent)).bip143(0, aliceScript, 1_100_000, SigHashType.ALL_FORKID);
    assertThat(HEX.formatHex(digest))
        .isEqualTo("735c12bab42877902cf52a5304a05babf1383584d40ade1492dbd422d95651d6");
    byte[] sigWithType = tx.inputs().get(0).scriptSig().chunks().get(0).data();
    assertThat(sigWithType[sigWithType.length - 1]).isEqualTo((byte) 0x41);
    EcdsaSignature sig =
        EcdsaSignature.fromDer(java.util.Arrays.copyOf(sigWithType, sigWithType.length - 1));
    X9ECParameters x9 = CustomNamedCurves.getByName("secp256k1");
    ECDSASigner verifier = new ECDSASigner();
    verifier.init(
        false,
        new ECPublicKeyParameters(
            x9.getCurve().decodePoint(alice.publicKeyBytes()),
            new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN())));
    assertThat(verifier.verifySignature(digest, sig.r(), sig.s())).isTrue();
  }

  @Test
  void settlementSighashSignatureAndTransaction() throws Exception {
    Transaction setup =
        Transaction.fromHex(
            VectorFile.field(VectorFile.linesStartingWith("setup hex=").get(0), "hex"));
    TxOutput spent = setup.outputs().get(0);
    Script carol = Scripts.p2pkh(PrivateKey.fromBytes(HEX.parseHex("33".repeat(32))).publicKey());
    Transaction unsigned =
        new Transaction(
            2,
            List.of(TxInput.unsigned(new OutPoint(setup.txidBytes(), 0))),
            List.of(new TxOutput(999_800, carol)),
            0);
    byte[] digest = new SigHasher(unsigned, List.of(spent)).lotus(0, SigHashType.ALL_LOTUS);
    String sighashLine = VectorFile.linesStartingWith("sighash(0x61)=").get(0);
    assertThat(HEX.formatHex(digest)).isEqualTo(VectorFile.field(sighashLine, "sighash(0x61)"));

    String finalLine = VectorFile.linesStartingWith("final sig=").get(0);
    byte[] sig = HEX.parseHex(VectorFile.field(finalLine, "sig"));
    byte[] commitment = spent.script().taprootCommitment();
    assertThat(String.valueOf(LotusSchnorr.verify(sig, commitment, digest)))
        .isEqualTo(VectorFile.field(finalLine, "verify(commitment)"));
    assertThat(RefEc.schnorrVerify(sig, commitment, digest)).isTrue();

    byte[] withType = java.util.Arrays.copyOf(sig, 65);
    withType[64] = (byte) LotusTaproot.KEY_PATH_SIGHASH;
    Transaction signed = unsigned.withInputScript(0, Scripts.p2trKeyPathInput(withType));
    assertThat(
            LotusTaproot.verifyKeyPath(
                Secp256k1.defaultProvider(), withType, signed, 0, List.of(spent), null))
        .isTrue();
    String settleHex = VectorFile.linesStartingWith("settlement hex=").get(0);
    assertThat(signed.toHex()).isEqualTo(VectorFile.field(settleHex, "hex"));
    assertThat(signed.txid())
        .isEqualTo(
            VectorFile.field(VectorFile.linesStartingWith("settlement txid=").get(0), "txid"));

    // lotus-sdk's finalizeMuSig2Signatures wrote hash type 0x00: that input script is not a valid
    // key-path spend.
    String sdk = VectorFile.linesStartingWith("SDK finalizeMuSig2Signatures").get(0);
    byte[] sdkScript = HEX.parseHex(VectorFile.field(sdk, "script"));
    byte[] sdkSig = Script.of(sdkScript).chunks().get(0).data();
    assertThat(sdkSig[64]).isEqualTo((byte) 0);
    assertThat(
            LotusTaproot.verifyKeyPath(
                Secp256k1.defaultProvider(), sdkSig, signed, 0, List.of(spent), null))
        .isFalse();
  }
}
